package gls_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/gls"
)

// atDepth calls fn with depth more frames on the stack.
//
//go:noinline
func atDepth(depth int, fn func()) {
	if depth == 0 {
		fn()
		return
	}
	atDepth(depth-1, fn)
}

// BenchmarkGls measures Get, Set and an empty nested Scope with depth
// frames between the outermost scope and the call: the stack walk is the
// cost.
func BenchmarkGls(b *testing.B) {
	s := gls.New()
	defer s.Close()
	k := strategies.NewKey("bench")
	ops := []struct {
		name string
		op   func(ctx context.Context)
	}{
		{"get", func(ctx context.Context) { s.Get(ctx, k) }},
		{"set", func(ctx context.Context) { s.Set(ctx, k, 2) }},
		{"scope", func(ctx context.Context) { s.Scope(ctx, func(context.Context) {}) }},
	}
	for _, depth := range []int{0, 16, 64, 256} {
		for _, o := range ops {
			b.Run(fmt.Sprintf("op=%s/depth=%d", o.name, depth), func(b *testing.B) {
				b.ReportAllocs()
				// b.Run runs this on its own goroutine: open the scope here.
				s.Scope(context.Background(), func(ctx context.Context) {
					s.Set(ctx, k, 1)
					atDepth(depth, func() {
						for b.Loop() {
							o.op(ctx)
						}
					})
				})
			})
		}
	}
}
