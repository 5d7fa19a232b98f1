// Package shardedmap is a strategies.Store that keeps each goroutine's
// bindings in a hash table keyed by goroutine id, split into shards, whose
// reads take no lock.
//
// Use it for implicit values (a callee finds them from any context on the
// same goroutine, context.Background() included) in read-heavy code on many
// cores: Get is a goroutine-id read, a hash, and a probe of a table that no
// reader writes, so parallel Gets do not contend. Set of a key already bound
// on the goroutine writes only the goroutine's own state; only a goroutine's
// first Set and its Release take a shard's lock. The end of a top-level
// Scope parks the goroutine's entry, with its state emptied, and the first
// Set of the goroutine's next top-level Scope takes both back, neither with
// the lock.
//
// If you can pass a context.Context down the calls, prefer ctxvalue: it is
// explicit, portable and never leaks. If simplicity matters more than speed,
// mapid is the plain reference with the same behaviour.
//
// An iterator pulled with iter.Pull runs on a coroutine, a goroutine with
// an id of its own, and sees none of the caller's bindings; strategies.Pull
// runs it with them. An iterator that yields from inside a Scope of its own
// hands its bindings to the loop body; see strategies.ScopeSeq.
//
// Go has no goroutine-exit hook. A goroutine started with a plain go
// statement that Sets values outside a Scope and exits without calling
// Release leaves its entry (and the values) in the store; Live counts such
// entries. Such a goroutine should defer s.Release(ctx). Code that uses
// Scope, Wrap or strategies.Go leaves nothing behind.
//
// Where such goroutines cannot be changed to call Release, Sweep reclaims
// the entries of goroutines that have exited, and New(SweepEvery(d)) or
// New(SweepOnGrowth()) runs it in the background; a sweep stops the world
// for a time that grows with the number of goroutines, so sweep at
// intervals, never per request (see Sweep).
//
// What is fragile: goroutine ids come from github.com/petermattis/goid,
// which reads the id out of the runtime's private g struct at an offset
// written down for each Go release. The Go team does not support this. A Go
// release that moves the field, used before goid is updated for it, makes
// goid return wrong ids without any error, and then goroutines would see each
// other's bindings. Keep goid up to date with the toolchain, and run this
// package's tests (which check isolation) on every new Go release. Nothing
// else here depends on runtime internals.
package shardedmap

import (
	"context"
	"io"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/internal/gstate"
	"github.com/petermattis/goid"
)

const name = "shardedmap"

// Store is the shardedmap strategy. Create it with New; the zero value is not
// usable. A *Store is safe for concurrent use by any number of goroutines and
// must not be copied.
//
// Costs: Get and Set of a bound key take no lock, write no shared memory and
// allocate nothing; Get is a goroutine-id read, a hash and a probe
// (BenchmarkGet in results/ sets it beside the goid floor). A goroutine's
// first Set takes its state from a pool, or allocates it (112 bytes while it
// holds at most four bindings, wherever their keys lie), and takes one
// shard's lock to insert it; its Release takes the lock again to remove it.
// The end of a top-level Scope (one entered with nothing bound) does not
// remove the entry but parks it: it empties the state and marks the slot,
// with one atomic store and no lock; the goroutine's next Set takes slot
// and state back with one compare-and-swap. A parked slot is not counted
// by Live; while parked, it and its emptied state belong to the table,
// which reuses them for the next insert whose probe passes the slot, or
// drops them at its next rebuild (so a goroutine that ends after a
// top-level Scope leaves at most those 16 + 112 bytes until then). A
// goroutine started by strategies.Go takes the lock twice in the same way
// as a first Set and a Release, but its state comes from a pool of states
// of goroutines that have ended: the spawn allocates nothing once the pool
// is warm. A Store is a little over 8 KiB
// (64 shards of two cache lines each, and the sweeper's state); a shard, once
// used, adds a table of 16 bytes per slot, at least 8 slots, kept between one
// eighth and three quarters full. Live takes time proportional to the number
// of shards.
type Store struct {
	shards [numShards]shard

	sweeper gstate.Sweeper
	bg      *gstate.Background // nil unless New was given options
}

