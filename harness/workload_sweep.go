package harness

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/localbench/localbench/harness/benchkit"
	"github.com/localbench/localbench/strategies"
)

// WorkloadSweep is the name of the sweep workload, printed by BenchSweep
// as its configuration line.
const WorkloadSweep = "sweep"

// workloadSweepLives are the sweep workload's rows; short mode runs only
// the first.
func workloadSweepLives() []int {
	if testing.Short() {
		return []int{1000}
	}
	return []int{1000, 10000, 100000}
}

// BenchSweep measures one Sweep of each store contestant in cs whose store
// has a method Sweep() int (mapid and shardedmap do); the others are
// skipped. Each store holds entries of live goroutines, parked inside a
// Scope, and a tenth as many entries left by goroutines that Set outside any
// scope and exited. The dead entries are made again before every sweep,
// with the timer stopped, and the sweep must drop exactly them. Live
// goroutines are started once per sub-benchmark, "strategy=NAME/live=N",
// and one untimed sweep then sizes the store's buffer for the dump, so that
// what is measured is a sweep in a program that sweeps at intervals.
//
// A sweep's cost is dominated by runtime.Stack's dump of every goroutine,
// made with the world stopped; so the time is per sweep, and the metric
// ns/goroutine divides it by the number of goroutines in the process.
func BenchSweep(b *testing.B, cs []Contestant) {
	printWorkload(WorkloadSweep)
	for _, c := range cs {
		if c.New == nil || !hasSweep(c.New) {
			continue
		}
		benchSweep(b, c.Name, c.New)
	}
}

// hasSweep reports whether the stores newStore makes have Sweep() int.
func hasSweep(newStore func() strategies.Store) bool {
	s := newStore()
	defer closeStore(s)
	_, ok := s.(interface{ Sweep() int })
	return ok
}

func benchSweep(b *testing.B, strategy string, newStore func() strategies.Store) {
	for _, live := range workloadSweepLives() {
		b.Run(fmt.Sprintf("strategy=%s/live=%d", strategy, live), func(b *testing.B) {
			s := newStore()
			defer closeStore(s)
			sw := s.(interface{ Sweep() int })
			stop := benchkit.ParkGoroutines(live, holdBound(newStoreOps(s), benchkit.Values(1)))
			defer stop()
			dead := live / 10
			// A first sweep, untimed, sizes the store's dump buffer, as
			// in a program that sweeps at intervals.
			sw.Sweep()
			b.ReportAllocs()
			goroutines := 0
			for b.Loop() {
				b.StopTimer()
				leakEntries(b, s, dead)
				goroutines = runtime.NumGoroutine()
				b.StartTimer()
				if got := sw.Sweep(); got != dead {
					b.Fatalf("Sweep() = %d with %d entries of exited goroutines; want %d", got, dead, dead)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(goroutines), "ns/goroutine")
		})
	}
}

// leakEntries has n goroutines Set a value outside any scope and exit
// without Release, and returns once every one of them has exited (so that
// a sweep finds their entries dead), by waiting for runtime.NumGoroutine
// to come back down.
func leakEntries(b *testing.B, s strategies.Store, n int) {
	base := runtime.NumGoroutine()
	k, v := workloadKeys()[0], benchkit.Values(1)[0]
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { s.Set(context.Background(), k, v) })
	}
	wg.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			b.Fatalf("%d goroutines still running 10s after they signalled their end", runtime.NumGoroutine()-base)
		}
		runtime.Gosched()
	}
}
