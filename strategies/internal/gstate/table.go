package gstate

import "context"

// Table maps goroutine ids to States. Load, Store and Remove are called only
// by the goroutine whose id they are given (Store with nil is Remove), so an
// implementation must make the table itself safe for concurrent use but never
// the States.
type Table interface {
	Load(id int64) *State
	Store(id int64, st *State)
	Remove(id int64)
}

// Scope runs fn in a nested scope of goroutine id's bindings in t.
func Scope(t Table, id int64, ctx context.Context, fn func(context.Context)) {
	st := t.Load(id)
	if st == nil {
		// Nothing was bound before: whatever fn binds, restoring means
		// removing the entry, if fn made one. A Scope that binds nothing
		// makes no table writes (Load takes no lock where the table has
		// lock-free reads).
		defer removeIfAny(t, id)
		fn(ctx)
		return
	}
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
func Go(t Table, goid func() int64, st *State, ctx context.Context, fn func(context.Context)) {
	go run(t, goid, st.Clone(), ctx, fn)
}

// run is the body of a goroutine started by Go.
func run(t Table, goid func() int64, st *State, ctx context.Context, fn func(context.Context)) {
	id := goid()
	if st == nil {
		// Nothing to install; fn's own first Set makes an entry.
		defer removeIfAny(t, id)
	} else {
		t.Store(id, st)
		defer t.Remove(id)
	}
	fn(ctx)
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