var (
	_ strategies.Store    = (*Store)(nil)
	_ strategies.Releaser = (*Store)(nil)
	_ strategies.Counter  = (*Store)(nil)
	_ strategies.Spawner  = (*Store)(nil)
	_ io.Closer           = (*Store)(nil)
	_ gstate.Table        = (*byID)(nil)
	_ gstate.Sweepable    = (*byID)(nil)
)

// byID is a Store seen as the gstate.Table that Scope, Wrap and Release
// work on. It is a separate type so that Load, Store and Remove, which must
// be called only by the goroutine whose id they are given, are not part of
// Store's API.
type byID Store

func (s *Store) table() *byID { return (*byID)(s) }

// New returns an empty store. With no options it runs nothing in the
// background and Close does nothing; SweepEvery and SweepOnGrowth start
// background sweeps, which Close stops.
func New(opts ...Option) *Store {
	s := new(Store)
	for i := range s.shards {
		s.shards[i].table.Store(emptyTable)
	}
	if len(opts) > 0 {
		s.bg = gstate.NewBackground(s, (*Store).Sweep, gstate.Config(opts))
		s.bg.Start()
	}
	return s
}

// Info reports shardedmap's traits: implicit, no scope needed, leaks on a
// plain go without Release.
func (s *Store) Info() strategies.Info {
	return strategies.Info{Name: name, Implicit: true, Leaks: true}
}

// load returns goroutine id's state, or nil. It takes no lock. It is small
// enough to be inlined, and takes getSmall's shortcut where it can.
func (s *Store) load(id int64) *gstate.State {
	h := hash(id)
	t := s.shards[h>>shardShift].table.Load()
	if t.mask == minSlots-1 {
		return t.getSmall(h, id)
	}
	return t.get(h, id)
}

// home looks for goroutine id's entry where Get and Set look first, in
// its home slot of a table of minSlots, with no loop. It returns the state
// found there and whether id's entry is there; if not, load has the
// answer. A larger table leaves small empty, so the test fails there
// without a look at the table's size.
//
// A slot that holds id, read by goroutine id, holds its state, and did
// before the id was read: only this goroutine inserts or removes its own
// entry (Sweep removes those of exited goroutines), setting st before id.
// So st is read first, and is never nil when ok is true.
//
// It is small enough to be inlined; hash is called where its shifts are,
// so that its inline mark (an instruction of its own) merges with them.
func (s *Store) home(id int64) (st *gstate.State, ok bool) {
	t := s.shards[hash(id)>>shardShift].table.Load()
	sl := &t.small[hash(id)>>(shardShift-minBits)%minSlots]
	return sl.st.Load(), sl.id.Load() == id
}

// homeRaw is home returning what the home slot holds in place of whether
// it is id: id, parked(id) (then id has no live entry, since a goroutine
// has at most one slot), or something else (then load has the answer).
// home is not written as a call of it: that cost Get, GetMiss and Set 3
// instructions each (cachegrind, the harness's workloads).
func (s *Store) homeRaw(id int64) (st *gstate.State, got int64) {
	t := s.shards[hash(id)>>shardShift].table.Load()
	sl := &t.small[hash(id)>>(shardShift-minBits)%minSlots]
	return sl.st.Load(), sl.id.Load()
}

// Load returns goroutine id's state, or nil. It takes no lock.
func (t *byID) Load(id int64) *gstate.State { return (*Store)(t).load(id) }

// Store sets goroutine id's state; nil removes it. Only the goroutine with
// that id may call it.
func (t *byID) Store(id int64, st *gstate.State) {
	if st == nil {
		t.Remove(id)
		return
	}
	h := hash(id)
	if t.shards[h>>shardShift].store(h, id, st) && t.bg != nil {
		t.bg.Inserted()
	}
}

// Remove deletes goroutine id's state. Only the goroutine with that id may
// call it.
func (t *byID) Remove(id int64) *gstate.State {
	h := hash(id)
	return t.shards[h>>shardShift].remove(h, id)
}

