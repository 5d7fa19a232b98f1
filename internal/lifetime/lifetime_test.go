package lifetime

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"weak"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
	"github.com/localbench/localbench/strategies/gls"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/localbench/localbench/strategies/shardedmap"
)

// soakEnv is the environment variable that turns on the long versions of
// the stress tests: LOCALBENCH_SOAK=1.
const soakEnv = "LOCALBENCH_SOAK"

// waitTimeout bounds every wait, so that a broken store fails instead of
// hanging.
const waitTimeout = 60 * time.Second

// strategy is one strategy under test.
type strategy struct {
	name string
	// open returns a new store and a func that reports whether the store is
	// still reachable (through a weak pointer to it).
	open func() (strategies.Store, func() bool)
	// slow is how many times slower than the others the strategy is at the
	// per-operation work of the longest stress tests (gls walks the stack
	// on every call); outside soak mode those tests run 1/slow of their
	// size on it, to stay within their time budget. 0 means 1.
	slow int
}

// weakly turns a constructor into an open func for strategy.
func weakly[T any, P interface {
	*T
	strategies.Store
}](newStore func() P) func() (strategies.Store, func() bool) {
	return func() (strategies.Store, func() bool) {
		p := newStore()
		w := weak.Make((*T)(p))
		return p, func() bool { return w.Value() != nil }
	}
}

// allStrategies returns the four strategies, in a fixed order.
func allStrategies() []strategy {
	return []strategy{
		{name: "mapid", open: weakly(func() *mapid.Store { return mapid.New() })},
		{name: "shardedmap", open: weakly(func() *shardedmap.Store { return shardedmap.New() })},
		{name: "ctxvalue", open: weakly(func() *ctxvalue.Store { return ctxvalue.New() })},
		{name: "gls", open: weakly(func() *gls.Store { return gls.New() }), slow: 20},
	}
}

// newStore returns a new store of strategy st, closed (if it is an
// io.Closer) when the test ends.
func newStore(t *testing.T, st strategy) strategies.Store {
	t.Helper()
	s, _ := st.open()
	closeAtEnd(t, s)
	return s
}

func closeAtEnd(t *testing.T, s strategies.Store) {
	if c, ok := s.(io.Closer); ok {
		t.Cleanup(func() {
			if err := c.Close(); err != nil {
				t.Errorf("Close() = %v; want nil", err)
			}
		})
	}
}

// forEach runs fn in one subtest per strategy, named strategy=<name>, each
// with a fresh store.
func forEach(t *testing.T, fn func(t *testing.T, st strategy, s strategies.Store)) {
	for _, st := range allStrategies() {
		t.Run("strategy="+st.name, func(t *testing.T) {
			fn(t, st, newStore(t, st))
		})
	}
}

// size is a test's size in each mode.
type size struct {
	short  int // with -short
	normal int // by default
	race   int // by default under the race detector
	soak   int // with LOCALBENCH_SOAK=1, race detector or not
}

// soak reports whether the long versions run.
func soak() bool { return os.Getenv(soakEnv) == "1" }

// pick returns the size for this run and the name of the mode.
func (z size) pick() (int, string) {
	switch {
	case soak():
		return z.soak, "soak"
	case testing.Short():
		return z.short, "short"
	case raceEnabled:
		return z.race, "race"
	}
	return z.normal, "normal"
}

// scaled returns n for strategy st: n/st.slow, except in soak mode, which
// runs every strategy at full size.
func (st strategy) scaled(n int) int {
	if soak() || st.slow <= 1 {
		return n
	}
	return max(n/st.slow, 1)
}

// scaleNote says, for a log line, that a size was scaled down.
func (st strategy) scaleNote(n, full int) string {
	if n == full {
		return ""
	}
	return fmt.Sprintf(", 1/%d for %s", st.slow, st.name)
}

// seed returns the seed of a randomised test: harness.SeedEnv if set, or a
// new one, and logs how to repeat it.
func seed(t *testing.T) uint64 {
	t.Helper()
	var n uint64
	if v, ok := os.LookupEnv(harness.SeedEnv); ok {
		if _, err := fmt.Sscan(v, &n); err != nil {
			t.Fatalf("%s=%q: %v", harness.SeedEnv, v, err)
		}
	} else {
		n = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (set %s=%d to repeat)", n, harness.SeedEnv, n)
	return n
}

// errs collects failures from many goroutines: the first few are reported
// with t.Errorf (which is safe from any goroutine), the rest only counted,
// so that a broken store does not flood the output.
type errs struct {
	t       *testing.T
	n       atomic.Int64
	foreign atomic.Int64 // values that belonged to another goroutine
}

const maxReported = 10

func (e *errs) Errorf(format string, args ...any) {
	e.t.Helper()
	if e.n.Add(1) <= maxReported {
		e.t.Errorf(format, args...)
	}
}

// sawForeign records that a goroutine saw another goroutine's value.
func (e *errs) sawForeign() { e.foreign.Add(1) }

// flush reports what was only counted; only the test goroutine calls it.
func (e *errs) flush() {
	e.t.Helper()
	if n := e.n.Load(); n > maxReported {
		e.t.Errorf("… and %d more failures like the above", n-maxReported)
	}
	if n := e.foreign.Load(); n > 0 {
		e.t.Errorf("%d times a goroutine saw a value bound by another goroutine; want 0: a goroutine never sees another goroutine's bindings unless it was handed them", n)
	} else {
		e.t.Logf("no goroutine saw another goroutine's value")
	}
}

// waitGroup waits for wg, failing the test (on the test goroutine) if that
// takes longer than waitTimeout.
func waitGroup(t *testing.T, wg *sync.WaitGroup, what string) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(waitTimeout):
		t.Fatalf("timed out after %v waiting for %s", waitTimeout, what)
	}
}

