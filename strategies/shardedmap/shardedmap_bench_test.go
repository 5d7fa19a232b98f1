package shardedmap_test

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/localbench/localbench/strategies/shardedmap"
	"github.com/petermattis/goid"
)

// These are microbenchmarks of shardedmap alone, against the floor it is
// measured by (a bare goid.Get). The cross-strategy workloads live in
// package harness.

func BenchmarkGoidGet(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		goid.Get()
	}
}

var sink any

// BenchmarkShardedGet reads a bound key, with other goroutines holding
// entries in the same store so that the tables are as full as they get.
func BenchmarkShardedGet(b *testing.B) {
	for _, others := range []int{0, 10000} {
		b.Run("others="+itoa(others), func(b *testing.B) {
			ctx := context.Background()
			s := shardedmap.New()
			k := strategies.NewKey("k")
			release := park(s, k, others)
			defer release()
			s.Set(ctx, k, new(int))
			defer s.Release(ctx)
			b.ReportAllocs()
			for b.Loop() {
				s.Get(ctx, k)
			}
		})
	}
}

// park starts n goroutines that bind k in s and wait; release ends them.
func park(s *shardedmap.Store, k *strategies.Key, n int) (release func()) {
	ctx := context.Background()
	var bound sync.WaitGroup
	done := make(chan struct{})
	bound.Add(n)
	for range n {
		go func() {
			s.Set(ctx, k, k)
			bound.Done()
			<-done
			s.Release(ctx)
		}()
	}
	bound.Wait()
	return func() { close(done) }
}

// BenchmarkShardedGetUnbound is Get on a goroutine that has no entry: a
// probe that ends at an empty slot.
func BenchmarkShardedGetUnbound(b *testing.B) {
	ctx := context.Background()
	s := shardedmap.New()
	k := strategies.NewKey("k")
	b.ReportAllocs()
	for b.Loop() {
		s.Get(ctx, k)
	}
}

// BenchmarkShardedSet overwrites a bound key with a pointer.
func BenchmarkShardedSet(b *testing.B) {
	ctx := context.Background()
	s := shardedmap.New()
	k := strategies.NewKey("k")
	v := new(int)
	s.Set(ctx, k, v)
	defer s.Release(ctx)
	b.ReportAllocs()
	for b.Loop() {
		s.Set(ctx, k, v)
	}
}

// BenchmarkShardedScope is one request on a goroutine with no entry: Scope,
// Set, Get, and the entry's removal when the scope ends.
func BenchmarkShardedScope(b *testing.B) {
	ctx := context.Background()
	s := shardedmap.New()
	k := strategies.NewKey("k")
	v := new(int)
	body := func(ctx context.Context) {
		s.Set(ctx, k, v)
		s.Get(ctx, k)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Scope(ctx, body)
	}
}

// BenchmarkShardedGetParallel is Get from GOMAXPROCS×parallelism
// goroutines at once, each reading its own binding.
func BenchmarkShardedGetParallel(b *testing.B) {
	for _, p := range []int{1, 8} {
		b.Run("parallelism="+itoa(p), func(b *testing.B) {
			ctx := context.Background()
			s := shardedmap.New()
			k := strategies.NewKey("k")
			b.SetParallelism(p)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				s.Set(ctx, k, new(int))
				defer s.Release(ctx)
				var x any
				for pb.Next() {
					x, _ = s.Get(ctx, k)
				}
				sink = x
			})
		})
	}
}

// BenchmarkRetained measures the heap that goroutines holding four pointer
// bindings each keep alive beyond the values (which are shared here), in
// bytes per goroutine.
func BenchmarkRetained(b *testing.B) {
	for _, tc := range []struct {
		name string
		new  func() strategies.Store
	}{
		{"shardedmap", func() strategies.Store { return shardedmap.New() }},
		{"mapid", func() strategies.Store { return mapid.New() }},
	} {
		b.Run("strategy="+tc.name, func(b *testing.B) {
			const goroutines = 10000
			var per float64
			b.ReportAllocs()
			for b.Loop() {
				per = retained(tc.new(), goroutines)
			}
			b.ReportMetric(per, "B/goroutine")
		})
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + itoa(n%10)
}

// retained starts n goroutines, parks them, then has each bind four keys to
// one shared pointer and park again, and returns the growth of the live heap
// between the two parkings per goroutine.
func retained(s strategies.Store, n int) float64 {
	ctx := context.Background()
	keys := []*strategies.Key{
		strategies.NewKey("a"), strategies.NewKey("b"),
		strategies.NewKey("c"), strategies.NewKey("d"),
	}
	v := new(int)
	var parked, bound sync.WaitGroup
	set, exit := make(chan struct{}), make(chan struct{})
	parked.Add(n)
	bound.Add(n)
	for range n {
		go func() {
			parked.Done()
			<-set
			for _, k := range keys {
				s.Set(ctx, k, v)
			}
			bound.Done()
			<-exit
			s.(strategies.Releaser).Release(ctx)
		}()
	}
	parked.Wait()
	before := liveHeap()
	close(set)
	bound.Wait()
	after := liveHeap()
	close(exit)
	runtime.KeepAlive(s)
	return float64(after-before) / float64(n)
}

func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
