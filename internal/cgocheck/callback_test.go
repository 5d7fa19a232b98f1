//go:build cgo

package cgocheck_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/localbench/localbench/internal/cgocheck"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
	"github.com/localbench/localbench/strategies/gls"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/localbench/localbench/strategies/shardedmap"
	"github.com/petermattis/goid"
)

// waitTimeout bounds the rendezvous of the C threads.
const waitTimeout = 30 * time.Second

// calls is how many times each C thread calls back.
const calls = 4

var (
	cbKey      = strategies.NewKey("cgocheck.cb")
	requestKey = strategies.NewKey("cgocheck.request")
)

// val is the value callback call of C thread thread binds.
type val struct{ thread, call int }

// callback is what one callback saw.
type callback struct {
	thread, call int
	goid         int64
	seen         any    // what Get found, where the test records it
	seenOK       bool   // whether Get found it bound
	setPanic     any    // what Set panicked with, if it did
	err          string // a failure seen in the callback, reported after
}

// record runs threads C threads that call back calls times each and
// returns what fn recorded in each callback, ordered by thread and call.
// With together, the threads meet in their first callback, so that both
// are in Go at once. fn must not panic: a panic that reaches C crashes the
// program.
func record(t *testing.T, threads int, together bool, fn func(c *callback)) []callback {
	t.Helper()
	var (
		mu      sync.Mutex
		out     []callback
		arrived atomic.Int32
		all     = make(chan struct{})
	)
	err := cgocheck.RunThreads(threads, calls, func(thread, call int) {
		c := callback{thread: thread, call: call, goid: goid.Get()}
		if together && call == 0 {
			if int(arrived.Add(1)) == threads {
				close(all)
			}
			select {
			case <-all:
			case <-time.After(waitTimeout):
				c.err = "timed out waiting for the other C threads to call back"
			}
		}
		fn(&c)
		mu.Lock()
		out = append(out, c)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, func(a, b callback) int {
		if a.thread != b.thread {
			return a.thread - b.thread
		}
		return a.call - b.call
	})
	for _, c := range out {
		if c.err != "" {
			t.Fatalf("thread %d, call %d: %s", c.thread, c.call, c.err)
		}
	}
	if len(out) != threads*calls {
		t.Fatalf("%d callbacks ran; want %d", len(out), threads*calls)
	}
	return out
}

// idsByThread returns the goroutine id of each thread's callbacks, checking
// that every callback of one thread had the same one.
func idsByThread(t *testing.T, cbs []callback) map[int]int64 {
	t.Helper()
	ids := make(map[int]int64)
	for _, c := range cbs {
		id, ok := ids[c.thread]
		if !ok {
			ids[c.thread] = c.goid
			continue
		}
		if c.goid != id {
			t.Errorf("thread %d, call %d ran on goroutine %d; its call 0 ran on %d; want one id: every callback from one C thread runs on the goroutine of the M bound to that thread", c.thread, c.call, c.goid, id)
		}
	}
	return ids
}

// TestCallbackGoroutineIDs records the goroutine ids of callbacks from C
// threads, and asserts what Go 1.26's runtime does: it runs callbacks from
// a C thread on the goroutine of an "extra" M that stays bound to the
// thread until the thread exits, so every callback from one thread has the
// same goroutine id; threads in Go at the same time have different ones;
// and a new thread started after others exited takes over the M, and the
// goroutine id, of one of them (the one that exited last).
func TestCallbackGoroutineIDs(t *testing.T) {
	me := goid.Get()
	cbs := record(t, 2, true, func(*callback) {})
	ids := idsByThread(t, cbs)
	if ids[0] == ids[1] {
		t.Errorf("two C threads in Go at the same time both called back on goroutine %d; want different ids", ids[0])
	}
	for thread, id := range ids {
		if id == me {
			t.Errorf("thread %d called back on goroutine %d, the test's own; want another", thread, id)
		}
	}
	next := record(t, 1, false, func(*callback) {})
	if id := next[0].goid; id != ids[0] && id != ids[1] {
		t.Errorf("a C thread started after threads on goroutines %d and %d exited called back on goroutine %d; want one of theirs: the runtime reuses the extra M (and its goroutine) of a thread that exited (if this changed in a new Go release, update README.md)", ids[0], ids[1], id)
	}
	t.Logf("test goroutine %d; C threads in Go together: goroutines %d and %d, each the same for all %d of its callbacks; a C thread started after they exited: goroutine %d", me, ids[0], ids[1], calls, next[0].goid)
}

type strategy struct {
	name string
	new  func() strategies.Store
}

func allStrategies() []strategy {
	return []strategy{
		{"mapid", func() strategies.Store { return mapid.New() }},
		{"shardedmap", func() strategies.Store { return shardedmap.New() }},
		{"ctxvalue", func() strategies.Store { return ctxvalue.New() }},
		{"gls", func() strategies.Store { return gls.New() }},
	}
}

// forEach runs fn in a subtest per strategy, each with a fresh store,
// closed at the end where it is an io.Closer.
func forEach(t *testing.T, fn func(t *testing.T, s strategies.Store)) {
	for _, st := range allStrategies() {
		t.Run("strategy="+st.name, func(t *testing.T) {
			s := st.new()
			if c, ok := s.(io.Closer); ok {
				t.Cleanup(func() { c.Close() })
			}
			fn(t, s)
		})
	}
}

// live returns s.Live(), or 0 if s is no strategies.Counter.
func live(s strategies.Store) int {
	if c, ok := s.(strategies.Counter); ok {
		return c.Live()
	}
	return 0
}

// catch calls fn and returns what it panicked with, or nil.
func catch(fn func()) (v any) {
	defer func() { v = recover() }()
	fn()
	return nil
}

// TestCallbackWithoutScope: each callback Gets, then Sets outside any
// Scope, from context.Background(), as code called back from C that knows
// nothing of scopes would. What it finds depends on the strategy:
//
//   - mapid, shardedmap (Info().Leaks: a Set outside any scope stays until
//     Release): the callback's goroutine is the C thread's for the thread's
//     life, so a value Set in one callback is seen by the next callback on
//     the same thread, and is left behind when the thread exits (Live
//     counts it); a C thread started afterwards takes over the goroutine id
//     and sees that value, though the two threads have nothing to do with
//     each other.
//   - ctxvalue (explicit): a callback that starts from context.Background()
//     finds nothing, ever.
//   - gls (Info().NeedsScope): Set outside any scope panics with
//     strategies.ErrNoScope, and nothing is found.
func TestCallbackWithoutScope(t *testing.T) {
	forEach(t, func(t *testing.T, s strategies.Store) {
		info := s.Info()
		body := func(c *callback) {
			ctx := context.Background()
			c.seen, c.seenOK = s.Get(ctx, cbKey)
			c.setPanic = catch(func() { s.Set(ctx, cbKey, val{c.thread, c.call}) })
		}
		cbs := record(t, 2, true, body)
		ids := idsByThread(t, cbs)
		for _, c := range cbs {
			if info.NeedsScope {
				if err, _ := c.setPanic.(error); !errors.Is(err, strategies.ErrNoScope) {
					t.Errorf("thread %d, call %d: Set outside any scope panicked with %v; want an error wrapping ErrNoScope: Info().NeedsScope", c.thread, c.call, c.setPanic)
				}
			} else if c.setPanic != nil {
				t.Errorf("thread %d, call %d: Set panicked with %v; want no panic", c.thread, c.call, c.setPanic)
			}
			var want any
			wantOK := info.Leaks && c.call > 0
			if wantOK {
				want = val{c.thread, c.call - 1}
			}
			if c.seen != want || c.seenOK != wantOK {
				t.Errorf("thread %d, call %d: Get(k) = %v, %t; want %v, %t: %s", c.thread, c.call, c.seen, c.seenOK, want, wantOK, contract(info))
			}
		}
		wantLive := 0
		if info.Leaks {
			wantLive = 2
		}
		if n := live(s); n != wantLive {
			t.Errorf("Live() = %d after the C threads exited; want %d: %s", n, wantLive, contract(info))
		}

		next := record(t, 1, false, body)[0]
		thread := -1
		for th, id := range ids {
			if id == next.goid {
				thread = th
			}
		}
		var want any
		wantOK := info.Leaks && thread >= 0
		if wantOK {
			want = val{thread, calls - 1}
		}
		if next.seen != want || next.seenOK != wantOK {
			t.Errorf("a new C thread on goroutine %d (thread %d's was %d, thread %d's %d): Get(k) = %v, %t on its first callback; want %v, %t: %s",
				next.goid, 0, ids[0], 1, ids[1], next.seen, next.seenOK, want, wantOK, contract(info))
		}
		if wantOK {
			t.Logf("%s: a value Set without Scope survives to the next callback on the same C thread, and to a C thread started after that one exited, which took over goroutine %d and saw %v", info.Name, next.goid, next.seen)
		} else {
			t.Logf("%s: nothing Set in one callback was seen by another", info.Name)
		}
	})
}

// contract is the sentence of the documented behaviour that
// TestCallbackWithoutScope checks for a store with these traits.
func contract(info strategies.Info) string {
	switch {
	case info.Leaks:
		return "a Set outside any scope stays until Release (Info().Leaks), and every callback from one C thread runs on one goroutine id, which a later C thread may take over"
	case info.NeedsScope:
		return "Set outside any scope panics with ErrNoScope (Info().NeedsScope), so nothing is bound"
	case !info.Implicit:
		return "bindings are explicit: a callback that starts from context.Background() finds nothing"
	}
	return "a callback finds nothing a previous callback bound"
}

// TestCallbackScope: a callback that binds inside a Scope (the way to use
// any strategy from code called back from C) leaves nothing for the next
// callback or the next thread, whatever the strategy.
func TestCallbackScope(t *testing.T) {
	forEach(t, func(t *testing.T, s strategies.Store) {
		const why = "every Set made inside a Scope is undone when it returns, so a callback that binds only in a Scope leaves nothing behind"
		body := func(c *callback) {
			s.Scope(context.Background(), func(ctx context.Context) {
				c.seen, c.seenOK = s.Get(ctx, cbKey)
				c.setPanic = catch(func() {
					ctx = s.Set(ctx, cbKey, val{c.thread, c.call})
					if v, ok := s.Get(ctx, cbKey); v != (val{c.thread, c.call}) || !ok {
						c.err = "Get after Set in the callback's Scope did not see the value"
					}
				})
			})
		}
		cbs := append(record(t, 2, true, body), record(t, 1, false, body)...)
		for _, c := range cbs {
			if c.err != "" || c.setPanic != nil {
				t.Errorf("thread %d, call %d: %s (Set panicked with %v); want the value bound in the Scope", c.thread, c.call, c.err, c.setPanic)
			}
			if c.seen != nil || c.seenOK {
				t.Errorf("thread %d, call %d: Get(k) on entering the callback's Scope = %v, %t; want nil, false: %s", c.thread, c.call, c.seen, c.seenOK, why)
			}
		}
		if n := live(s); n != 0 {
			t.Errorf("Live() = %d after the C threads exited; want 0: %s", n, why)
		}
	})
}

// TestCallbackRelease: a callback that Sets outside a Scope and calls
// Release before returning leaves nothing behind, in stores that are
// strategies.Releaser (mapid, shardedmap).
func TestCallbackRelease(t *testing.T) {
	forEach(t, func(t *testing.T, s strategies.Store) {
		r, ok := s.(strategies.Releaser)
		if !ok {
			t.Skipf("%s is no strategies.Releaser", s.Info().Name)
		}
		const why = "Release forgets every binding of the calling goroutine, so a callback that Releases before returning leaves nothing for the next one"
		cbs := record(t, 2, true, func(c *callback) {
			ctx := context.Background()
			c.seen, c.seenOK = s.Get(ctx, cbKey)
			c.setPanic = catch(func() { s.Set(ctx, cbKey, val{c.thread, c.call}) })
			r.Release(ctx)
		})
		for _, c := range cbs {
			if c.seen != nil || c.seenOK || c.setPanic != nil {
				t.Errorf("thread %d, call %d: Get(k) = %v, %t (Set panicked with %v); want nil, false: %s", c.thread, c.call, c.seen, c.seenOK, c.setPanic, why)
			}
		}
		if n := live(s); n != 0 {
			t.Errorf("Live() = %d after the C threads exited; want 0: %s", n, why)
		}
	})
}

// TestCallbackWrap: funcs made by Wrap on a Go goroutine, in a Scope that
// has ended since, and called from C threads' callbacks run with exactly
// the captured bindings and leave the threads with nothing.
func TestCallbackWrap(t *testing.T) {
	forEach(t, func(t *testing.T, s strategies.Store) {
		const why = "a Wrap'd func runs with exactly the bindings captured for it on whatever goroutine calls it, restoring that goroutine's own bindings afterwards"
		type result struct {
			request, seen     any
			requestOK, seenOK bool
		}
		var (
			results [2][calls]result
			wraps   [2][calls]func()
		)
		s.Scope(context.Background(), func(ctx context.Context) {
			ctx = s.Set(ctx, requestKey, "request")
			for thread := range wraps {
				for call := range wraps[thread] {
					r := &results[thread][call]
					wraps[thread][call] = s.Wrap(ctx, func(ctx context.Context) {
						r.request, r.requestOK = s.Get(ctx, requestKey)
						r.seen, r.seenOK = s.Get(ctx, cbKey)
						s.Set(ctx, cbKey, val{thread, call})
					})
				}
			}
		})
		cbs := record(t, 2, true, func(c *callback) {
			wraps[c.thread][c.call]()
			// After the Wrap'd func: the thread's own (empty) bindings.
			c.seen, c.seenOK = s.Get(context.Background(), requestKey)
		})
		for _, c := range cbs {
			r := results[c.thread][c.call]
			if r.request != "request" || !r.requestOK {
				t.Errorf("thread %d, call %d: Get(request) in the Wrap'd func = %v, %t; want \"request\", true: %s", c.thread, c.call, r.request, r.requestOK, why)
			}
			if r.seen != nil || r.seenOK {
				t.Errorf("thread %d, call %d: Get(k) in the Wrap'd func = %v, %t; want nil, false, not an earlier call's value: %s", c.thread, c.call, r.seen, r.seenOK, why)
			}
			if c.seen != nil || c.seenOK {
				t.Errorf("thread %d, call %d: Get(request) after the Wrap'd func returned = %v, %t; want nil, false: %s", c.thread, c.call, c.seen, c.seenOK, why)
			}
		}
		if n := live(s); n != 0 {
			t.Errorf("Live() = %d after the C threads exited; want 0: %s", n, why)
		}
	})
}
