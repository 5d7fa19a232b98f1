package gstate

import (
	"context"
	"sync"
	"testing"

	"github.com/localbench/localbench/strategies/internal/wait"
	"github.com/petermattis/goid"
)

// mapTable is the simplest Table: one map under one lock.
type mapTable struct {
	mu sync.Mutex
	m  map[int64]*State
}

func newMapTable() *mapTable { return &mapTable{m: make(map[int64]*State)} }

func (t *mapTable) Load(id int64) *State {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.m[id]
}

func (t *mapTable) Store(id int64, st *State) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.m[id] = st
}

func (t *mapTable) Remove(id int64) *State {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := t.m[id]
	delete(t.m, id)
	return st
}

// set is what a store's Set does for goroutine id.
func set(t Table, id int64, i int, v any) {
	st := t.Load(id)
	if st == nil {
		st = new(State)
		t.Store(id, st)
	}
	st.Set(key(i), v)
}

func get(t Table, id int64, i int) (any, bool) {
	st := t.Load(id)
	if st == nil {
		return nil, false
	}
	return st.Get(key(i))
}

func TestScopeWithoutState(t *testing.T) {
	tab := newMapTable()
	ctx := context.Background()
	Scope(tab, 1, ctx, func(context.Context) {
		set(tab, 1, 0, "in")
		Scope(tab, 1, ctx, func(context.Context) {
			set(tab, 1, 0, "inner")
			set(tab, 1, 1, "inner")
		})
		if v, _ := get(tab, 1, 0); v != "in" {
			t.Errorf("Get(0) = %v after the inner scope; want in", v)
		}
		if v, ok := get(tab, 1, 1); ok {
			t.Errorf("Get(1) = %v, %v after the inner scope; want nil, false", v, ok)
		}
	})
	if len(tab.m) != 0 {
		t.Errorf("table holds %d entries after the outermost scope; want 0: a scope that started with nothing leaves nothing", len(tab.m))
	}
}

func TestScopeRestoresOnPanic(t *testing.T) {
	tab := newMapTable()
	ctx := context.Background()
	set(tab, 1, 0, "out")
	func() {
		defer func() { _ = recover() }()
		Scope(tab, 1, ctx, func(context.Context) {
			set(tab, 1, 0, "in")
			set(tab, 1, 9, "in")
			panic("boom")
		})
	}()
	if v, _ := get(tab, 1, 0); v != "out" {
		t.Errorf("Get(0) = %v after a scope panicked; want out", v)
	}
	if v, ok := get(tab, 1, 9); ok {
		t.Errorf("Get(9) = %v, %v after a scope panicked; want nil, false", v, ok)
	}
}

func TestReleaseInsideScope(t *testing.T) {
	tab := newMapTable()
	ctx := context.Background()
	set(tab, 1, 0, "out")
	Scope(tab, 1, ctx, func(context.Context) {
		set(tab, 1, 0, "in")
		Release(tab, 1)
		if v, ok := get(tab, 1, 0); ok {
			t.Errorf("Get(0) = %v, %v after Release; want nil, false", v, ok)
		}
		set(tab, 1, 0, "after release")
	})
	if v, _ := get(tab, 1, 0); v != "out" {
		t.Errorf("Get(0) = %v after the scope that called Release; want out: the scope puts back what it started with", v)
	}
	Release(tab, 1)
	if len(tab.m) != 0 {
		t.Errorf("table holds %d entries after Release; want 0", len(tab.m))
	}
	Release(tab, 1) // releasing nothing is harmless
}

func TestWrap(t *testing.T) {
	tab := newMapTable()
	ctx := context.Background()
	set(tab, 1, 0, "parent")
	var id int64 = 2
	run := Wrap(tab, func() int64 { return id }, tab.Load(1), ctx, func(context.Context) {
		if v, _ := get(tab, id, 0); v != "parent" {
			t.Errorf("Get(0) = %v in a wrapped func; want parent: Wrap captures at call time", v)
		}
		set(tab, id, 0, "child")
	})
	set(tab, 1, 0, "parent later")
	set(tab, 2, 5, "own")
	run()
	run() // a second call starts from the captured bindings again
	if v, _ := get(tab, 2, 0); v != nil {
		t.Errorf("Get(0) = %v on the worker after the wrapped func; want nil: the worker's own bindings come back", v)
	}
	if v, _ := get(tab, 2, 5); v != "own" {
		t.Errorf("Get(5) = %v on the worker after the wrapped func; want own", v)
	}
	id = 3
	run()
	if _, ok := tab.m[3]; ok {
		t.Errorf("a worker with no bindings kept an entry after a wrapped func")
	}
	if v, _ := get(tab, 1, 0); v != "parent later" {
		t.Errorf("Get(0) = %v on the parent; want parent later: the child's Set must not reach the parent", v)
	}
}

