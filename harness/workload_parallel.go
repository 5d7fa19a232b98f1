package harness

import (
	"context"
	"fmt"
	"testing"

	"github.com/localbench/localbench/strategies"
)

// Sizes of the parallel workloads.
var workloadParallelisms = []int{1, 8, 64}

// parallelCycle is the length of the read/write pattern: reads Gets, then
// parallelCycle-reads Sets.
const parallelCycle = 100

// BenchParallel measures Get-heavy (reads=100: only Gets) and mixed
// (reads=90: 90 Gets then 10 Sets in every 100 operations) traffic under
// b.RunParallel with b.SetParallelism 1, 8 and 64, that is 1, 8 and 64
// goroutines per GOMAXPROCS. Each goroutine first binds one key of its own
// (inside a Scope for stores, inside Bind for raw contestants), as get and
// set do; its Gets read that key, and its Sets rebind it to the value it
// already has, so that every Get can be checked. An operation is then what
// one operation of get or set is, and parallel-get at parallelism 1 against
// get shows how reads scale with cores. (An earlier version cycled through
// 4 keys, which made each operation about a fifth dearer than a get on a
// 2-core machine and muddied that comparison.) The two patterns are two
// workloads (parallel-get and parallel-mixed), so that a contestant that
// cannot Set still has a complete table for the first.
func BenchParallel(b *testing.B, cs []Contestant) {
	workloadParallelGet.run(b, cs)
	workloadParallelMixed.run(b, cs)
}

var (
	workloadParallelGet   = parallelWorkload(WorkloadParallelGet, parallelCycle)
	workloadParallelMixed = parallelWorkload(WorkloadParallelMixed, 90)
)

func parallelWorkload(name string, reads int) workload {
	rows := make([]string, len(workloadParallelisms))
	for i, p := range workloadParallelisms {
		rows[i] = fmt.Sprintf("reads=%d/parallelism=%d", reads, p)
	}
	w := workload{
		name: name,
		rows: rows,
		store: func(b *testing.B, s strategies.Store, row int) {
			k := workloadKeys()[0]
			b.SetParallelism(workloadParallelisms[row])
			b.RunParallel(func(pb *testing.PB) {
				vals := workloadValues(1)
				want := vals[0]
				s.Scope(benchCtx, func(ctx context.Context) {
					ctx = bindStore(s, ctx, vals)
					for j := 0; pb.Next(); j++ {
						if j == parallelCycle {
							j = 0
						}
						if j >= reads {
							_ = s.Set(ctx, k, want)
						} else if v, ok := s.Get(ctx, k); !ok || v != want {
							b.Errorf("Get = %v, %t; want %v, true", v, ok, want)
							return
						}
					}
				})
			})
		},
		raw: func(b *testing.B, r *Raw, row int) {
			b.SetParallelism(workloadParallelisms[row])
			b.RunParallel(func(pb *testing.PB) {
				vals := workloadValues(1)
				want := vals[0]
				r.Bind(benchCtx, vals, func(c Carrier) {
					for j := 0; pb.Next(); j++ {
						if j == parallelCycle {
							j = 0
						}
						if j >= reads {
							_ = r.Set(c, 0, want)
						} else if v, ok := r.Get(c, 0); !ok || v != want {
							b.Errorf("Get = %v, %t; want %v, true", v, ok, want)
							return
						}
					}
				})
			})
		},
	}
	if reads < parallelCycle {
		w.needs = func(r *Raw) bool { return r.Set != nil }
	}
	return w
}
