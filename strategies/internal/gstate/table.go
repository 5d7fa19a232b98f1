package gstate

import (
	"context"
	"sync"
)

// Table maps goroutine ids to States. Load, Store and Remove are called only
// by the goroutine whose id they are given (Store with nil is Remove), so an
// implementation must make the table itself safe for concurrent use but never
// the States.
type Table interface {
	Load(id int64) *State
	Store(id int64, st *State)
	Remove(id int64) *State // returns the state removed, nil if none
}

// Scope runs fn in a nested scope of goroutine id's bindings in t.
func Scope(t Table, id int64, ctx context.Context, fn func(context.Context)) {
	st := t.Load(id)
	if st == nil {
		// Nothing was bound before: whatever fn binds, restoring means
		// removing the entry, if fn made one, and its State can go back
		// to the pool. One Remove finds and removes it: a Scope that
		// binds something (the usual case) does not also pay for a Load.
		defer recycleIfAny(t, id)
		fn(ctx)
		return
	}
	// Nested written out: a call of it here costs every nested Scope of
	// a store that calls Scope (mapid) a call more.
	m := st.Mark()
	defer func() {
		st.Rollback(m)
		if st.ext != nil && st.ext.released {
			st.ext.released = false
			t.Store(id, st)
		}
	}()
	fn(ctx)
}

// Nested is Scope where goroutine id's entry in t is st: it runs fn in a
// scope that undoes every change fn makes to st. A store whose top-level
// Scope (no entry yet) does something of its own calls it for the rest.
// Its body is Scope's second half, written out there.
func Nested(t Table, id int64, st *State, ctx context.Context, fn func(context.Context)) {
	m := st.Mark()
	defer func() {
		st.Rollback(m)
		if st.ext != nil && st.ext.released {
			// Release was called inside: the entry was removed (and
			// perhaps replaced by later Sets). Put the state back.
			st.ext.released = false
			t.Store(id, st)
		}
	}()
	fn(ctx)
}

// Release removes goroutine id's entry from t. A scope still open on that
// goroutine puts the state it started with back when it ends.
func Release(t Table, id int64) {
	if st := t.Load(id); st != nil {
		if st.marks > 0 {
			st.extra().released = true
		}
		t.Remove(id)
	}
}

// Wrap captures st (the calling goroutine's state, possibly nil) and returns
// a func that runs fn with a copy of it on the goroutine that calls it, whose
// id goid returns, and restores that goroutine's own state afterwards.
//
// The captured copy is never written: every call, concurrent ones included,
// runs on a copy of its own, so that what one call binds is not seen by the
// next. That is one allocation per call when anything is bound.
func Wrap(t Table, goid func() int64, st *State, ctx context.Context, fn func(context.Context)) func() {
	captured := st.Clone()
	return func() {
		id := goid()
		prev := t.Load(id)
		put(t, id, captured.Clone())
		defer put(t, id, prev)
		fn(ctx)
	}
}

// Go runs fn on a new goroutine with a copy of st (the calling goroutine's
// state, possibly nil), taken now; goid returns the new goroutine's id. It
// is go Wrap(t, goid, st, ctx, fn)() without what a new goroutine does not
// need: it has no state of its own to look up and put back (goroutine ids
// are never reused), and it runs fn once, so the copy can be its own state
// rather than the copy of a captured copy. It ends by removing the
// goroutine's entry, whatever fn did (Set, Release) and however it ended.
//
// The copy and what the goroutine needs come in one spawn from spawnPool,
// which goes back to the pool when the goroutine ends; see spawn.
func Go(t Table, goid func() int64, st *State, ctx context.Context, fn func(context.Context)) {
	sp := spawnPool.Get().(*spawn)
	sp.bound = st.cloneTo(&sp.st)
	sp.t, sp.goid, sp.ctx, sp.fn = t, goid, ctx, fn
	go sp.start()
}

// spawn is a goroutine started by Go: the state it starts with and what it
// runs. Its State is the goroutine's own until the goroutine ends, and is
// dead then: run removes the entry whatever fn did, no State pointer leaves
// the goroutine that owns it (Wrap and Snapshot copy; a sweep only compares
// pointers, under the table's lock, with the entry of an id that can never
// come back), so the spawn can be used again. That saves a State allocation
// per spawn, and the go statement starts a func bound once per spawn (start)
// rather than allocating a closure of its own.
type spawn struct {
	st    State
	bound bool // st holds bindings and is installed as the entry
	t     Table
	goid  func() int64
	ctx   context.Context
	fn    func(context.Context)
	// start is sp.run, bound once when the spawn is made: go sp.run()
	// would allocate a closure for the go statement on every spawn, go
	// sp.start() allocates nothing.
	start func()
}

// spawnPool is shared by every store in the process, the one piece of
// package-level state here: a spawn carries nothing from one use to the next
// but its start (end zeroes the rest), so a pool per store would only spread
// the same records thinner.
var spawnPool sync.Pool

// New is set in init: run refers to spawnPool, so a New that binds sp.run
// in spawnPool's initializer would be an initialization cycle.
func init() {
	spawnPool.New = func() any {
		sp := new(spawn)
		sp.start = sp.run
		return sp
	}
}

// run is the body of a goroutine started by Go.
func (sp *spawn) run() {
	id := sp.goid()
	if sp.bound {
		sp.t.Store(id, &sp.st)
	}
	// Nothing to install when nothing is bound; fn's own first Set makes
	// an entry, which end removes.
	defer sp.end(id)
	sp.fn(sp.ctx)
}

// end removes the goroutine's entry, if any, and recycles sp.
func (sp *spawn) end(id int64) {
	if sp.bound {
		sp.t.Remove(id)
	} else {
		removeIfAny(sp.t, id)
	}
	*sp = spawn{start: sp.start}
	spawnPool.Put(sp)
}

// recycleIfAny removes goroutine id's entry, if any, and puts its State back
// in the pool. It is for the end of a Scope entered with no entry: the entry
// there, if any, was made inside it by NewState (a Set) or put back by a
// nested scope, and no other pointer to it survives (Wrap and Go copy, a
// spawn's own State is another goroutine's entry, a sweep only compares
// pointers under the table's lock and never removes a live goroutine's).
func recycleIfAny(t Table, id int64) {
	if st := t.Remove(id); st != nil {
		st.Reset()
		Free(st)
	}
}

// Reset empties s: it becomes the zero State, holding no references.
func (s *State) Reset() { *s = State{} }

// Free puts st, which must be empty (see Reset) and which no goroutine may
// use any more, in the pool that NewState takes from.
func Free(st *State) { statePool.Put(st) }

// statePool holds States that a top-level Scope has finished with, and
// those a store's table gives back (see Free), so that a request pattern
// (enter a Scope, Set, leave) allocates nothing in steady state. Like
// spawnPool it is shared by every store in the process: a State in the pool
// is the zero State and carries nothing from one use to the next.
var statePool = sync.Pool{New: func() any { return new(State) }}

// NewState returns an empty State for a goroutine's first Set, from the pool
// when it has one.
func NewState() *State {
	return statePool.Get().(*State)
}

func removeIfAny(t Table, id int64) {
	if t.Load(id) != nil {
		t.Remove(id)
	}
}

func put(t Table, id int64, st *State) {
	if st == nil {
		t.Remove(id)
		return
	}
	t.Store(id, st)
}