// await waits for ch to be closed or to deliver, for at most waitTimeout.
func await[V any](t *testing.T, ch <-chan V, what string) V {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitTimeout):
		t.Fatalf("timed out after %v waiting for %s", waitTimeout, what)
	}
	panic("unreachable")
}

// awaitProgress waits for done to be closed, however long that takes, as
// long as progress keeps changing: it fails the test only if progress stays
// the same for waitTimeout. It bounds long runs (a million tasks) by their
// rate rather than their total time.
func awaitProgress(t *testing.T, done <-chan struct{}, progress func() int64, what string) {
	t.Helper()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	last, since := progress(), time.Now()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			if p := progress(); p != last {
				last, since = p, time.Now()
			} else if time.Since(since) > waitTimeout {
				t.Fatalf("no progress for %v waiting for %s (stuck at %d)", waitTimeout, what, p)
			}
		}
	}
}

// pollUntil calls cond until it is true or waitTimeout has passed, and
// reports which. It is a bounded poll on a condition, for waiting on
// goroutine exit and on the garbage collector, never for ordering.
func pollUntil(cond func() bool) bool {
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

// liveAtStart returns the store's Live count now, and a func to call at the
// end that waits (bounded) for it to come back, failing if it does not.
// Stores that are not strategies.Counter are not checked.
func liveAtStart(t *testing.T, s strategies.Store) func() {
	c, ok := s.(strategies.Counter)
	if !ok {
		return func() {}
	}
	start := c.Live()
	return func() {
		t.Helper()
		if !pollUntil(func() bool { return c.Live() == start }) {
			t.Errorf("Live() = %d after every goroutine ended; want %d, as at the start: after Go'd goroutines end and after the outermost Scope returns, the store holds nothing for them", c.Live(), start)
			return
		}
		t.Logf("Live() back to %d", start)
	}
}

// heapBound is how much more live heap than at the start a stress test may
// leave behind: a residue of even 16 bytes per goroutine of the default
// 100,000 would be 1.6 MB.
const heapBound = 1 << 20

// heapNow returns the live heap after a full collection.
func heapNow() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// heapAtStart returns the live heap now and a func to call at the end that
// checks the heap is back within heapBound, polling (bounded) while
// goroutines finish exiting. Both figures are logged.
//
// The runtime keeps the structures of ended goroutines for reuse, on the
// heap; so that they do not count as residue, heapAtStart first has
// goWave+goSlack goroutines live at once, more than any test runs together.
func heapAtStart(t *testing.T) func() {
	t.Helper()
	warmGoroutines(t)
	before := heapNow()
	return func() {
		t.Helper()
		var after uint64
		ok := pollUntil(func() bool {
			after = heapNow()
			return after <= before+heapBound
		})
		t.Logf("heap before %s, after %s (%+d bytes; bound +%s)", mib(before), mib(after), int64(after)-int64(before), mib(heapBound))
		if !ok {
			t.Errorf("heap after = %s; want at most %s + %s: nothing a finished goroutine bound may stay reachable", mib(after), mib(before), mib(heapBound))
		}
	}
}

// goSlack is how many goroutines beyond goWave a stress test may have live
// at once (its workers, its producer, goroutines of the testing package).
const goSlack = 200

// warmGoroutines has goWave+goSlack goroutines live at once and waits for
// them to end, so that the runtime's pool of goroutine structures is as big
// as a stress test will need.
func warmGoroutines(t *testing.T) {
	t.Helper()
	var started, ended sync.WaitGroup
	release := make(chan struct{})
	n := goWave + goSlack
	started.Add(n)
	ended.Add(n)
	for range n {
		go func() {
			defer ended.Done()
			started.Done()
			<-release
		}()
	}
	waitGroup(t, &started, "the warm-up goroutines to start")
	close(release)
	waitGroup(t, &ended, "the warm-up goroutines to end")
}

func mib(n uint64) string { return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20)) }

// waves runs n jobs, at most wave at a time: startWave(from, to, done)
// starts jobs from … to-1 and must arrange for done() to be called once
// when each has ended. Waves keep the number of live goroutines under the
// race detector's limit (8128).
func waves(t *testing.T, n, wave int, startWave func(from, to int, done func())) {
	t.Helper()
	for from := 0; from < n; from += wave {
		to := min(from+wave, n)
		var wg sync.WaitGroup
		wg.Add(to - from)
		startWave(from, to, wg.Done)
		waitGroup(t, &wg, fmt.Sprintf("jobs %d to %d to end", from, to-1))
	}
}
