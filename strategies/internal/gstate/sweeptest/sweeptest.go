// Package sweeptest checks a store's Sweep, its background sweeps and its
// Close: the tests mapid and shardedmap share, written once.
package sweeptest

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/internal/liveids"
	"github.com/localbench/localbench/strategies/internal/wait"
	"github.com/petermattis/goid"
)

// Store is what Run checks: a store with Live, Release, Sweep and Close.
type Store interface {
	strategies.Store
	strategies.Counter
	strategies.Releaser
	io.Closer
	Sweep() int
}

// Factory makes the stores Run checks.
type Factory[S Store] struct {
	New      func() S              // no options
	Every    func(time.Duration) S // New(SweepEvery(d))
	OnGrowth func() S              // New(SweepOnGrowth())
}

// Run runs every check on stores made by f, one subtest each.
func Run[T any, S interface {
	*T
	Store
}](t *testing.T, f Factory[S]) {
	t.Run("KeepsLive", func(t *testing.T) { keepsLive(t, f.New()) })
	t.Run("DropsDead", func(t *testing.T) { dropsDead(t, f.New()) })
	t.Run("Stress", func(t *testing.T) { stress(t, f.New()) })
	t.Run("Every", func(t *testing.T) { every(t, f.Every(time.Millisecond)) })
	t.Run("OnGrowth", func(t *testing.T) { onGrowth(t, f.OnGrowth()) })
	t.Run("Close", func(t *testing.T) { closes(t, f) })
	t.Run("Collected", func(t *testing.T) {
		collected[T](t, func() S { return f.Every(time.Millisecond) }, true)
		collected[T](t, func() S { return f.Every(time.Millisecond) }, false)
		collected[T](t, f.OnGrowth, false)
	})
}

var (
	key1 = strategies.NewKey("sweeptest-1")
	key2 = strategies.NewKey("sweeptest-2")
)

// keepsLive parks goroutines that hold entries, half bound outside any
// scope and half inside one, sweeps, and has each check its values.
func keepsLive(t *testing.T, s Store) {
	defer s.Close()
	const n = 100
	ctx := context.Background()
	h := park(n, func(i int, serve func()) {
		bind := func(ctx context.Context) {
			s.Set(ctx, key1, i)
			s.Set(ctx, key2, -i)
			serve()
		}
		if i%2 == 0 {
			bind(ctx)
			s.Release(ctx)
		} else {
			s.Scope(ctx, bind)
		}
	})
	defer h.release()
	if got := s.Live(); got != n {
		t.Errorf("Live() = %d with %d goroutines parked holding entries; want %d", got, n, n)
	}
	for range 3 {
		if got := s.Sweep(); got != 0 {
			t.Errorf("Sweep() = %d with only live goroutines holding entries; want 0: Sweep never drops the entry of a live goroutine", got)
		}
	}
	if got := s.Live(); got != n {
		t.Errorf("Live() = %d after Sweep; want %d", got, n)
	}
	h.check(t, func(i int) {
		if v, ok := s.Get(ctx, key1); v != i || !ok {
			t.Errorf("goroutine %d: Get(key1) = %v, %t after Sweep; want %d, true: Sweep never drops the entry of a live goroutine", i, v, ok, i)
		}
		if v, ok := s.Get(ctx, key2); v != -i || !ok {
			t.Errorf("goroutine %d: Get(key2) = %v, %t after Sweep; want %d, true", i, v, ok, -i)
		}
	})
}

// dropsDead leaks entries of goroutines that exit, waits until they are
// gone, and checks that one Sweep drops exactly those.
func dropsDead(t *testing.T, s Store) {
	defer s.Close()
	const n = 200
	ctx := context.Background()
	h := park(1, func(_ int, serve func()) {
		s.Set(ctx, key1, "kept")
		serve()
		s.Release(ctx)
	})
	defer h.release()
	base := s.Live()
	ids := leak(s, n)
	if got := s.Live(); got != base+n {
		t.Fatalf("Live() = %d after %d goroutines Set and exited; want %d", got, n, base+n)
	}
	awaitExit(t, ids)
	if got := s.Sweep(); got != n {
		t.Errorf("Sweep() = %d after %d goroutines that held entries exited; want %d", got, n, n)
	}
	if got := s.Live(); got != base {
		t.Errorf("Live() = %d after Sweep; want %d: every entry of an exited goroutine is dropped", got, base)
	}
	if got := s.Sweep(); got != 0 {
		t.Errorf("Sweep() = %d again; want 0", got)
	}
	h.check(t, func(int) {
		if v, ok := s.Get(ctx, key1); v != "kept" || !ok {
			t.Errorf("Get(key1) = %v, %t on a parked goroutine after Sweep; want kept, true", v, ok)
		}
	})
}