func TestWrapConcurrentCalls(t *testing.T) {
	tab := newMapTable()
	ctx := context.Background()
	parent := goid.Get()
	set(tab, parent, 0, "parent")
	run := Wrap(tab, goid.Get, tab.Load(parent), ctx, func(context.Context) {
		id := goid.Get()
		if v, _ := get(tab, id, 0); v != "parent" {
			t.Errorf("Get(0) = %v in a concurrent wrapped call; want parent: each call starts from the captured bindings", v)
		}
		set(tab, id, 0, id)
		set(tab, id, 1, id)
	})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(run)
	}
	wg.Wait()
	if len(tab.m) != 1 {
		t.Errorf("table holds %d entries after every wrapped call ended; want 1 (the parent's)", len(tab.m))
	}
	if v, ok := get(tab, parent, 1); ok {
		t.Errorf("Get(1) = %v, %v on the parent; want nil, false: wrapped calls must not reach the parent", v, ok)
	}
}

// TestGoRecyclesSpawns starts many goroutines with Go, each changing the
// bindings it was given, in waves so that spawns come back from the pool
// while others run: every child must start from its parent's bindings as
// they were at Go, never from what an earlier child left in a reused spawn.
func TestGoRecyclesSpawns(t *testing.T) {
	tab := newMapTable()
	ctx := context.Background()
	parent := goid.Get()
	for wave := range 20 {
		set(tab, parent, 0, wave)
		var wg sync.WaitGroup
		for range 50 {
			wg.Add(1)
			Go(tab, goid.Get, tab.Load(parent), ctx, func(context.Context) {
				defer wg.Done()
				id := goid.Get()
				if v, _ := get(tab, id, 0); v != wave {
					t.Errorf("Get(0) = %v in a child of wave %d; want %d", v, wave, wave)
				}
				more := []int{1, 9, 13, 17, 21}
				for _, i := range more {
					if v, ok := get(tab, id, i); ok {
						t.Errorf("Get(%d) = %v, true in a new child; want unbound: an earlier child's Set leaked through a reused spawn", i, v)
					}
				}
				// Keys sharing a home slot, and more than fit
				// inline: the State grows a table in ext.
				for _, i := range more {
					set(tab, id, i, id)
				}
			})
		}
		wg.Wait()
	}
	wait.Until(t, "every child's entry to be removed", func() bool {
		tab.mu.Lock()
		defer tab.mu.Unlock()
		return len(tab.m) == 1
	})
}

// TestSpawnEndForgets checks that a spawn going back to the pool holds no
// reference to the ended goroutine's values, its context or its func: the
// pool must not keep them reachable.
func TestSpawnEndForgets(t *testing.T) {
	tab := newMapTable()
	type ctxKey struct{}
	sp := &spawn{
		bound: true,
		t:     tab,
		goid:  goid.Get,
		ctx:   context.WithValue(context.Background(), ctxKey{}, "v"),
		fn:    func(context.Context) {},
	}
	sp.st.Set(key(0), "value")
	sp.st.Mark() // allocates ext
	sp.st.Set(key(9), "more")
	id := goid.Get()
	tab.Store(id, &sp.st)
	sp.end(id)
	if sp.bound || sp.t != nil || sp.goid != nil || sp.ctx != nil || sp.fn != nil ||
		sp.st.ext != nil || sp.st.small != [smallLen]entry{} || sp.st.marks != 0 {
		t.Errorf("spawn after end = %+v; want the zero spawn", sp)
	}
	if tab.Load(id) != nil {
		t.Errorf("entry left after end; want none")
	}
}
