//lint:file-ignore U1000 the generic bodies (and their constraints) run through their per-contestant copies, which go generate writes with cmd benchgen

package harness

import (
	"context"
	"testing"

	"github.com/localbench/localbench/harness/benchkit"
)

// workloadDepths are the depth workload's rows.
var workloadDepths = []int{1, 16, 64, 256}

// BenchDepth measures Get of a key from depth frames below the frame that
// bound it (real, non-inlined frames in between). A strategy that finds its
// bindings by walking the stack (gls) pays for every frame; the others
// should be flat.
func BenchDepth(b *testing.B, cs []Contestant) {
	workload{
		name: WorkloadDepth,
		rows: benchkit.RowNames("depth", workloadDepths),
		args: workloadDepths,
	}.run(b, cs)
}

//benchgen:workload depth
func benchDepth[C, K any, R readOps[C, K]](b *testing.B, r R, depth int) {
	vals := benchkit.Values(1)
	k, want := r.Key(0), benchkit.Want(vals, 0)
	r.Enter(context.Background(), vals, func(c C) {
		c = r.Bound(c, vals)
		benchkit.Descend(depth, c, func(c C) {
			for b.Loop() {
				switch v, ok := r.Get(c, k); {
				case !ok, v != want:
					benchkit.FailGet(b, v, ok, want)
				}
			}
		})
	})
}

// workloadBindingCounts are the bindings workload's rows.
var workloadBindingCounts = []int{1, 8, benchkit.MaxBindings}

// BenchBindings measures Get of the first-bound of that many bound keys. A
// chain of contexts (one layer per binding) walks past every later binding
// to find it; a table or slice per goroutine should be flat.
func BenchBindings(b *testing.B, cs []Contestant) {
	workload{
		name: WorkloadBindings,
		rows: benchkit.RowNames("bindings", workloadBindingCounts),
		args: workloadBindingCounts,
	}.run(b, cs)
}
