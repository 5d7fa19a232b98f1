package gls_test

import (
	"context"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/gls"
)

// BenchmarkDirect makes the operations of the harness workloads get,
// get-miss, set, delete and scope (package harness) directly on *gls.Store:
// the same setup (inside a Scope, one key bound), the same check of every
// result and the same loop, but static calls on the concrete type instead
// of calls through whatever the harness uses. A harness figure is the
// contestant's when it matches these.
//
// The keys are made here, so their indexes differ from the harness's
// workload keys; a store whose cost depends on a key's index differs by
// that much.
func BenchmarkDirect(b *testing.B) {
	keys := []*strategies.Key{
		strategies.NewKey("direct.0"), strategies.NewKey("direct.1"), strategies.NewKey("direct.2"),
	}
	miss := strategies.NewKey("direct.miss")
	k := keys[0]
	bg := context.Background()
	b.Run("op=get", func(b *testing.B) {
		b.ReportAllocs()
		s := gls.New()
		defer closeDirect(s)
		want := new(int)
		s.Scope(bg, func(ctx context.Context) {
			ctx = s.Set(ctx, k, want)
			for b.Loop() {
				switch v, ok := s.Get(ctx, k); {
				case !ok, v != want:
					directFailGet(b, v, ok, want)
				}
			}
		})
	})
	b.Run("op=get-miss", func(b *testing.B) {
		b.ReportAllocs()
		s := gls.New()
		defer closeDirect(s)
		s.Scope(bg, func(ctx context.Context) {
			ctx = s.Set(ctx, k, new(int))
			for b.Loop() {
				if v, ok := s.Get(ctx, miss); ok {
					directFailMiss(b, v)
				}
			}
		})
	})
	b.Run("op=set", func(b *testing.B) {
		b.ReportAllocs()
		s := gls.New()
		defer closeDirect(s)
		vals := []any{new(int), new(int)}
		s.Scope(bg, func(ctx context.Context) {
			ctx = s.Set(ctx, k, vals[0])
			i := 0
			for b.Loop() {
				_ = s.Set(ctx, k, vals[i&1])
				i++
			}
		})
	})
	b.Run("op=set+delete", func(b *testing.B) {
		b.ReportAllocs()
		s := gls.New()
		defer closeDirect(s)
		v := any(new(int))
		s.Scope(bg, func(ctx context.Context) {
			for b.Loop() {
				_ = s.Delete(s.Set(ctx, k, v), k)
			}
		})
	})
	b.Run("op=scope", func(b *testing.B) {
		b.ReportAllocs()
		s := gls.New()
		defer closeDirect(s)
		wants := []*int{new(int), new(int), new(int)}
		body := func(ctx context.Context) {
			for i, v := range wants {
				ctx = s.Set(ctx, keys[i], v)
			}
			directScopeCallee(b, s, ctx, keys, wants)
		}
		for b.Loop() {
			s.Scope(bg, body)
		}
	})
}

// directScopeCallee is the harness scope workload's callee: 10 Gets cycling
// through the bound keys.
//
//go:noinline
func directScopeCallee(b *testing.B, s *gls.Store, ctx context.Context, keys []*strategies.Key, wants []*int) {
	for i := range 10 {
		j := i % len(wants)
		switch v, ok := s.Get(ctx, keys[j]); {
		case !ok, v != wants[j]:
			directFailGet(b, v, ok, wants[j])
		}
	}
}

// directFailGet and directFailMiss are the harness's benchkit.FailGet and
// benchkit.FailMiss:
// the loop bodies call them only on a wrong result.
func directFailGet(b *testing.B, got any, ok bool, want *int) {
	b.Helper()
	b.Fatalf("Get = %v, %t; want %v, true", got, ok, want)
}

func directFailMiss(b *testing.B, got any) {
	b.Helper()
	b.Fatalf("Get of an unbound key = %v, true; want nil, false", got)
}

func closeDirect(s *gls.Store) { _ = s.Close() }
