package gls_test

import (
	"context"
	"fmt"
	"testing"

	jtolds "github.com/jtolds/gls"
	"github.com/localbench/localbench/strategies"

	"github.com/localbench/localbench/strategies/gls"
	"github.com/localbench/localbench/strategies/internal/perftest"
)

// BenchmarkPerf measures the operations whose cost must not depend on how
// many keys the process has made or where the bound ones lie; see perftest.
func BenchmarkPerf(b *testing.B) {
	s := gls.New()
	perftest.Run(b, s, false)
}

// BenchmarkPerfDirect measures Get and Scope on the concrete type beside
// raw jtolds/gls (a ContextManager's GetValue and SetValues), depth frames
// below the outermost scope. op=scope runs a nested Scope that Sets one key
// (raw: SetValues of one value around an empty func); op=scope-empty runs
// an empty nested Scope (raw: the same SetValues).
func BenchmarkPerfDirect(b *testing.B) {
	s := gls.New()
	defer s.Close()
	cm := jtolds.NewContextManager()
	defer cm.Unregister()
	k := strategies.NewKey("direct")
	set := func(ctx context.Context) { s.Set(ctx, k, 2) }
	empty := func(context.Context) {}
	nothing := func() {}
	for _, depth := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("op=get/depth=%d", depth), func(b *testing.B) {
			s.Scope(context.Background(), func(ctx context.Context) {
				s.Set(ctx, k, 1)
				atDepth(depth, func() {
					for b.Loop() {
						s.Get(ctx, k)
					}
				})
			})
		})
		b.Run(fmt.Sprintf("op=raw-get/depth=%d", depth), func(b *testing.B) {
			cm.SetValues(jtolds.Values{k: 1}, func() {
				atDepth(depth, func() {
					for b.Loop() {
						cm.GetValue(k)
					}
				})
			})
		})
		b.Run(fmt.Sprintf("op=scope/depth=%d", depth), func(b *testing.B) {
			s.Scope(context.Background(), func(ctx context.Context) {
				s.Set(ctx, k, 1)
				atDepth(depth, func() {
					for b.Loop() {
						s.Scope(ctx, set)
					}
				})
			})
		})
		b.Run(fmt.Sprintf("op=scope-empty/depth=%d", depth), func(b *testing.B) {
			s.Scope(context.Background(), func(ctx context.Context) {
				s.Set(ctx, k, 1)
				atDepth(depth, func() {
					for b.Loop() {
						s.Scope(ctx, empty)
					}
				})
			})
		})
		b.Run(fmt.Sprintf("op=raw-scope/depth=%d", depth), func(b *testing.B) {
			vals := jtolds.Values{k: 2}
			cm.SetValues(jtolds.Values{k: 1}, func() {
				atDepth(depth, func() {
					for b.Loop() {
						cm.SetValues(vals, nothing)
					}
				})
			})
		})
	}
}
