package harness

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/localbench/localbench/strategies"
)

// workloadLives are the live workload's rows; short mode stops at 1000.
func workloadLives() []int {
	if testing.Short() {
		return []int{1, 1000}
	}
	return []int{1, 1000, 100000}
}

// BenchLive measures Get of a bound key while that many other goroutines
// hold a binding in the same store, which is what sizes a table keyed by
// goroutine id. The other goroutines are started, bind a key (in a Scope for
// stores, in Bind for raw contestants) and park on a channel before the
// first run of a sub-benchmark; every run of it (-count) uses the same store
// and goroutines, which are released and waited for after the last.
func BenchLive(b *testing.B, cs []Contestant) {
	lives := workloadLives()
	vals := workloadValues(1)
	k, want := workloadKeys()[0], vals[0]
	w := workload{
		name: WorkloadLive,
		rows: rowNames("live", lives),
		setupStore: func(s strategies.Store, row int) func() {
			return parkGoroutines(lives[row], scopeHold(s, vals))
		},
		setupRaw: func(r *Raw, row int) func() {
			return parkGoroutines(lives[row], bindHold(r, vals))
		},
		store: func(b *testing.B, s strategies.Store, _ int) {
			s.Scope(benchCtx, func(ctx context.Context) {
				ctx = bindStore(s, ctx, vals)
				for b.Loop() {
					if v, ok := s.Get(ctx, k); !ok || v != want {
						failGet(b, v, ok, want)
					}
				}
			})
		},
		raw: func(b *testing.B, r *Raw, _ int) {
			r.Bind(benchCtx, vals, func(c Carrier) {
				for b.Loop() {
					if v, ok := r.Get(c, 0); !ok || v != want {
						failGet(b, v, ok, want)
					}
				}
			})
		},
	}
	w.run(b, cs)
}

// parkGoroutines starts n goroutines that each run the func newHold
// returns, and returns once every one of them has called park, which blocks
// until the returned stop is called. stop releases them and waits until
// they have returned. newHold is called once, so that the goroutines share
// one func value and starting them allocates nothing per goroutine (the
// memory workload counts what is left).
func parkGoroutines(n int, newHold func(park func()) (hold func())) (stop func()) {
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

// scopeHold returns a newHold for parkGoroutines whose goroutines enter a
// Scope of s, bind vals and park.
func scopeHold(s strategies.Store, vals []any) func(park func()) func() {
	return func(park func()) func() {
		body := func(ctx context.Context) {
			ctx = bindStore(s, ctx, vals)
			park()
			// An explicit store's bindings live as long as the context.
			runtime.KeepAlive(ctx)
		}
		return func() { s.Scope(benchCtx, body) }
	}
}

// bindHold returns a newHold for parkGoroutines whose goroutines bind vals
// with r's Bind and park.
func bindHold(r *Raw, vals []any) func(park func()) func() {
	return func(park func()) func() {
		body := func(c Carrier) {
			park()
			runtime.KeepAlive(c)
		}
		return func() { r.Bind(benchCtx, vals, body) }
	}
}

// justPark is a newHold for parkGoroutines whose goroutines bind nothing.
func justPark(park func()) func() { return park }
