// Package mapid is a strategies.Store that keeps each goroutine's bindings in
// one map keyed by goroutine id, guarded by one sync.Mutex.
//
// It is the plain, obviously correct reference: every operation takes the
// one lock for a map lookup and then works on the calling goroutine's own
// bindings. Use it when simplicity matters more than speed, or to check
// another strategy against it. Under contention from many cores the single
// lock serialises every Get; prefer shardedmap there, or ctxvalue if you can
// pass a context.
//
// Bindings are implicit: a callee finds them from any context on the same
// goroutine. Goroutine ids come from github.com/petermattis/goid, which reads
// the runtime's private g struct: it is kept up to date for new Go releases
// but is a dependency on runtime internals.
//
// An iterator pulled with iter.Pull runs on a coroutine, a goroutine with
// an id of its own, and sees none of the caller's bindings; strategies.Pull
// runs it with them. An iterator that yields from inside a Scope of its own
// hands its bindings to the loop body; see strategies.ScopeSeq.
//
// Go has no goroutine-exit hook. A goroutine started with a plain go
// statement that Sets values outside a Scope and exits leaves its entry (and
// the values) in the map until Release is called on that goroutine. Code that
// uses Scope, Wrap or strategies.Go leaves nothing behind.
//
// Where such goroutines cannot be changed to call Release, Sweep reclaims
// the entries of goroutines that have exited, and New(SweepEvery(d)) or
// New(SweepOnGrowth()) runs it in the background; a sweep stops the world
// for a time that grows with the number of goroutines, so sweep at
// intervals, never per request (see Sweep).
package mapid

import (
	"context"
	"io"
	"sync"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/internal/gstate"
	"github.com/petermattis/goid"
)

const name = "mapid"

// Store is the mapid strategy. Create it with New; the zero value is not
// usable. A *Store is safe for concurrent use and must not be copied.
type Store struct {
	mu sync.Mutex
	m  map[int64]*gstate.State

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

// New returns an empty store. With no options it runs nothing in the
// background and Close does nothing; SweepEvery and SweepOnGrowth start
// background sweeps, which Close stops.
func New(opts ...Option) *Store {
	s := &Store{m: make(map[int64]*gstate.State)}
	if len(opts) > 0 {
		s.bg = gstate.NewBackground(s, (*Store).Sweep, gstate.Config(opts))
		s.bg.Start()
	}
	return s
}

// Info reports mapid's traits: implicit, no scope needed, leaks on a plain go
// without Release.
func (s *Store) Info() strategies.Info {
	return strategies.Info{Name: name, Implicit: true, Leaks: true}
}

// byID is a Store seen as the gstate.Table that Scope, Wrap and Release
// work on, and as the gstate.Sweepable that Sweep works on. It is a
// separate type so that Load, Store and Remove, which must be called only
// by the goroutine whose id they are given, are not part of Store's API.
type byID Store

func (s *Store) table() *byID { return (*byID)(s) }

// Load returns goroutine id's state, or nil. Get and Go, the hot paths
// that need it, write these three lines out instead of calling it: the call
// cost the Get workload 12 instructions of 147 (cachegrind).
func (t *byID) Load(id int64) *gstate.State {
	t.mu.Lock()
	st := t.m[id]
	t.mu.Unlock()
	return st
}

// Store sets goroutine id's state. Only the goroutine with that id may
// call it.
func (t *byID) Store(id int64, st *gstate.State) {
	t.mu.Lock()
	inserted := t.bg != nil && t.m[id] == nil
	t.m[id] = st
	t.mu.Unlock()
	if inserted {
		t.bg.Inserted()
	}
}

// Remove deletes goroutine id's state and returns it (nil if none). Only
// the goroutine with that id may call it.
func (t *byID) Remove(id int64) *gstate.State {
	t.mu.Lock()
	st := t.m[id]
	if st != nil {
		delete(t.m, id)
	}
	t.mu.Unlock()
	return st
}

// Get returns the value bound to k on the calling goroutine.
func (s *Store) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	strategies.CheckKey(name, "Get", k)
	id := goid.Get()
	s.mu.Lock() // Load, written out
	st := s.m[id]
	s.mu.Unlock()
	if st == nil {
		return nil, false
	}
	if v, ok, done := st.Home(k); done {
		return v, ok
	}
	return st.Get(k)
}

// Set binds k to v on the calling goroutine and returns ctx.
func (s *Store) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	strategies.CheckKey(name, "Set", k)
	id := goid.Get()
	s.mu.Lock()
	st := s.m[id]
	if st == nil {
		st = gstate.NewState()
		s.m[id] = st
		s.mu.Unlock()
		if s.bg != nil {
			s.bg.Inserted()
		}
	} else {
		s.mu.Unlock()
	}
	st.Set(k, v)
	return ctx
}

// Delete unbinds k on the calling goroutine and returns ctx.
func (s *Store) Delete(ctx context.Context, k *strategies.Key) context.Context {
	strategies.CheckKey(name, "Delete", k)
	if st := s.table().Load(goid.Get()); st != nil {
		st.Delete(k)
	}
	return ctx
}

// Scope runs fn in a nested scope; see strategies.Store.
func (s *Store) Scope(ctx context.Context, fn func(context.Context)) {
	strategies.CheckFunc(name, "Scope", fn)
	gstate.Scope(s.table(), goid.Get(), ctx, fn)
}

// Wrap captures the calling goroutine's bindings; see strategies.Store.
func (s *Store) Wrap(ctx context.Context, fn func(context.Context)) func() {
	strategies.CheckFunc(name, "Wrap", fn)
	return gstate.Wrap(s.table(), goid.Get, s.table().Load(goid.Get()), ctx, fn)
}

// Go runs fn on a new goroutine that starts with a copy of the calling
// goroutine's bindings; see strategies.Spawner. strategies.Go calls it.
func (s *Store) Go(ctx context.Context, fn func(context.Context)) {
	strategies.CheckFunc(name, "Go", fn)
	id := goid.Get()
	s.mu.Lock() // Load, written out
	st := s.m[id]
	s.mu.Unlock()
	gstate.Go(s.table(), goid.Get, st, ctx, fn)
}

// Snapshot returns a copy of the calling goroutine's bindings.
func (s *Store) Snapshot(ctx context.Context) map[*strategies.Key]any {
	return s.table().Load(goid.Get()).Snapshot()
}

// Release forgets every binding of the calling goroutine.
func (s *Store) Release(ctx context.Context) {
	gstate.Release(s.table(), goid.Get())
}

// Live returns the number of goroutines that hold an entry.
func (s *Store) Live() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
