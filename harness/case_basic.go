package harness

import (
	"context"
	"errors"
	"strings"
	"unicode"

	"github.com/localbench/localbench/strategies"
)

// The cases about one goroutine's bindings: Info, Set, Get, Delete, nil,
// Snapshot, two stores, implicit lookup and bad input.

func runInfo(t T, s strategies.Store, _ func() strategies.Store) {
	info := s.Info()
	const why = "Info().Name is a short name usable as a benchmark name segment (strategy=NAME)"
	switch {
	case info.Name == "":
		t.Errorf("Info().Name = %q; want a non-empty name: %s", info.Name, why)
	case strings.ContainsFunc(info.Name, func(r rune) bool { return unicode.IsSpace(r) || r == '/' || r == '=' }):
		t.Errorf("Info().Name = %q; want no space, '/' or '=': %s", info.Name, why)
	case endsInDashNumber(info.Name):
		t.Errorf("Info().Name = %q; want no trailing -N (the GOMAXPROCS marker): %s", info.Name, why)
	}
	if info.NeedsScope && info.Leaks {
		t.Errorf("Info() = %+v; want Leaks false when NeedsScope is true: a store that refuses Set outside a scope has nothing to leave behind", info)
	}
}

func endsInDashNumber(s string) bool {
	i := strings.LastIndexByte(s, '-')
	if i < 0 || i == len(s)-1 {
		return false
	}
	return strings.IndexFunc(s[i+1:], func(r rune) bool { return r < '0' || r > '9' }) < 0
}

func runSetGetDelete(t T, s strategies.Store, _ func() strategies.Store) {
	inScope(s, func(ctx context.Context) {
		expectUnbound(t, s, ctx, keyA, "a key never bound is unbound")
		ctx = s.Set(ctx, keyA, 1)
		expectGet(t, s, ctx, keyA, 1, true, "Get returns what Set bound")
		ctx = s.Set(ctx, keyA, 2)
		expectGet(t, s, ctx, keyA, 2, true, "the latest Set wins")
		ctx = s.Set(ctx, keyB, "b")
		expectView(t, s, ctx, view{keyA: 2, keyB: "b"}, "a Set binds only its own key")
		ctx = s.Delete(ctx, keyA)
		expectView(t, s, ctx, view{keyB: "b"}, "Delete unbinds only its own key")
		ctx = s.Delete(ctx, keyA)
		ctx = s.Delete(ctx, keyC)
		expectView(t, s, ctx, view{keyB: "b"}, "Delete of an unbound key changes nothing")
		ctx = s.Set(ctx, keyA, 3)
		expectView(t, s, ctx, view{keyA: 3, keyB: "b"}, "a key can be bound again after Delete")
	})
}

func runMissingVsNil(t T, s strategies.Store, _ func() strategies.Store) {
	inScope(s, func(ctx context.Context) {
		expectUnbound(t, s, ctx, keyA, "Get of an unbound key returns nil, false")
		ctx = s.Set(ctx, keyA, nil)
		expectGet(t, s, ctx, keyA, nil, true, "a key bound to nil returns nil, true")
		expectView(t, s, ctx, view{keyA: nil}, "a key bound to nil is bound")
		ctx = s.Set(ctx, keyB, 1)
		s.Scope(ctx, func(ctx context.Context) {
			ctx = s.Set(ctx, keyB, nil)
			expectGet(t, s, ctx, keyB, nil, true, "binding nil over a value binds nil")
		})
		expectGet(t, s, ctx, keyB, 1, true, "a nil bound in a scope is undone when the scope ends")
		ctx = s.Delete(ctx, keyA)
		expectUnbound(t, s, ctx, keyA, "Delete of a key bound to nil unbinds it")
	})
}

