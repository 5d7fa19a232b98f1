package harness

import (
	"context"
	"testing"

	"github.com/localbench/localbench/strategies"
)

// Sizes of the scope workload.
const (
	scopeKeys  = 3
	scopeReads = 10
)

// BenchScope measures the request pattern: enter a Scope, bind 3 keys, call
// a function that makes 10 Gets (cycling through the 3 keys), and leave the
// scope, which undoes the bindings. A raw contestant binds the 3 values its
// own way (Bind) around the same callee. The scope body is one closure made
// before the loop, so its allocation is not counted.
func BenchScope(b *testing.B, cs []Contestant) {
	workloadScope.run(b, cs)
}

var workloadScope = workload{
	name: WorkloadScope,
	rows: []string{"keys=3/reads=10"},
	store: func(b *testing.B, s strategies.Store, _ int) {
		keys, vals := workloadKeys()[:scopeKeys], workloadValues(scopeKeys)
		body := func(ctx context.Context) {
			for i, v := range vals {
				ctx = s.Set(ctx, keys[i], v)
			}
			scopeCallee(b, s, ctx, keys, vals)
		}
		for b.Loop() {
			s.Scope(benchCtx, body)
		}
	},
	raw: func(b *testing.B, r *Raw, _ int) {
		vals := workloadValues(scopeKeys)
		body := func(c Carrier) { scopeCalleeRaw(b, r, c, vals) }
		for b.Loop() {
			r.Bind(benchCtx, vals, body)
		}
	},
}

// scopeCallee is the function a request handler calls: it reads the
// request's values scopeReads times.
//
//go:noinline
func scopeCallee(b *testing.B, s strategies.Store, ctx context.Context, keys []*strategies.Key, vals []any) {
	for i := range scopeReads {
		j := i % len(vals)
		if v, ok := s.Get(ctx, keys[j]); !ok || v != vals[j] {
			failGet(b, v, ok, vals[j])
		}
	}
}

// scopeCalleeRaw is scopeCallee for a raw contestant.
//
//go:noinline
func scopeCalleeRaw(b *testing.B, r *Raw, c Carrier, vals []any) {
	for i := range scopeReads {
		j := i % len(vals)
		if v, ok := r.Get(c, j); !ok || v != vals[j] {
			failGet(b, v, ok, vals[j])
		}
	}
}
