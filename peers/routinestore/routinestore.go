// Package routinestore is a strategies.Store adapter for
// github.com/timandy/routine, a peer library measured next to localbench's
// strategies. It is not a strategy of localbench: it lives in the peers
// module so that localbench's users never download it.
//
// routine gives each goroutine storage of its own (ThreadLocal), reached
// through the runtime's goroutine struct, and copies InheritableThreadLocal
// values to goroutines started by routine.Go and to tasks made by
// routine.WrapTask. The adapter keeps all of a goroutine's bindings of all
// stores in one package-level InheritableThreadLocal (a ThreadLocal per
// store or per key would take a new global ThreadLocal index each time,
// and routine sizes every goroutine's table by the largest index), with an
// undo log for scopes. Wrap is routine.WrapTask, and so strategies.Go is
// routine.Go.
//
// What routine does differently from the Store contract, which the
// conformance suite shows (see routinestore_test.go): a WrapTask'd func
// runs once only (later calls of the func Wrap returns do nothing), and a
// panic inside it is recovered and printed by routine rather than
// propagated. routine reads private runtime structures through
// //go:linkname and assembly; that is the library's own choice, measured
// as it is.
package routinestore

import (
	"context"

	"github.com/localbench/localbench/peers/internal/bindings"
	"github.com/localbench/localbench/strategies"
	"github.com/timandy/routine"
)

const name = "routine"

// slot holds, per goroutine, the bindings of every Store the goroutine uses.
var slot = routine.NewInheritableThreadLocal[*goroutineStores]()

// goroutineStores is one goroutine's bindings, one State per store. routine
// calls Clone when it copies the slot to a child goroutine or a task.
type goroutineStores struct {
	list []storeState
}

type storeState struct {
	store *Store
	state *bindings.State
}

// Clone copies every store's bindings, so that a child never shares a
// State with its parent. It implements routine.Cloneable.
func (g *goroutineStores) Clone() any {
	c := &goroutineStores{list: make([]storeState, 0, len(g.list))}
	for _, e := range g.list {
		if st := e.state.Clone(); st != nil {
			c.list = append(c.list, storeState{e.store, st})
		}
	}
	return c
}

// Store is the routine adapter. Create it with New; the zero value is not
// usable. A *Store is safe for concurrent use and must not be copied.
type Store struct {
	_ byte // distinct stores have distinct addresses
}

var (
	_ strategies.Store    = (*Store)(nil)
	_ strategies.Releaser = (*Store)(nil)
)

// New returns an empty store.
func New() *Store { return new(Store) }

// Info reports the adapter's traits: implicit, no scope needed, and no leak
// (routine's storage goes away with the goroutine).
func (s *Store) Info() strategies.Info {
	return strategies.Info{Name: name, Implicit: true}
}

// find returns the position of s's bindings in g, or -1; g may be nil.
func (g *goroutineStores) find(s *Store) int {
	if g == nil {
		return -1
	}
	for i, e := range g.list {
		if e.store == s {
			return i
		}
	}
	return -1
}

// state returns the calling goroutine's bindings of s, creating them if
// create is set, or nil.
func (s *Store) state(create bool) *bindings.State {
	g := slot.Get()
	if i := g.find(s); i >= 0 {
		return g.list[i].state
	}
	if !create {
		return nil
	}
	if g == nil {
		g = new(goroutineStores)
		slot.Set(g)
	}
	st := new(bindings.State)
	g.list = append(g.list, storeState{s, st})
	return st
}

// put makes st the calling goroutine's bindings of s; an empty st drops
// them, and the goroutine's slot with them when no store is left.
func (s *Store) put(st *bindings.State) {
	g := slot.Get()
	i := g.find(s)
	switch {
	case st.Empty() && i >= 0:
		g.list = append(g.list[:i], g.list[i+1:]...)
	case st.Empty():
	case i >= 0:
		g.list[i].state = st
	default:
		if g == nil {
			g = new(goroutineStores)
			slot.Set(g)
		}
		g.list = append(g.list, storeState{s, st})
	}
	if g != nil && len(g.list) == 0 {
		slot.Remove()
	}
}

// Get returns the value bound to k on the calling goroutine.
func (s *Store) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	strategies.CheckKey(name, "Get", k)
	st := s.state(false)
	if st == nil {
		return nil, false
	}
	return st.Get(k)
}

// Set binds k to v on the calling goroutine and returns ctx.
func (s *Store) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	strategies.CheckKey(name, "Set", k)
	s.state(true).Set(k, v)
	return ctx
}

// Delete unbinds k on the calling goroutine and returns ctx.
func (s *Store) Delete(ctx context.Context, k *strategies.Key) context.Context {
	strategies.CheckKey(name, "Delete", k)
	if st := s.state(false); st != nil {
		st.Delete(k)
	}
	return ctx
}

// Scope runs fn in a nested scope; see strategies.Store.
func (s *Store) Scope(ctx context.Context, fn func(context.Context)) {
	strategies.CheckFunc(name, "Scope", fn)
	st := s.state(true)
	m := st.Mark()
	defer func() {
		st.Rollback(m)
		// Put st back even if fn called Release: the bindings the scope
		// started with come back when it ends.
		s.put(st)
	}()
	fn(ctx)
}

// Wrap captures the calling goroutine's bindings with routine.WrapTask;
// the returned func runs the task, which routine runs once only.
func (s *Store) Wrap(ctx context.Context, fn func(context.Context)) func() {
	strategies.CheckFunc(name, "Wrap", fn)
	task := routine.WrapTask(func() { fn(ctx) })
	return func() { task.Run() }
}

// Snapshot returns a copy of the calling goroutine's bindings.
func (s *Store) Snapshot(ctx context.Context) map[*strategies.Key]any {
	return s.state(false).Snapshot()
}

// Release forgets every binding of the calling goroutine.
func (s *Store) Release(ctx context.Context) {
	s.put(nil)
}