func runSnapshot(t T, s strategies.Store, _ func() strategies.Store) {
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, 1)
		ctx = s.Set(ctx, keyB, nil)
		ctx = s.Set(ctx, keyC, 3)
		s.Scope(ctx, func(ctx context.Context) {
			ctx = s.Delete(ctx, keyC)
			ctx = s.Set(ctx, keyD, 4)
			want := view{keyA: 1, keyB: nil, keyD: 4}
			m := s.Snapshot(ctx)
			if !sameView(m, want) {
				t.Errorf("Snapshot() = %s; want %s: a Snapshot holds exactly the visible bindings, deleted keys absent and a key bound to nil present", showView(m), showView(want))
				return
			}
			m[keyA] = 99
			delete(m, keyB)
			m[keyC] = 5
			expectView(t, s, ctx, want, "changing the map a Snapshot returned changes nothing in the store")
			before := s.Snapshot(ctx)
			ctx = s.Set(ctx, keyA, 7)
			ctx = s.Delete(ctx, keyD)
			if !sameView(before, want) {
				t.Errorf("an earlier Snapshot() = %s after Set and Delete; want %s: a Snapshot is a copy, not a view", showView(before), showView(want))
			}
			expectView(t, s, ctx, view{keyA: 7, keyB: nil}, "a Snapshot shows the bindings as they are now")
		})
		expectView(t, s, ctx, view{keyA: 1, keyB: nil, keyC: 3}, "a Snapshot after a scope ended shows the outer bindings")
	})
}

func runTwoStores(t T, s strategies.Store, newStore func() strategies.Store) {
	s2 := newStore()
	const why = "two stores never share bindings, even for the same key"
	s.Scope(context.Background(), func(ctx context.Context) {
		s2.Scope(ctx, func(ctx context.Context) {
			ctx = s.Set(ctx, keyA, 1)
			expectUnbound(t, s2, ctx, keyA, why)
			ctx = s2.Set(ctx, keyA, 2)
			expectGet(t, s, ctx, keyA, 1, true, why)
			expectGet(t, s2, ctx, keyA, 2, true, why)
			ctx = s.Set(ctx, keyB, "only in the first")
			if got := s2.Snapshot(ctx); !sameView(got, view{keyA: 2}) {
				t.Errorf("second store's Snapshot() = %s; want %s: %s", showView(got), showView(view{keyA: 2}), why)
			}
			ctx = s2.Delete(ctx, keyA)
			expectGet(t, s, ctx, keyA, 1, true, why)
			expectUnbound(t, s2, ctx, keyA, why)
			s2.Scope(ctx, func(ctx context.Context) {
				ctx = s2.Set(ctx, keyC, 3)
				expectUnbound(t, s, ctx, keyC, why)
			})
			expectView(t, s, ctx, view{keyA: 1, keyB: "only in the first"}, why)
		})
	})
}

func runImplicit(t T, s strategies.Store, _ func() strategies.Store) {
	implicit := s.Info().Implicit
	type ctxKey struct{}
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, 1)
		expectGet(t, s, ctx, keyA, 1, true, "Get finds a binding through the context Set returned")
		for _, other := range []context.Context{context.Background(), context.WithValue(context.Background(), ctxKey{}, 0)} {
			if implicit {
				expectGet(t, s, other, keyA, 1, true, "Info().Implicit is true: Get finds a binding from any context on the goroutine that made it")
				if got := s.Snapshot(other); !sameView(got, view{keyA: 1}) {
					t.Errorf("Snapshot(another context) = %s; want %s: Info().Implicit is true: a binding is visible from any context on its goroutine", showView(got), showView(view{keyA: 1}))
				}
			} else {
				expectUnbound(t, s, other, keyA, "Info().Implicit is false: a binding is found only through the context Set returned")
			}
		}
	})
}

// expectPanicError reports unless v, what a call of method panicked with, is
// an error wrapping target whose message names the strategy and the method.
func expectPanicError(t T, v any, name, method string, target error, why string) {
	t.Helper()
	if v == nil {
		t.Errorf("%s did not panic; want a panic with an error wrapping %q: %s", method, target, why)
		return
	}
	err, ok := v.(error)
	if !ok {
		t.Errorf("%s panicked with %#v; want an error wrapping %q: %s", method, v, target, why)
		return
	}
	if !errors.Is(err, target) {
		t.Errorf("%s panicked with %q; want an error wrapping %q: %s", method, err, target, why)
	}
	if msg := err.Error(); !strings.Contains(msg, name) || !strings.Contains(msg, method) {
		t.Errorf("%s panicked with %q; want a message naming the strategy %q and the method %q: %s", method, msg, name, method, why)
	}
}

