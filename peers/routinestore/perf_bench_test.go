package routinestore_test

import (
	"context"
	"testing"

	"github.com/localbench/localbench/peers/routinestore"
	"github.com/localbench/localbench/strategies"
	"github.com/timandy/routine"
)

// BenchmarkPerf measures the routine adapter on the operations that the
// strategies' own BenchmarkPerf (strategies/internal/perftest) measures,
// through the Store interface in the same way, with two keys bound.
func BenchmarkPerf(b *testing.B) {
	var s strategies.Store = routinestore.New()
	k1, k2, miss := strategies.NewKey("a"), strategies.NewKey("b"), strategies.NewKey("miss")
	bind := func(ctx context.Context) context.Context {
		ctx = s.Set(ctx, k1, 1)
		return s.Set(ctx, k2, 2)
	}
	release := func(ctx context.Context) { s.(strategies.Releaser).Release(ctx) }
	b.Run("op=get", func(b *testing.B) {
		ctx := bind(context.Background())
		defer release(ctx)
		for b.Loop() {
			if v, ok := s.Get(ctx, k2); !ok || v != 2 {
				b.Fatalf("Get = %v, %v; want 2, true", v, ok)
			}
		}
	})
	b.Run("op=get-miss", func(b *testing.B) {
		ctx := bind(context.Background())
		defer release(ctx)
		for b.Loop() {
			if _, ok := s.Get(ctx, miss); ok {
				b.Fatal("Get of an unbound key found it")
			}
		}
	})
	b.Run("op=set", func(b *testing.B) {
		ctx := bind(context.Background())
		defer release(ctx)
		for b.Loop() {
			s.Set(ctx, k2, 3)
		}
	})
	b.Run("op=scope-top", func(b *testing.B) {
		body := func(ctx context.Context) { s.Set(ctx, k1, 1) }
		for b.Loop() {
			s.Scope(context.Background(), body)
		}
	})
	b.Run("op=scope-nested", func(b *testing.B) {
		body := func(ctx context.Context) { s.Set(ctx, k1, 3) }
		s.Scope(context.Background(), func(ctx context.Context) {
			ctx = bind(ctx)
			for b.Loop() {
				s.Scope(ctx, body)
			}
		})
	})
}

// BenchmarkPerfRaw measures timandy/routine itself, with one thread-local
// per key, on the same operations: what routine's adapter costs beyond the
// library.
func BenchmarkPerfRaw(b *testing.B) {
	a, c, miss := routine.NewThreadLocal[any](), routine.NewThreadLocal[any](), routine.NewThreadLocal[any]()
	b.Run("op=get", func(b *testing.B) {
		a.Set(1)
		c.Set(2)
		defer a.Remove()
		defer c.Remove()
		for b.Loop() {
			if v := c.Get(); v != 2 {
				b.Fatalf("Get = %v; want 2", v)
			}
		}
	})
	b.Run("op=get-miss", func(b *testing.B) {
		a.Set(1)
		c.Set(2)
		defer a.Remove()
		defer c.Remove()
		for b.Loop() {
			if v := miss.Get(); v != nil {
				b.Fatal("Get of an unset thread-local found a value")
			}
		}
	})
	b.Run("op=set", func(b *testing.B) {
		a.Set(1)
		c.Set(2)
		defer a.Remove()
		defer c.Remove()
		for b.Loop() {
			c.Set(3)
		}
	})
	b.Run("op=scope-top", func(b *testing.B) {
		// Set one value and remove it again, as a top-level scope that
		// binds one key must.
		for b.Loop() {
			func() {
				a.Set(1)
				defer a.Remove()
			}()
		}
	})
	b.Run("op=scope-nested", func(b *testing.B) {
		// Save the value, set a new one, put the old one back.
		a.Set(1)
		c.Set(2)
		defer a.Remove()
		defer c.Remove()
		for b.Loop() {
			func() {
				old := a.Get()
				a.Set(3)
				defer a.Set(old)
			}()
		}
	})
}
