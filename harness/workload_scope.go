//lint:file-ignore U1000 the generic bodies (and their constraints) run through their per-contestant copies, which go generate writes with cmd benchgen

package harness

import (
	"context"
	"testing"

	"github.com/localbench/localbench/harness/benchkit"
)

// BenchScope measures the request pattern: enter a Scope, bind 3 keys, call
// a function that makes 10 Gets (cycling through the 3 keys), and leave the
// scope, which undoes the bindings. A raw contestant binds the 3 values its
// own way around the same callee. The scope body is one closure made before
// the loop, so its allocation is not counted.
func BenchScope(b *testing.B, cs []Contestant) {
	workload{name: WorkloadScope, rows: []string{"keys=3/reads=10"}}.run(b, cs)
}

//benchgen:workload scope
func benchScope[C, K any, R readOps[C, K]](b *testing.B, r R, _ int) {
	vals := benchkit.Values(benchkit.ScopeKeys)
	keys, wants := keysOf(r, len(vals)), benchkit.Wants(vals)
	body := func(c C) {
		c = r.Bound(c, vals)
		scopeCallee(b, r, c, keys, wants)
	}
	ctx := context.Background()
	for b.Loop() {
		r.Enter(ctx, vals, body)
	}
}

// scopeCallee is the function a request handler calls: it reads the
// request's values benchkit.ScopeReads times.
//
//go:noinline
func scopeCallee[C, K any, R readOps[C, K]](b *testing.B, r R, c C, keys []K, wants []*int) {
	for i := range benchkit.ScopeReads {
		j := i % len(wants)
		switch v, ok := r.Get(c, keys[j]); {
		case !ok, v != wants[j]:
			benchkit.FailGet(b, v, ok, wants[j])
		}
	}
}

// keysOf returns r's names of the keys at positions 0 to n-1.
func keysOf[C, K any, R readOps[C, K]](r R, n int) []K {
	keys := make([]K, n)
	for i := range keys {
		keys[i] = r.Key(i)
	}
	return keys
}