// Get returns the value bound to k on the calling goroutine.
func (s *Store) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	// The nil test is here so that CheckKey's inline mark (an instruction
	// of its own) is off the path.
	if k == nil {
		strategies.CheckKey(name, "Get", k)
	}
	id := goid.Get()
	st, ok := s.home(id)
	if !ok {
		if st = s.load(id); st == nil {
			return nil, false
		}
	}
	// State.Home written out with inlined calls, so that each case
	// returns directly rather than through Home's three results: a miss
	// costs the home slot's test and the keys mask's; a key whose home
	// slot another took is found in the next slot after them.
	if e := st.HomeSlot(k); e.Holds(k) {
		return e.Value(), true
	}
	if st.Lacks(k) {
		return nil, false
	}
	if e := st.SlotAt(k.Index() + 1); e.Holds(k) {
		return e.Value(), true
	}
	return st.Get(k)
}

// Set binds k to v on the calling goroutine and returns ctx.
func (s *Store) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	// The nil test is here for the reason Get's is.
	if k == nil {
		strategies.CheckKey(name, "Set", k)
	}
	id := goid.Get()
	st, ok := s.home(id)
	if !ok {
		h := hash(id)
		if st = s.shards[h>>shardShift].acquire(h, id); st == nil {
			st = gstate.NewState()
			s.table().Store(id, st)
		}
		st.Set(k, v) // a state just taken back: k is seldom in it
		return ctx
	}
	if !st.SetHome(k, v) && !st.SetNext(k, v) { // the usual cases, inlined
		st.Set(k, v)
	}
	return ctx
}

// Delete unbinds k on the calling goroutine and returns ctx.
func (s *Store) Delete(ctx context.Context, k *strategies.Key) context.Context {
	strategies.CheckKey(name, "Delete", k)
	if st := s.load(goid.Get()); st != nil {
		st.Delete(k)
	}
	return ctx
}

// Scope runs fn in a nested scope; see strategies.Store.
func (s *Store) Scope(ctx context.Context, fn func(context.Context)) {
	strategies.CheckFunc(name, "Scope", fn)
	id := goid.Get()
	st, got := s.homeRaw(id)
	if got != id {
		st = nil
		if got != parked(id) {
			st = s.load(id)
		}
	}
	if st != nil {
		gstate.Nested(s.table(), id, st, ctx, fn)
		return
	}
	// Nothing is bound: restoring means emptying the state fn's Sets
	// make, if any, and parking its entry for the goroutine's next
	// top-level Scope (see parked).
	defer s.park(id)
	fn(ctx)
}

// park parks goroutine id's entry, if it has one; see parked.
func (s *Store) park(id int64) {
	h := hash(id)
	s.shards[h>>shardShift].park(h, id)
}

// Wrap captures the calling goroutine's bindings; see strategies.Store.
func (s *Store) Wrap(ctx context.Context, fn func(context.Context)) func() {
	strategies.CheckFunc(name, "Wrap", fn)
	return gstate.Wrap(s.table(), goid.Get, s.load(goid.Get()), ctx, fn)
}

// Go runs fn on a new goroutine that starts with a copy of the calling
// goroutine's bindings; see strategies.Spawner. strategies.Go calls it.
func (s *Store) Go(ctx context.Context, fn func(context.Context)) {
	strategies.CheckFunc(name, "Go", fn)
	gstate.Go(s.table(), goid.Get, s.load(goid.Get()), ctx, fn)
}

// Snapshot returns a copy of the calling goroutine's bindings.
func (s *Store) Snapshot(ctx context.Context) map[*strategies.Key]any {
	return s.load(goid.Get()).Snapshot()
}

// Release forgets every binding of the calling goroutine.
func (s *Store) Release(ctx context.Context) {
	gstate.Release(s.table(), goid.Get())
}

// Live returns the number of goroutines that hold an entry. It takes no
// lock; while entries are being added or removed it is a count that was true
// at some moment for each shard.
func (s *Store) Live() int {
	n := 0
	for i := range s.shards {
		n += int(s.shards[i].live.Load())
	}
	return n
}
