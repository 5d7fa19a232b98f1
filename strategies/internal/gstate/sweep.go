package gstate

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/internal/liveids"
)

// Entry is one goroutine's entry in a table: its id and its State.
type Entry struct {
	ID    int64
	State *State
}

// Sweepable is a table whose entries any goroutine may list and drop, for
// Sweeper.
type Sweepable interface {
	// AppendEntries appends every entry of the table to dst and returns
	// the extended slice.
	AppendEntries(dst []Entry) []Entry

	// Drop removes each entry of dead whose id is still mapped to the same
	// State, following the table's own writer protocol, and returns how
	// many it removed. It must not read or write the States: their owners
	// are gone, and only an owner may touch its State.
	Drop(dead []Entry) int
}

// Sweeper runs the sweeps of one table, one at a time, and remembers the
// size of the last goroutine dump so that the next one fits at the first
// try. The zero Sweeper is ready to use; it must not be copied after first
// use.
type Sweeper struct {
	mu       sync.Mutex // held for a whole sweep
	dumpSize int        // size of the last dump, under mu
}

// Sweep drops the entries of t whose goroutines have exited and returns how
// many it dropped. bg, if not nil, is t's Background: Sweep tells it how
// the table stands after the sweep. This is the one account, for mapid and
// shardedmap alike, of what their Sweep can see and what it costs; their
// docs point here.
//
// Why it never drops the entry of a live goroutine, even one that Sets
// while it runs: it lists t's entries first and takes the dump of live
// goroutines (runtime.Stack(buf, true), see package liveids) after. An
// entry listed before the dump was made by its own goroutine, which was
// therefore created before the dump; if that goroutine is not in the dump,
// it has exited, and as goroutine ids are never reused, no live goroutine
// can own that entry. An entry made after the listing is not looked at.
// Drop removes an entry only if it still holds the State that was listed.
//
// What it cannot see: the goroutines the dump leaves out while they live,
// and that reuse one id for many calls: the finalizer and cleanup
// goroutines between two finalizers or cleanups, and the goroutine of a
// thread made by C between two cgo callbacks. An entry such a call left
// behind (it would be seen by the next call on that goroutine, a bug of its
// own) is dropped, even if a new call on the same goroutine has just
// started to use it. Finalizers, cleanups and cgo callbacks that use Scope
// or Release leave no entry, and are safe.
//
// Cost: runtime.Stack stops the world while it formats the stack of every
// goroutine (not only those with entries), so a sweep takes time, and a
// pause, that grow with the number of goroutines and their depth: roughly
// a microsecond per goroutine plus half a microsecond per frame on its
// stack (10 000 goroutines ten calls deep: about 80 ms on a 2-core AMD
// EPYC; BenchmarkSweep in results/), and a buffer of about 200 bytes plus
// 70 per frame per goroutine, allocated per sweep. The buffer's first size
// is the last sweep's dump size, or is guessed from runtime.NumGoroutine on
// the first; a dump that does not fit is made again in a buffer twice as
// large. Sweep at intervals (SweepEvery, SweepOnGrowth), never per request.
func (w *Sweeper) Sweep(t Sweepable, bg *Background) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if bg != nil {
		// Entries made from here on count towards the next sweep.
		bg.inserts.Store(0)
	}
	entries := t.AppendEntries(nil)
	live, size := liveids.Take(w.dumpSize)
	w.dumpSize = size
	dead := entries[:0]
	for _, e := range entries {
		if !live.Contains(e.ID) {
			dead = append(dead, e)
		}
	}
	n := 0
	if len(dead) > 0 {
		n = t.Drop(dead)
	}
	if bg != nil {
		bg.swept(len(entries)-n, live.Len())
	}
	return n
}

// SweepConfig says when a Background sweeps.
type SweepConfig struct {
	// Every, if positive, is the interval between periodic sweeps.
	Every time.Duration
	// OnGrowth asks for a sweep when the table may have doubled since
	// the last one; see Background.Inserted.
	OnGrowth bool
}

// Option configures the background sweeps of a store keyed by goroutine
// id; mapid and shardedmap export it as their own Option.
type Option struct{ apply func(*SweepConfig) }

// Config returns the SweepConfig that opts ask for.
func Config(opts []Option) SweepConfig {
	var c SweepConfig
	for _, o := range opts {
		o.apply(&c)
	}
	return c
}

// SweepEvery asks for a sweep every d, on a goroutine of the store's own,
// until Close. It panics with an error wrapping strategies.ErrBadOption,
// naming strategy.SweepEvery, if d is not positive.
func SweepEvery(strategy string, d time.Duration) Option {
	if d <= 0 {
		panic(strategies.Errorf(strategy, "SweepEvery", fmt.Errorf("interval %v is not positive: %w", d, strategies.ErrBadOption)))
	}
	return Option{func(c *SweepConfig) { c.Every = d }}
}