func runNilKey(t T, s strategies.Store, _ func() strategies.Store) {
	name := s.Info().Name
	const why = "a nil *Key panics with an error wrapping strategies.ErrNilKey that names the strategy and the method"
	inScope(s, func(ctx context.Context) {
		calls := []struct {
			method string
			call   func()
		}{
			{"Get", func() { s.Get(ctx, nil) }},
			{"Set", func() { s.Set(ctx, nil, 1) }},
			{"Delete", func() { s.Delete(ctx, nil) }},
		}
		for _, c := range calls {
			expectPanicError(t, catch(c.call), name, c.method, strategies.ErrNilKey, why)
		}
		expectView(t, s, ctx, view{}, "a call with a nil key binds nothing")
	})
}

func runNoScope(t T, s strategies.Store, _ func() strategies.Store) {
	info := s.Info()
	done := spawn(t, func() {
		ctx := context.Background()
		expectUnbound(t, s, ctx, keyA, "Get outside any scope returns nil, false")
		if got := s.Snapshot(ctx); len(got) != 0 {
			t.Errorf("Snapshot() outside any scope = %s; want {}: a goroutine started with a plain go statement holds nothing", showView(got))
		}
		calls := []struct {
			method string
			call   func()
		}{
			{"Set", func() { s.Set(ctx, keyA, 1) }},
			{"Delete", func() { s.Delete(ctx, keyA) }},
		}
		for _, c := range calls {
			v := catch(c.call)
			if info.NeedsScope {
				expectPanicError(t, v, info.Name, c.method, strategies.ErrNoScope,
					"Info().NeedsScope is true: Set and Delete outside any scope panic with strategies.ErrNoScope")
			} else if v != nil {
				t.Errorf("%s outside any scope panicked with %v; want no panic: Info().NeedsScope is false, so Set and Delete are valid anywhere", c.method, v)
			}
		}
		if r, ok := s.(strategies.Releaser); ok {
			r.Release(ctx)
		}
	})
	await(t, done, "the end of the goroutine outside any scope")
}

func runNilFunc(t T, s strategies.Store, _ func() strategies.Store) {
	name := s.Info().Name
	const why = "a nil func given to Scope, Wrap or Go panics at the call with an error wrapping strategies.ErrNilFunc that names the strategy and the method"
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, 1)
		calls := []struct {
			method string
			call   func()
		}{
			{"Scope", func() { s.Scope(ctx, nil) }},
			// Wrap must panic itself, not the func it returns: that
			// would fail later, on whatever goroutine calls it.
			{"Wrap", func() { s.Wrap(ctx, nil) }},
			{"Go", func() { strategies.Go(ctx, s, nil) }},
		}
		if sp, ok := s.(strategies.Spawner); ok {
			calls = append(calls, struct {
				method string
				call   func()
			}{"Go", func() { sp.Go(ctx, nil) }})
		}
		for _, c := range calls {
			expectPanicError(t, catch(c.call), name, c.method, strategies.ErrNilFunc, why)
		}
		expectView(t, s, ctx, view{keyA: 1}, "a call with a nil func changes no binding")
	})
}

func runReadsLeaveNothing(t T, s strategies.Store, _ func() strategies.Store) {
	c, counts := s.(strategies.Counter)
	base := 0
	if counts {
		base = c.Live()
	}
	withDefault := strategies.NewVar(s, "harness.default", strategies.WithDefault(func() string { return "default" }))
	done := spawn(t, func() {
		ctx := context.Background()
		if v := catch(func() {
			expectUnbound(t, s, ctx, keyA, "Get outside any scope of a key never bound returns nil, false")
			if got := s.Snapshot(ctx); len(got) != 0 {
				t.Errorf("Snapshot() outside any scope = %s; want {}: nothing was bound here", showView(got))
			}
			if got := withDefault.Get(ctx); got != "default" {
				t.Errorf("Var.Get() with a default = %q; want %q: an unbound Var with a default reads as its default", got, "default")
			}
			expectUnbound(t, s, ctx, withDefault.Key(), "reading a Var's default binds nothing")
		}); v != nil {
			t.Errorf("reading outside any scope panicked with %v; want no panic: reading needs no scope", v)
		}
		// Measured while the goroutine is alive: state made for it would
		// still be there.
		if counts {
			if got := c.Live(); got != base {
				t.Errorf("Live() = %d after Get, Snapshot and a Var's default outside any scope; want %d: reading never leaves state behind", got, base)
			}
		}
	})
	await(t, done, "the end of the goroutine that only reads")
}
