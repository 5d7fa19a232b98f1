package gls_test

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	jgls "github.com/jtolds/gls"
	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/gls"
)

var (
	keyA = strategies.NewKey("a")
	keyB = strategies.NewKey("b")
)

// newStore returns a store closed when the test ends.
func newStore(t *testing.T) *gls.Store {
	s := gls.New()
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close() = %v; want nil", err)
		}
	})
	return s
}

// wantGet fails t unless s.Get(ctx, k) returns (want, wantOK).
func wantGet(t *testing.T, s strategies.Store, ctx context.Context, k *strategies.Key, want any, wantOK bool, why string) {
	t.Helper()
	if got, ok := s.Get(ctx, k); got != want || ok != wantOK {
		t.Errorf("Get(%v) = %v, %v; want %v, %v: %s", k, got, ok, want, wantOK, why)
	}
}

// wantLive fails t unless s.Live() is want.
func wantLive(t *testing.T, s *gls.Store, want int, why string) {
	t.Helper()
	if got := s.Live(); got != want {
		t.Errorf("Live() = %d; want %d: %s", got, want, why)
	}
}

// panicValue returns what f panics with, or nil.
func panicValue(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

func TestStore(t *testing.T) {
	harness.TestStore(t, func(t *testing.T) strategies.Store {
		s := gls.New()
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestCapabilities(t *testing.T) {
	var s strategies.Store = newStore(t)
	want := strategies.Info{Name: "gls", Implicit: true, NeedsScope: true}
	if got := s.Info(); got != want {
		t.Errorf("Info() = %+v; want %+v", got, want)
	}
	if _, ok := s.(io.Closer); !ok {
		t.Error("gls does not implement io.Closer; want it to: Close forgets every frame and ends the store's use")
	}
	if _, ok := s.(strategies.Counter); !ok {
		t.Error("gls does not implement Counter; want it to: Live counts open frames")
	}
	if _, ok := s.(strategies.Releaser); ok {
		t.Error("gls implements Releaser; want not: it holds nothing outside scopes")
	}
}

func TestCloseTwice(t *testing.T) {
	s := gls.New()
	for i := range 2 {
		if err := s.Close(); err != nil {
			t.Errorf("Close() #%d = %v; want nil", i+1, err)
		}
	}
}

func TestClosed(t *testing.T) {
	s := gls.New()
	w := s.Wrap(context.Background(), func(context.Context) {})
	s.Close()
	for method, f := range map[string]func(){
		"Scope": func() { s.Scope(context.Background(), func(context.Context) {}) },
		"Wrap":  w,
	} {
		err, _ := panicValue(f).(error)
		if !errors.Is(err, gls.ErrClosed) || !strings.Contains(err.Error(), "gls."+method) {
			t.Errorf("%s after Close panicked with %v; want an error wrapping gls.ErrClosed that names gls.%s", method, err, method)
		}
	}
}

func TestOutsideScope(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	wantGet(t, s, ctx, keyA, nil, false, "outside any scope nothing is bound")
	if snap := s.Snapshot(ctx); len(snap) != 0 {
		t.Errorf("Snapshot() = %v; want empty outside any scope", snap)
	}
	for method, f := range map[string]func(){
		"Set":    func() { s.Set(ctx, keyA, 1) },
		"Delete": func() { s.Delete(ctx, keyA) },
	} {
		v := panicValue(f)
		err, ok := v.(error)
		if !ok || !errors.Is(err, strategies.ErrNoScope) || !strings.Contains(err.Error(), "gls."+method) {
			t.Errorf("%s outside a scope panicked with %v; want an error wrapping ErrNoScope naming gls.%s", method, v, method)
		}
	}
	for method, f := range map[string]func(){
		"Get":    func() { s.Get(ctx, nil) },
		"Set":    func() { s.Set(ctx, nil, 1) },
		"Delete": func() { s.Delete(ctx, nil) },
	} {
		v := panicValue(f)
		err, ok := v.(error)
		if !ok || !errors.Is(err, strategies.ErrNilKey) || !strings.Contains(err.Error(), "gls."+method) {
			t.Errorf("%s(nil key) panicked with %v; want an error wrapping ErrNilKey naming gls.%s", method, v, method)
		}
	}
	wantLive(t, s, 0, "nothing is open outside a scope")
}

func TestNestedScopes(t *testing.T) {
	s := newStore(t)
	s.Scope(context.Background(), func(ctx context.Context) {
		s.Set(ctx, keyA, 1)
		s.Set(ctx, keyB, nil)
		wantGet(t, s, ctx, keyB, nil, true, "a key bound to nil is bound")
		wantGet(t, s, context.Background(), keyA, 1, true, "implicit: Get finds the binding from any ctx")
		s.Scope(ctx, func(ctx context.Context) {
			wantLive(t, s, 2, "two nested scopes are two frames")
			wantGet(t, s, ctx, keyA, 1, true, "an inner scope sees the outer binding")
			s.Delete(ctx, keyA)
			wantGet(t, s, ctx, keyA, nil, false, "Delete in an inner scope hides the outer binding")
			s.Set(ctx, keyB, 2)
			s.Scope(ctx, func(ctx context.Context) {
				s.Set(ctx, keyA, 3)
				wantGet(t, s, ctx, keyA, 3, true, "Set in an inner scope binds a hidden key again")
			})
			wantGet(t, s, ctx, keyA, nil, false, "the inner Set is undone: the key is hidden again")
		})
		wantGet(t, s, ctx, keyA, 1, true, "the outer binding is visible again after the scope that deleted it")
		wantGet(t, s, ctx, keyB, nil, true, "the inner Set is undone after the scope")
		wantLive(t, s, 1, "the inner frames are closed")
		if snap := s.Snapshot(ctx); len(snap) != 2 || snap[keyA] != 1 || snap[keyB] != nil {
			t.Errorf("Snapshot() = %v; want map[%v:1 %v:<nil>]", snap, keyA, keyB)
		}
	})
	wantGet(t, s, context.Background(), keyA, nil, false, "nothing is bound after the outermost scope")
	wantLive(t, s, 0, "every frame is closed after the outermost scope")
}

func TestScopePanic(t *testing.T) {
	s := newStore(t)
	s.Scope(context.Background(), func(ctx context.Context) {
		s.Set(ctx, keyA, 1)
		v := panicValue(func() {
			s.Scope(ctx, func(ctx context.Context) {
				s.Set(ctx, keyA, 2)
				s.Delete(ctx, keyA)
				panic("boom")
			})
		})
		if v != "boom" {
			t.Errorf("Scope panicked with %v; want boom: Scope lets fn's panic through", v)
		}
		wantGet(t, s, ctx, keyA, 1, true, "a scope that panics is undone")
		wantLive(t, s, 1, "a frame that panics is closed")
		s.Set(ctx, keyB, 2)
		wantGet(t, s, ctx, keyB, 2, true, "the outer frame is current again after a panic")
	})
	v := panicValue(func() {
		s.Scope(context.Background(), func(ctx context.Context) {
			s.Set(ctx, keyA, 1)
			panic("boom")
		})
	})
	if v != "boom" {
		t.Errorf("Scope panicked with %v; want boom", v)
	}
	wantGet(t, s, context.Background(), keyA, nil, false, "an outermost scope that panics leaves nothing bound")
	wantLive(t, s, 0, "every frame is closed after panics")
	if v := panicValue(func() { s.Set(context.Background(), keyA, 1) }); v == nil {
		t.Error("Set after a panicking outermost scope did not panic; want ErrNoScope: no frame is left current")
	}
}

func TestScopeGoexit(t *testing.T) {
	s := newStore(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Scope(context.Background(), func(ctx context.Context) {
			s.Set(ctx, keyA, 1)
			defer func() {
				// Runs while runtime.Goexit unwinds the outer scope.
				wantGet(t, s, ctx, keyA, 1, true, "a scope ended by runtime.Goexit is undone")
				wantLive(t, s, 1, "a frame ended by runtime.Goexit is closed")
			}()
			s.Scope(ctx, func(ctx context.Context) {
				s.Set(ctx, keyA, 2)
				runtime.Goexit()
			})
			t.Errorf("Scope returned after runtime.Goexit")
		})
	}()
	<-done
	wantLive(t, s, 0, "every frame is closed after runtime.Goexit")
}

func TestWrap(t *testing.T) {
	s := newStore(t)
	run := func(f func()) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			f()
		}()
		<-done
	}
	var w func()
	s.Scope(context.Background(), func(ctx context.Context) {
		s.Set(ctx, keyA, 1)
		w = s.Wrap(ctx, func(ctx context.Context) {
			wantGet(t, s, ctx, keyA, 1, true, "a Wrap'd func sees the bindings captured by Wrap")
			wantGet(t, s, ctx, keyB, nil, false, "a Wrap'd func does not see the parent's later Set")
			s.Set(ctx, keyB, "child")
			s.Set(ctx, keyA, "child")
		})
		s.Set(ctx, keyA, 2)
		s.Set(ctx, keyB, 2)
		run(w)
		run(w)
		wantGet(t, s, ctx, keyA, 2, true, "the child's Set is invisible to the parent")

		// A Wrap'd func called on a goroutine inside a scope of its own.
		s.Scope(ctx, func(ctx context.Context) {
			s.Set(ctx, keyA, 3)
			w()
			wantGet(t, s, ctx, keyA, 3, true, "the caller's own bindings are current again after a Wrap'd func")
			wantGet(t, s, ctx, keyB, 2, true, "the caller's own bindings are current again after a Wrap'd func")
		})
	})
	wantLive(t, s, 0, "Wrap'd funcs close their frames")

	s.Scope(context.Background(), func(ctx context.Context) {
		s.Set(ctx, keyA, 1)
		var inner func()
		s.Scope(ctx, func(ctx context.Context) {
			// The inner scope shares the outer frame's map; Wrap must
			// make the outer frame copy it before its next change.
			inner = s.Wrap(ctx, func(ctx context.Context) {
				wantGet(t, s, ctx, keyA, 1, true, "a func Wrap'd in an inner scope does not see the outer scope's later Set")
			})
		})
		s.Set(ctx, keyA, 2)
		run(inner)
	})

	empty := s.Wrap(context.Background(), func(ctx context.Context) {
		wantGet(t, s, ctx, keyA, nil, false, "a func Wrap'd outside any scope starts empty")
		s.Set(ctx, keyA, 1) // valid: a Wrap'd func is a scope
	})
	run(empty)
}

func TestGoAndLive(t *testing.T) {
	s := newStore(t)
	started := make(chan struct{})
	release := make(chan struct{})
	done := make(chan struct{})
	s.Scope(context.Background(), func(ctx context.Context) {
		s.Set(ctx, keyA, 1)
		// strategies.Go is go s.Wrap(ctx, fn)(); spelled out here so that
		// done is closed after the Wrap'd func has closed its frame.
		w := s.Wrap(ctx, func(ctx context.Context) {
			wantGet(t, s, ctx, keyA, 1, true, "a Go'd goroutine starts with the parent's bindings")
			s.Set(ctx, keyA, "child")
			close(started)
			<-release
		})
		go func() {
			defer close(done)
			w()
		}()
		<-started
		wantLive(t, s, 2, "the parent's scope and the running Wrap'd func are two frames")
		wantGet(t, s, ctx, keyA, 1, true, "the child's Set is invisible to the parent")
	})
	wantLive(t, s, 1, "the Wrap'd func's frame is open until it ends")
	close(release)
	<-done
	wantLive(t, s, 0, "the Wrap'd func's frame is closed when it ends")
}

func TestTwoStoresApart(t *testing.T) {
	s1, s2 := newStore(t), newStore(t)
	s1.Scope(context.Background(), func(ctx context.Context) {
		s1.Set(ctx, keyA, 1)
		wantGet(t, s2, ctx, keyA, nil, false, "two stores never share bindings, even for the same key")
		s2.Scope(ctx, func(ctx context.Context) {
			s2.Set(ctx, keyA, 2)
			wantGet(t, s1, ctx, keyA, 1, true, "another store's scope does not hide this store's binding")
		})
	})
}

func TestForeignGlsGo(t *testing.T) {
	s := newStore(t)
	done := make(chan struct{})
	s.Scope(context.Background(), func(ctx context.Context) {
		s.Set(ctx, keyA, 1)
		// Other code in the process may call gls.Go; the store's manager is
		// not registered, so the child must not share the parent's frame.
		jgls.Go(func() {
			defer close(done)
			wantGet(t, s, ctx, keyA, nil, false, "a goroutine started by jtolds/gls's Go inherits nothing")
		})
		<-done
	})
}
