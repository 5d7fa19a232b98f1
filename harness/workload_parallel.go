//lint:file-ignore U1000 the generic bodies (and their constraints) run through their per-contestant copies, which go generate writes with cmd benchgen

package harness

import (
	"context"
	"fmt"
	"testing"

	"github.com/localbench/localbench/harness/benchkit"
)

// Sizes of the parallel workloads.
var workloadParallelisms = []int{1, 8, 64}

// BenchParallel measures Get-heavy (reads=100: only Gets) and mixed
// (reads=90: 90 Gets then 10 Sets in every 100 operations) traffic under
// b.RunParallel with b.SetParallelism 1, 8 and 64, that is 1, 8 and 64
// goroutines per GOMAXPROCS. Each goroutine first binds one key of its own
// (inside a Scope for stores, inside its own Enter for raw contestants), as
// get and set do; its Gets read that key, and its Sets rebind it to the
// value it already has, so that every Get can be checked. An operation is
// then what one operation of get or set is, and parallel-get at
// parallelism 1 against get shows how reads scale with cores. The two
// patterns are two workloads (parallel-get and parallel-mixed), so that a
// contestant that cannot Set still has a complete table for the first.
func BenchParallel(b *testing.B, cs []Contestant) {
	for _, w := range []struct {
		name  string
		reads int
	}{{WorkloadParallelGet, benchkit.ParallelCycle}, {WorkloadParallelMixed, 90}} {
		rows := make([]string, len(workloadParallelisms))
		for i, p := range workloadParallelisms {
			rows[i] = fmt.Sprintf("reads=%d/parallelism=%d", w.reads, p)
		}
		workload{name: w.name, rows: rows, args: workloadParallelisms}.run(b, cs)
	}
}

//benchgen:workload parallel-get
func benchParallelGet[C, K any, R readOps[C, K]](b *testing.B, r R, parallelism int) {
	parallelLoop(b, r, parallelism, benchkit.ParallelCycle, nil)
}

//benchgen:workload parallel-mixed
func benchParallelMixed[C, K any, R setOps[C, K]](b *testing.B, r R, parallelism int) {
	parallelLoop(b, r, parallelism, 90, func(c C, k K, v *int) { r.Set(c, k, v) })
}

// parallelLoop runs the parallel workloads: reads Gets, then
// benchkit.ParallelCycle-reads calls of set, over and over.
func parallelLoop[C, K any, R readOps[C, K]](b *testing.B, r R, parallelism, reads int, set func(C, K, *int)) {
	k := r.Key(0)
	b.SetParallelism(parallelism)
	b.RunParallel(func(pb *testing.PB) {
		vals := benchkit.Values(1)
		want := benchkit.Want(vals, 0)
		r.Enter(context.Background(), vals, func(c C) {
			c = r.Bound(c, vals)
			for j := 0; pb.Next(); j++ {
				if j == benchkit.ParallelCycle {
					j = 0
				}
				if j >= reads {
					set(c, k, want)
				} else if v, ok := r.Get(c, k); !ok || v != want {
					benchkit.ErrorGet(b, "parallel", v, ok, want)
					return
				}
			}
		})
	})
}
