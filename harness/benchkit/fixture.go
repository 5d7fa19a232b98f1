package benchkit

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// ParkGoroutines starts n goroutines that each run the func newHold
// returns, and returns once every one of them has called park, which
// blocks until the returned stop is called. stop releases them and waits
// until they have returned. newHold is called once, so that the goroutines
// share one func value and starting them allocates nothing per goroutine
// (the memory workload counts what is left).
func ParkGoroutines(n int, newHold func(park func()) (hold func())) (stop func()) {
	release := make(chan struct{})
	var parked, done sync.WaitGroup
	parked.Add(n)
	done.Add(n)
	hold := newHold(func() {
		parked.Done()
		<-release
	})
	run := func() {
		defer done.Done()
		hold()
	}
	for range n {
		go run()
	}
	parked.Wait()
	return func() {
		close(release)
		done.Wait()
	}
}

// JustPark is a newHold for ParkGoroutines whose goroutines bind nothing.
func JustPark(park func()) func() { return park }

// ParkedBatch returns a batch for BenchRetained that starts n goroutines
// (see ParkGoroutines) and returns once all are parked; its stop releases
// them.
func ParkedBatch(n int, newHold func(park func()) func()) func() (stop func()) {
	return func() func() { return ParkGoroutines(n, newHold) }
}

// ExitedBatch returns a batch for BenchRetained that runs fn on n new
// goroutines and returns once all have finished fn.
func ExitedBatch(n int, fn func()) func() (stop func()) {
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

// UnitHeapPerGoroutine is the unit of the metric BenchRetained reports.
const UnitHeapPerGoroutine = "B/goroutine"

// BenchRetained times batch once per iteration and reports the heap it
// retains until its stop is called, less what baseline retains, per
// goroutine of a batch of n, in UnitHeapPerGoroutine. Everything but batch
// itself runs with the timer stopped.
func BenchRetained(b *testing.B, n int, baseline, batch func() (stop func())) {
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
	b.ReportMetric(float64(heap)/float64(batches*n), UnitHeapPerGoroutine)
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

// StartWorker starts one pool worker goroutine. work hands it f and returns
// once the worker has run f; stop ends the worker.
func StartWorker() (work func(f func()), stop func()) {
	tasks := make(chan func())
	done := make(chan struct{})
	go func() {
		for f := range tasks {
			f()
			done <- struct{}{}
		}
	}()
	work = func(f func()) {
		tasks <- f
		<-done
	}
	return work, func() { close(tasks) }
}
