//lint:file-ignore U1000 the generic bodies (and their constraints) run through their per-contestant copies, which go generate writes with cmd benchgen

package harness

import (
	"context"
	"testing"

	"github.com/localbench/localbench/harness/benchkit"
)

// BenchGet measures Get of a bound key, on the goroutine and in the frame
// that bound it (inside a Scope, for every store alike), with one key bound.
func BenchGet(b *testing.B, cs []Contestant) {
	workload{name: WorkloadGet, args: []int{1}}.run(b, cs)
}

// getFirst is the loop of get (n = 1), bindings and live: Get of the
// first of n bound keys. It is get's body itself, not called by it, so that
// get's call path is no deeper than it must be: a strategy that walks the
// stack (gls) pays for every frame. The check is a switch rather than "!ok || v != want": the
// compiler branches on each case directly, where the || form made it
// materialize a bool and test it, two instructions more per Get.
//
//benchgen:workload get
//benchgen:workload bindings
func getFirst[C, K any, R readOps[C, K]](b *testing.B, r R, n int) {
	vals := benchkit.Values(n)
	k, want := r.Key(0), benchkit.Want(vals, 0)
	r.Enter(context.Background(), vals, func(c C) {
		c = r.Bound(c, vals)
		for b.Loop() {
			switch v, ok := r.Get(c, k); {
			case !ok, v != want:
				benchkit.FailGet(b, v, ok, want)
			}
		}
	})
}

// BenchGetMiss measures Get of a key that is not bound, by a goroutine that
// holds another binding (the usual case: a request looks up an optional
// value).
func BenchGetMiss(b *testing.B, cs []Contestant) {
	workload{name: WorkloadGetMiss}.run(b, cs)
}

//benchgen:workload get-miss
func benchGetMiss[C, K any, R readOps[C, K]](b *testing.B, r R, _ int) {
	vals := benchkit.Values(1)
	k := r.Key(benchkit.MissKey)
	r.Enter(context.Background(), vals, func(c C) {
		c = r.Bound(c, vals)
		for b.Loop() {
			if v, ok := r.Get(c, k); ok {
				benchkit.FailMiss(b, v)
			}
		}
	})
}
