package harness

import (
	"context"
	"fmt"
	"testing"

	"github.com/localbench/localbench/strategies"
)

// Sizes of the parallel workloads.
var workloadParallelisms = []int{1, 8, 64}

const (
	// parallelKeys is how many keys each parallel goroutine binds; its
	// operations cycle through them.
	parallelKeys = 4
	// parallelCycle is the length of the read/write pattern: reads Gets,
	// then parallelCycle-reads Sets.
	parallelCycle = 100
)

// BenchParallel measures Get-heavy (reads=100: only Gets) and mixed
// (reads=90: 90 Gets then 10 Sets in every 100 operations) traffic under
// b.RunParallel with b.SetParallelism 1, 8 and 64, that is 1, 8 and 64
// goroutines per GOMAXPROCS. Each goroutine first binds 4 keys of its own
// (inside a Scope for stores, inside Bind for raw contestants), then cycles
// its operations over those keys; a Set rebinds the value the key already
// has, so every Get can be checked. The two patterns are two workloads
// (parallel-get and parallel-mixed), so that a contestant that cannot Set
// still has a complete table for the first.
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
			keys := workloadKeys()
			b.SetParallelism(workloadParallelisms[row])
			b.RunParallel(func(pb *testing.PB) {
				vals := workloadValues(parallelKeys)
				s.Scope(benchCtx, func(ctx context.Context) {
					ctx = bindStore(s, ctx, vals)
					for j := 0; pb.Next(); j++ {
						if j == parallelCycle {
							j = 0
						}
						k, want := keys[j%parallelKeys], vals[j%parallelKeys]
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
				vals := workloadValues(parallelKeys)
				r.Bind(benchCtx, vals, func(c Carrier) {
					for j := 0; pb.Next(); j++ {
						if j == parallelCycle {
							j = 0
						}
						i, want := j%parallelKeys, vals[j%parallelKeys]
						if j >= reads {
							_ = r.Set(c, i, want)
						} else if v, ok := r.Get(c, i); !ok || v != want {
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
