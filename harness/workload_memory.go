package harness

import (
	"context"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/localbench/localbench/strategies"
)

// workloadRetainGoroutines is how many goroutines one batch of the memory and
// leak workloads starts.
func workloadRetainGoroutines() int {
	if testing.Short() {
		return 100
	}
	return 5000
}

// unitHeapPerGoroutine is the unit of the metric the memory and leak
// workloads report.
const unitHeapPerGoroutine = "B/goroutine"

// BenchMemory measures the memory a store holds for a goroutine that holds 4
// bindings. One operation starts a batch of goroutines that each enter a
// Scope (raw contestants: Bind), bind 4 keys and park on a channel; the
// metric B/goroutine is the live heap after a GC with the batch parked, less
// the same for a batch of goroutines that park with no bindings, divided by
// the batch size and averaged over the batches. The bound values are
// pointers allocated once and shared by every goroutine, so the figure is
// the store's own overhead (entries, maps, nodes, frames), not the values'.
// Goroutine stacks are not heap and are not counted: a store that deepens
// the stack (gls's scopes) costs more than this shows. The time and
// allocation figures are per batch.
func BenchMemory(b *testing.B, cs []Contestant) {
	n := workloadRetainGoroutines()
	w := workload{
		name: WorkloadMemory,
		rows: []string{"bindings=4/goroutines=" + strconv.Itoa(n)},
		store: func(b *testing.B, s strategies.Store, _ int) {
			vals := workloadValues(spawnBindings)
			benchRetained(b, n, parkedBatch(n, justPark), parkedBatch(n, scopeHold(s, vals)))
		},
		raw: func(b *testing.B, r *Raw, _ int) {
			vals := workloadValues(spawnBindings)
			benchRetained(b, n, parkedBatch(n, justPark), parkedBatch(n, bindHold(r, vals)))
		},
	}
	w.run(b, cs)
}

// BenchLeak measures the memory left behind by goroutines started with a
// plain go statement that bind 4 keys and exit without Release. One
// operation runs a batch of such goroutines to the end; the metric
// B/goroutine is the live heap after a GC, less the same for a batch of
// goroutines that bind nothing, per goroutine. A store whose Info().Leaks is
// false should come out at about 0. Stores whose Info().NeedsScope is true
// can bind only inside a Scope, so their goroutines bind in one (and leave
// it before exiting); raw contestants bind with Set outside any Bind.
func BenchLeak(b *testing.B, cs []Contestant) {
	n := workloadRetainGoroutines()
	w := workload{
		name:  WorkloadLeak,
		rows:  []string{"bindings=4/goroutines=" + strconv.Itoa(n)},
		needs: func(r *Raw) bool { return r.Set != nil },
		store: func(b *testing.B, s strategies.Store, _ int) {
			vals := workloadValues(spawnBindings)
			bind := func() { bindStore(s, benchCtx, vals) }
			if s.Info().NeedsScope {
				body := func(ctx context.Context) { bindStore(s, ctx, vals) }
				bind = func() { s.Scope(benchCtx, body) }
			}
			benchRetained(b, n, exitedBatch(n, func() {}), exitedBatch(n, bind))
		},
		raw: func(b *testing.B, r *Raw, _ int) {
			vals := workloadValues(spawnBindings)
			bind := func() {
				c := Carrier{Ctx: benchCtx}
				for i, v := range vals {
					c.Ctx = r.Set(c, i, v)
				}
			}
			benchRetained(b, n, exitedBatch(n, func() {}), exitedBatch(n, bind))
		},
	}
	w.run(b, cs)
}

// parkedBatch returns a batch that starts n goroutines (see parkGoroutines)
// and returns once all are parked; its stop releases them.
func parkedBatch(n int, newHold func(park func()) func()) func() (stop func()) {
	return func() func() { return parkGoroutines(n, newHold) }
}

// exitedBatch returns a batch that runs fn on n new goroutines and returns
// once all have finished fn.
func exitedBatch(n int, fn func()) func() (stop func()) {
	return func() func() {
		var wg sync.WaitGroup
		wg.Add(n)
		run := func() {
			defer wg.Done()
			fn()
		}
		for range n {
			go run()
		}
		wg.Wait()
		return func() {}
	}
}

// benchRetained times batch once per iteration and reports the heap it
// retains until its stop is called, less what baseline retains, per
// goroutine of a batch of n. Everything but batch itself runs
// with the timer stopped.
func benchRetained(b *testing.B, n int, baseline, batch func() (stop func())) {
	// A first baseline batch leaves n finished goroutines for the runtime
	// to reuse, so that goroutine descriptors allocated by the measured
	// batches are not counted.
	baseline()()
	m0 := liveHeap()
	stop := baseline()
	base := liveHeap() - m0
	stop()
	var heap int64
	batches := 0
	for b.Loop() {
		b.StopTimer()
		before := liveHeap()
		b.StartTimer()
		stop := batch()
		b.StopTimer()
		heap += liveHeap() - before - base
		stop()
		batches++
		b.StartTimer()
	}
	b.ReportMetric(float64(heap)/float64(batches*n), unitHeapPerGoroutine)
}

// liveHeap collects garbage and returns the bytes of heap still allocated.
// Objects with finalizers (routine's per-goroutine structs have one) are
// freed only by the collection after their finalizer has run, so it
// collects, waits for the finalizers that collection queued, and collects
// again.
func liveHeap() int64 {
	runtime.GC()
	waitFinalizers()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// waitFinalizers collects garbage once more and waits (up to a second) for
// the finalizer of an object that collection found dead to run, by which
// time the finalizers queued before it have run too.
func waitFinalizers() {
	done := make(chan struct{})
	sentinel := new([32]byte) // not a tiny allocation, which may never be finalized
	runtime.SetFinalizer(sentinel, func(*[32]byte) { close(done) })
	sentinel = nil
	runtime.GC()
	select {
	case <-done:
	case <-time.After(time.Second):
	}
}