// stress has goroutines come and go, binding outside and inside scopes,
// releasing or leaking, while other goroutines hold entries and sweeps run
// without a pause. Every goroutine checks its values after each Set. Run it
// with -race.
func stress(t *testing.T, s Store) {
	defer s.Close()
	const holders, spawners, rounds, sets = 20, 4, 150, 10
	ctx := context.Background()
	stop := make(chan struct{})
	var holding, spawning, sweeping sync.WaitGroup
	for r := range holders {
		holding.Go(func() {
			s.Set(ctx, key1, r)
			defer s.Release(ctx)
			for {
				if v, ok := s.Get(ctx, key1); v != r || !ok {
					t.Errorf("holder %d: Get(key1) = %v, %t during sweeps; want %d, true: Sweep never drops the entry of a live goroutine", r, v, ok, r)
					return
				}
				select {
				case <-stop:
					return
				default:
					runtime.Gosched()
				}
			}
		})
	}
	sweeps := 0
	sweeping.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				s.Sweep()
				sweeps++
			}
		}
	})
	for c := range spawners {
		spawning.Go(func() {
			for i := range rounds {
				done := make(chan struct{})
				go func() {
					defer close(done)
					base := (c*rounds + i) * sets
					for j := range sets {
						want := base + j
						s.Set(ctx, key1, want)
						if v, ok := s.Get(ctx, key1); v != want || !ok {
							t.Errorf("Get(key1) = %v, %t right after Set(%d) during sweeps; want %d, true", v, ok, want, want)
						}
					}
					s.Scope(ctx, func(ctx context.Context) {
						s.Set(ctx, key2, base)
						if v, ok := s.Get(ctx, key2); v != base || !ok {
							t.Errorf("Get(key2) = %v, %t in a scope during sweeps; want %d, true", v, ok, base)
						}
					})
					if v, ok := s.Get(ctx, key1); v != base+sets-1 || !ok {
						t.Errorf("Get(key1) = %v, %t after a scope during sweeps; want %d, true", v, ok, base+sets-1)
					}
					if i%2 == 0 {
						s.Release(ctx) // the others leak their entry
					}
				}()
				<-done
			}
		})
	}
	spawning.Wait()
	close(stop)
	sweeping.Wait()
	holding.Wait()
	t.Logf("%d sweeps ran", sweeps)
	if sweeps == 0 {
		t.Errorf("no sweep ran while goroutines came and went; want at least one")
	}
	// Every goroutine has exited or is exiting: sweeps drop what is left.
	wait.Until(t, "Live() back to 0 by sweeping", func() bool {
		s.Sweep()
		return s.Live() == 0
	})
}

// every checks that SweepEvery sweeps without being asked.
func every(t *testing.T, s Store) {
	defer s.Close()
	base := s.Live()
	leak(s, 10)
	wait.Until(t, "Live() back to its value before 10 goroutines leaked entries, with SweepEvery(1ms)", func() bool {
		return s.Live() == base
	})
}

// onGrowth checks that SweepOnGrowth sweeps when entries pile up.
func onGrowth(t *testing.T, s Store) {
	defer s.Close()
	const n = 3000 // sweeps start at 1024 entries
	base := s.Live()
	leak(s, n)
	wait.Until(t, "at most half the entries of 3000 exited goroutines left, with SweepOnGrowth", func() bool {
		return s.Live()-base <= n/2
	})
}

