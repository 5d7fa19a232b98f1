// Package syncmapstore is a strategies.Store on a sync.Map keyed by
// goroutine id: the store many programs write for themselves, measured next
// to localbench's strategies as a peer. It lives in the peers module with
// the other peers.
//
// Each goroutine's bindings ((key, value) pairs found by the key's pointer,
// in a slice while there are few and a map past 8, and an undo log for
// scopes) are stored under its id (github.com/petermattis/goid). Like every
// store keyed by goroutine id, a goroutine started with a plain go
// statement that Sets outside a Scope and exits without Release leaves its
// entry behind (Info().Leaks).
package syncmapstore

import (
	"context"
	"sync"

	"github.com/localbench/localbench/peers/internal/bindings"
	"github.com/localbench/localbench/strategies"
	"github.com/petermattis/goid"
)

const name = "syncmap"

// Store is the sync.Map adapter. Create it with New; the zero value is not
// usable. A *Store is safe for concurrent use and must not be copied.
type Store struct {
	m sync.Map // goroutine id (int64) -> *bindings.State
}

var (
	_ strategies.Store    = (*Store)(nil)
	_ strategies.Releaser = (*Store)(nil)
	_ strategies.Counter  = (*Store)(nil)
)

// New returns an empty store.
func New() *Store { return new(Store) }

// Info reports the traits: implicit, no scope needed, leaks on a plain go
// without Release.
func (s *Store) Info() strategies.Info {
	return strategies.Info{Name: name, Implicit: true, Leaks: true}
}

func (s *Store) load(id int64) *bindings.State {
	if v, ok := s.m.Load(id); ok {
		return v.(*bindings.State)
	}
	return nil
}

// put makes st goroutine id's bindings; an empty st drops the entry.
func (s *Store) put(id int64, st *bindings.State) {
	if st.Empty() {
		s.m.Delete(id)
		return
	}
	s.m.Store(id, st)
}

// Get returns the value bound to k on the calling goroutine.
func (s *Store) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	strategies.CheckKey(name, "Get", k)
	st := s.load(goid.Get())
	if st == nil {
		return nil, false
	}
	return st.Get(k)
}

// Set binds k to v on the calling goroutine and returns ctx.
func (s *Store) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	strategies.CheckKey(name, "Set", k)
	id := goid.Get()
	st := s.load(id)
	if st == nil {
		st = new(bindings.State)
		s.m.Store(id, st)
	}
	st.Set(k, v)
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
	st := s.load(id)
	if st == nil {
		st = new(bindings.State)
		s.m.Store(id, st)
	}
	m := st.Mark()
	defer func() {
		st.Rollback(m)
		// Put st back even if fn called Release: the bindings the scope
		// started with come back when it ends.
		s.put(id, st)
	}()
	fn(ctx)
}

// Wrap captures a copy of the calling goroutine's bindings; see
// strategies.Store.
func (s *Store) Wrap(ctx context.Context, fn func(context.Context)) func() {
	strategies.CheckFunc(name, "Wrap", fn)
	captured := s.load(goid.Get()).Clone()
	return func() {
		// Every call starts from its own copy of the captured bindings.
		id := goid.Get()
		prev := s.load(id)
		s.put(id, captured.Clone())
		defer s.put(id, prev)
		fn(ctx)
	}
}

// Snapshot returns a copy of the calling goroutine's bindings.
func (s *Store) Snapshot(ctx context.Context) map[*strategies.Key]any {
	return s.load(goid.Get()).Snapshot()
}

// Release forgets every binding of the calling goroutine.
func (s *Store) Release(ctx context.Context) {
	s.m.Delete(goid.Get())
}

// Live returns the number of goroutines that hold an entry.
func (s *Store) Live() int {
	n := 0
	s.m.Range(func(any, any) bool {
		n++
		return true
	})
	return n
}
