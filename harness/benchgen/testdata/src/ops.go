package harness

import (
	"context"
	"testing"
)

type readOps[C, K any] interface {
	Key(i int) K
	Get(c C, k K) (any, bool)
	Enter(ctx context.Context, fn func(C))
}

type setOps[C, K any] interface {
	readOps[C, K]
	Set(c C, k K, v any) C
}

//benchgen:workload get
func benchGet[C, K any, R readOps[C, K]](b *testing.B, r R, _ int) {
	k := r.Key(0)
	r.Enter(context.Background(), func(c C) {
		for b.Loop() {
			check(b, r, c, k)
		}
	})
}

//go:noinline
func check[C, K any, R readOps[C, K]](b *testing.B, r R, c C, k K) {
	if _, ok := r.Get(c, k); !ok {
		b.Fatal("unbound")
	}
}

//benchgen:workload set
func benchSet[C, K any, R setOps[C, K]](b *testing.B, r R, _ int) {
	k := r.Key(0)
	r.Enter(context.Background(), func(c C) {
		for b.Loop() {
			r.Set(c, k, nil)
		}
	})
}

//benchgen:setup set
func setupSet[C, K any, R setOps[C, K]](r R, _ int) func() { return func() {} }
