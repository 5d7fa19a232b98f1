// Package perftest holds the body of the strategies' own perf benchmarks
// (perf_bench_test.go in each strategy package): Get, GetMiss, Set, Scope
// and Go with the bound keys among the first keys of the process, among the
// last of 10,000, and far apart, so that a cost that depends on how many
// keys exist, or on where the bound ones lie, shows up as a difference
// between rows. It is meant to be measured in instructions/op under
// cachegrind, one sub-benchmark per run.
package perftest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/localbench/localbench/strategies"
)

// keys are made once, in order: the first ten are the "keys=10" rows, and
// the rest bring the process to 10,000 keys for the others.
var keys = func() []*strategies.Key {
	ks := make([]*strategies.Key, 10000)
	for i := range ks {
		ks[i] = strategies.NewKey(fmt.Sprint("perf", i))
	}
	return ks
}()

// placement names two bound keys: a and b.
type placement struct {
	name string
	a, b *strategies.Key
}

var placements = []placement{
	{"keys=10", keys[0], keys[1]},
	{"keys=10000", keys[9998], keys[9999]},
	{"spread=10000", keys[2], keys[9997]},
	// Indexes 64 apart share a home slot in every table of up to 64
	// slots: b is one probe step away.
	{"collide=64", keys[3], keys[67]},
}

// Run measures s's Get, GetMiss, Set, Scope (top-level and nested, one Set
// inside) and, when spawn is true, strategies.Go plus waiting for the
// goroutine, each with two keys bound. scoped runs the body inside a Scope
// (for stores that need one); it is always true for nested.
func Run(b *testing.B, s strategies.Store, spawn bool) {
	needsScope := s.Info().NeedsScope
	in := func(ctx context.Context, f func(context.Context)) {
		if needsScope {
			s.Scope(ctx, f)
			return
		}
		f(ctx)
	}
	miss := keys[5000]
	for _, p := range placements {
		bind := func(ctx context.Context) context.Context {
			ctx = s.Set(ctx, p.a, 1)
			return s.Set(ctx, p.b, 2)
		}
		b.Run("op=get/"+p.name, func(b *testing.B) {
			b.ReportAllocs()
			in(context.Background(), func(ctx context.Context) {
				ctx = bind(ctx)
				for b.Loop() {
					if v, ok := s.Get(ctx, p.b); !ok || v != 2 {
						b.Fatalf("Get = %v, %v; want 2, true", v, ok)
					}
				}
				clean(s, ctx)
			})
		})
		b.Run("op=get-miss/"+p.name, func(b *testing.B) {
			b.ReportAllocs()
			in(context.Background(), func(ctx context.Context) {
				ctx = bind(ctx)
				for b.Loop() {
					if _, ok := s.Get(ctx, miss); ok {
						b.Fatal("Get of an unbound key found it")
					}
				}
				clean(s, ctx)
			})
		})
		b.Run("op=set/"+p.name, func(b *testing.B) {
			b.ReportAllocs()
			in(context.Background(), func(ctx context.Context) {
				ctx = bind(ctx)
				for b.Loop() {
					s.Set(ctx, p.b, 3)
				}
				clean(s, ctx)
			})
		})
		b.Run("op=scope-top/"+p.name, func(b *testing.B) {
			b.ReportAllocs()
			body := func(ctx context.Context) { s.Set(ctx, p.a, 1) }
			for b.Loop() {
				s.Scope(context.Background(), body)
			}
		})
		b.Run("op=scope-nested/"+p.name, func(b *testing.B) {
			b.ReportAllocs()
			body := func(ctx context.Context) { s.Set(ctx, p.a, 3) }
			s.Scope(context.Background(), func(ctx context.Context) {
				ctx = bind(ctx)
				for b.Loop() {
					s.Scope(ctx, body)
				}
			})
		})
		if !spawn {
			continue
		}
		b.Run("op=spawn/"+p.name, func(b *testing.B) {
			b.ReportAllocs()
			var wg sync.WaitGroup
			body := func(context.Context) { wg.Done() }
			in(context.Background(), func(ctx context.Context) {
				ctx = bind(ctx)
				for b.Loop() {
					wg.Add(1)
					strategies.Go(ctx, s, body)
					wg.Wait()
				}
				clean(s, ctx)
			})
		})
	}
	b.Run("op=spawn-floor", func(b *testing.B) {
		// A plain go statement handed the same two values.
		b.ReportAllocs()
		var wg sync.WaitGroup
		x, y := any(1), any(2)
		for b.Loop() {
			wg.Add(1)
			go func(a, c any) {
				if a == nil || c == nil {
					panic("nil")
				}
				wg.Done()
			}(x, y)
			wg.Wait()
		}
	})
}

// clean forgets the calling goroutine's bindings where s can.
func clean(s strategies.Store, ctx context.Context) {
	if r, ok := s.(strategies.Releaser); ok {
		r.Release(ctx)
	}
}

// NewKeys measures making n keys per iteration, for the NewKey rows.
func NewKeys(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint("op=newkey/n=", n), func(b *testing.B) {
			for b.Loop() {
				for range n {
					strategies.NewKey("k")
				}
			}
		})
	}
}