// SweepOnGrowth asks for a sweep, on a goroutine of the store's own and
// never two at a time, when the number of goroutines holding entries may
// have doubled since the last sweep: once as many new entries have been
// made since then as that sweep left behind, or as there were goroutines
// then, whichever is more, and at least 1024. The check costs an atomic add
// and load on each goroutine's first Set (nothing on later Sets or on Get).
// It bounds the entries of exited goroutines by about the largest of those
// three numbers, and pays for each sweep, whose cost grows with the number
// of goroutines, with at least as many inserts. See Background.Inserted.
func SweepOnGrowth() Option {
	return Option{func(c *SweepConfig) { c.OnGrowth = true }}
}

// minGrowth is the fewest new entries that start a growth sweep, so that a
// small table is not swept every few inserts.
const minGrowth = 1024

// Background runs a table's sweeps on its own goroutines: periodically
// (SweepConfig.Every), on growth (SweepConfig.OnGrowth), or both. Create it
// with NewBackground, start it with Start and stop it with Close. Its
// goroutines hold their table's owner only weakly, between sweeps: an owner
// that becomes unreachable is collected, Closed or not, and its Background
// then stops.
type Background struct {
	sweep    func() bool // sweeps the owner; false if it has been collected
	every    time.Duration
	onGrowth bool

	// inserts counts new entries since the start of the last sweep; a
	// growth sweep starts when it reaches threshold. pending is set while
	// a growth sweep is started and not yet finished.
	inserts   atomic.Int64
	threshold atomic.Int64
	pending   atomic.Bool

	mu     sync.Mutex // guards closed and the wg.Add that starts a goroutine
	closed bool
	stop   chan struct{}
	wg     sync.WaitGroup // the periodic goroutine and any growth sweep
}

// NewBackground returns a Background that will sweep owner as c says, with
// sweep(owner) (a method expression such as (*Store).Sweep, so that it does
// not hold owner), or nil if c asks for nothing. Store it where sweep finds
// it, then call Start.
func NewBackground[T any](owner *T, sweep func(*T) int, c SweepConfig) *Background {
	if c.Every <= 0 && !c.OnGrowth {
		return nil
	}
	wp := weak.Make(owner)
	b := &Background{
		sweep: func() bool {
			o := wp.Value()
			if o == nil {
				return false
			}
			sweep(o)
			return true
		},
		every:    c.Every,
		onGrowth: c.OnGrowth,
		stop:     make(chan struct{}),
	}
	b.threshold.Store(minGrowth)
	// The owner refers to b, never b to the owner: once the owner is
	// unreachable it is collected, and this stops b's goroutines.
	runtime.AddCleanup(owner, (*Background).shutdown, b)
	return b
}

// Start starts the periodic sweeps, if any; growth sweeps start from
// Inserted. Start of a nil *Background does nothing.
func (b *Background) Start() {
	if b == nil || b.every <= 0 {
		return
	}
	b.wg.Add(1)
	go b.periodic()
}

// periodic sweeps every b.every until Close, or until the owner is
// collected.
func (b *Background) periodic() {
	defer b.wg.Done()
	tick := time.NewTicker(b.every)
	defer tick.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-tick.C:
		}
		if !b.sweep() {
			return
		}
	}
}

// Inserted records that the table has a new entry; the table calls it
// after each insert, outside its locks. With OnGrowth, once the threshold
// SweepOnGrowth describes is reached, it starts a sweep on a new goroutine,
// unless one it started is still running. Of the threshold's bounds, the
// entries the last sweep left mean the table has at most doubled; the
// goroutines then, that the stop-the-world dump, whose cost grows with the
// number of goroutines, is paid at most once for that many inserts.
//
// It costs an atomic add on a word shared by every inserting goroutine and
// an atomic load; nothing at all without OnGrowth.
func (b *Background) Inserted() {
	if !b.onGrowth || b.inserts.Add(1) < b.threshold.Load() ||
		b.pending.Load() || !b.pending.CompareAndSwap(false, true) {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return // pending stays set: after Close, inserts cost what they did
	}
	b.wg.Add(1)
	go b.grown()
}

// grown sweeps for Inserted, again and again while inserts made during a
// sweep are enough for another, until Close or until the owner is
// collected.
func (b *Background) grown() {
	defer b.wg.Done()
	for {
		select {
		case <-b.stop:
			return // pending stays set, as in Inserted
		default:
		}
		if !b.sweep() {
			return
		}
		b.pending.Store(false)
		if b.inserts.Load() < b.threshold.Load() || !b.pending.CompareAndSwap(false, true) {
			return
		}
	}
}

// swept records how a sweep left the table: kept entries, of goroutines
// alive in the dump.
func (b *Background) swept(kept, goroutines int) {
	b.threshold.Store(int64(max(kept, goroutines, minGrowth)))
}

// shutdown stops b from starting sweeps, without waiting.
func (b *Background) shutdown() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.closed = true
		close(b.stop)
	}
}

// Close stops b: it returns once b's goroutines are done sweeping (they may
// still be returning), and no sweep of b's starts after it. Closing again
// does nothing, and so does Close of a nil *Background.
func (b *Background) Close() {
	if b == nil {
		return
	}
	b.shutdown()
	b.wg.Wait()
}