// closes checks Close: it stops the background goroutine before it
// returns, it may be called again, and Sweep still works after it.
func closes[S Store](t *testing.T, f Factory[S]) {
	if err := f.New().Close(); err != nil {
		t.Errorf("Close() = %v on a store made without options; want nil", err)
	}
	before := sweepers()
	s := f.Every(time.Millisecond)
	// A goroutine not yet started shows no frame of its function.
	wait.Until(t, "the background sweeper of New(SweepEvery(1ms)) to start", func() bool {
		return sweepers() == before+1
	})
	if err := s.Close(); err != nil {
		t.Errorf("Close() = %v; want nil", err)
	}
	// Close has waited for the sweeper to finish, which may still be
	// returning from its function.
	wait.Until(t, "the background sweeper to end after Close", func() bool {
		return sweepers() == before
	})
	if err := s.Close(); err != nil {
		t.Errorf("Close() again = %v; want nil: Close is idempotent", err)
	}
	// Had the 1ms sweeper outlived Close, it would likely have dropped
	// these entries before the Sweep below.
	ids := leak(s, 5)
	awaitExit(t, ids)
	if got := s.Sweep(); got != 5 {
		t.Errorf("Sweep() = %d after Close, with 5 exited goroutines' entries; want 5: no background sweep runs after Close, and Sweep still works", got)
	}
}

// collected checks that a store with background sweeps, dropped (after
// Close if close is set), is garbage collected, and that its background
// goroutine then ends.
func collected[T any, S interface {
	*T
	Store
}](t *testing.T, mk func() S, close bool) {
	before := sweepers()
	gone := make(chan struct{})
	func() {
		s := mk()
		s.Set(context.Background(), key1, 1)
		s.Release(context.Background())
		runtime.AddCleanup((*T)(s), func(ch chan struct{}) { ch <- struct{}{} }, gone)
		if close {
			s.Close()
		}
	}()
	ok := false
	for range 100 {
		runtime.GC()
		select {
		case <-gone:
			ok = true
		case <-time.After(10 * time.Millisecond):
			continue
		}
		break
	}
	if !ok {
		t.Errorf("store with a background sweeper (closed: %t) not collected after it was dropped; want it collected: the sweeper must not keep it alive", close)
		return
	}
	wait.Until(t, "the background sweeper of a collected store to end", func() bool {
		return sweepers() == before
	})
}

// sweepers returns the number of periodic background sweepers running.
func sweepers() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return bytes.Count(buf[:n], []byte("gstate.(*Background).periodic("))
		}
		buf = make([]byte, 2*len(buf))
	}
}

// holders are parked goroutines holding entries.
type holders struct {
	checks []chan func(int)
	done   sync.WaitGroup
}

// park starts n goroutines that each call hold(i, serve); hold binds
// values and calls serve, which parks the goroutine, running the funcs
// that check sends it, until release.
func park(n int, hold func(i int, serve func())) *holders {
	h := &holders{checks: make([]chan func(int), n)}
	var bound sync.WaitGroup
	bound.Add(n)
	for i := range n {
		h.checks[i] = make(chan func(int))
		h.done.Go(func() {
			hold(i, func() {
				bound.Done()
				for fn := range h.checks[i] {
					fn(i)
				}
			})
		})
	}
	bound.Wait()
	return h
}

// release ends the parked goroutines and waits for them.
func (h *holders) release() {
	for _, c := range h.checks {
		close(c)
	}
	h.done.Wait()
}

// check has every parked goroutine run fn with its index, and waits.
func (h *holders) check(t *testing.T, fn func(int)) {
	var ran sync.WaitGroup
	ran.Add(len(h.checks))
	for _, c := range h.checks {
		c <- func(i int) { defer ran.Done(); fn(i) }
	}
	ran.Wait()
}

// leak starts n goroutines, a few at a time, that each Set a value outside
// any scope and exit without Release, and returns their ids once each has
// made its entry.
func leak(s Store, n int) []int64 {
	const batch = 100
	ctx := context.Background()
	ids := make([]int64, n)
	for lo := 0; lo < n; lo += batch {
		var wg sync.WaitGroup
		for i := lo; i < min(lo+batch, n); i++ {
			wg.Go(func() {
				s.Set(ctx, key1, i)
				ids[i] = goid.Get()
			})
		}
		wg.Wait()
	}
	return ids
}

// awaitExit waits until no goroutine of ids is alive: a goroutine that has
// signalled its end may still be returning.
func awaitExit(t *testing.T, ids []int64) {
	t.Helper()
	wait.Until(t, "leaking goroutines to exit", func() bool {
		live, _ := liveids.Take(0)
		for _, id := range ids {
			if live.Contains(id) {
				return false
			}
		}
		return true
	})
}
