// Package spawntest checks a store's strategies.Spawner fast path, through
// strategies.Go: the tests mapid and shardedmap share, written once.
//
// The conformance suite starts its children with Wrap; these checks make sure
// that the cheaper path strategies.Go takes for a Spawner keeps the same
// promises: the copy is taken on the parent before the child starts, parent
// and child never see each other's later changes, and nothing is left in the
// store once the child ends, however it ends.
package spawntest

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/localbench/localbench/strategies"
)

// Store is what Run checks.
type Store interface {
	strategies.Store
	strategies.Counter
	strategies.Releaser
	strategies.Spawner
}

// waitTimeout bounds every wait for a child.
const waitTimeout = 10 * time.Second

// Run runs every check on stores made by newStore, one subtest each.
func Run[S Store](t *testing.T, newStore func() S) {
	t.Run("CopyAtCapture", func(t *testing.T) { copyAtCapture(t, newStore()) })
	t.Run("NoParentBindings", func(t *testing.T) { noParentBindings(t, newStore()) })
	t.Run("NoResidue", func(t *testing.T) { noResidue(t, newStore()) })
}

// onParent runs fn on a new goroutine (a parent with no bindings of its own
// before fn) and waits for it, so that every check starts from a clean
// goroutine and the test goroutine holds nothing.
func onParent(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	wait(t, done, "the parent goroutine to end")
}

func wait(t *testing.T, ch <-chan struct{}, what string) bool {
	t.Helper()
	select {
	case <-ch:
		return true
	case <-time.After(waitTimeout):
		t.Errorf("waited %v for %s", waitTimeout, what)
		return false
	}
}

// waitLive waits until s.Live() is want: a child's entry is removed after
// its function returns, which the test cannot observe otherwise.
func waitLive(t *testing.T, s strategies.Counter, want int, why string) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for s.Live() != want {
		if time.Now().After(deadline) {
			t.Errorf("Live() = %d; want %d: %s", s.Live(), want, why)
			return
		}
		runtime.Gosched()
	}
}

func copyAtCapture[S Store](t *testing.T, s S) {
	a, b, n := strategies.NewKey("a"), strategies.NewKey("b"), strategies.NewKey("nil")
	type seen struct {
		a, b         any
		aOK, bOK     bool
		nilV         any
		nilOK        bool
		parentAfterB bool
	}
	var got seen
	onParent(t, func() {
		s.Scope(context.Background(), func(ctx context.Context) {
			ctx = s.Set(ctx, a, 1)
			ctx = s.Set(ctx, n, nil)
			start, childSet := make(chan struct{}), make(chan struct{})
			ended := make(chan struct{})
			strategies.Go(ctx, s, func(ctx context.Context) {
				defer close(ended)
				<-start
				got.a, got.aOK = s.Get(ctx, a)
				got.b, got.bOK = s.Get(ctx, b)
				got.nilV, got.nilOK = s.Get(ctx, n)
				s.Set(ctx, a, "child")
				s.Set(ctx, b, "child")
				close(childSet)
			})
			// Changes after Go must not reach the child.
			ctx = s.Set(ctx, a, 2)
			ctx = s.Delete(ctx, n)
			close(start)
			if !wait(t, childSet, "the child's Sets") {
				return
			}
			_, got.parentAfterB = s.Get(ctx, b)
			if v, _ := s.Get(ctx, a); v != 2 {
				t.Errorf("parent: Get(a) = %v after the child's Set; want 2: a child's changes are invisible to the parent", v)
			}
			wait(t, ended, "the child to end")
		})
	})
	if got.a != 1 || !got.aOK {
		t.Errorf("child: Get(a) = %v, %t; want 1, true: a child started by Go starts with the bindings at the time of Go, not the parent's later Set", got.a, got.aOK)
	}
	if got.bOK {
		t.Errorf("child: Get(b) = %v, true; want nil, false: b was never bound", got.b)
	}
	if got.nilV != nil || !got.nilOK {
		t.Errorf("child: Get(nil key) = %v, %t; want nil, true: a key bound to nil is bound, and the parent's later Delete must not reach the child", got.nilV, got.nilOK)
	}
	if got.parentAfterB {
		t.Errorf("parent: Get(b) = _, true after the child bound it; want false: a child's bindings are its own")
	}
	waitLive(t, s, 0, "after the parent's Scope and the child end, the store holds nothing")
}

func noParentBindings[S Store](t *testing.T, s S) {
	k := strategies.NewKey("k")
	var ok bool
	onParent(t, func() {
		ended := make(chan struct{})
		strategies.Go(context.Background(), s, func(ctx context.Context) {
			defer close(ended)
			_, ok = s.Get(ctx, k)
			s.Set(ctx, k, 1) // makes the child's own entry, which must go
		})
		wait(t, ended, "the child to end")
	})
	if ok {
		t.Errorf("child of a parent with no bindings: Get(k) = _, true; want false")
	}
	waitLive(t, s, 0, "a child started by Go with nothing to inherit leaves nothing behind, even after its own Set")
}

func noResidue[S Store](t *testing.T, s S) {
	k, j := strategies.NewKey("k"), strategies.NewKey("j")
	ends := map[string]func(ctx context.Context){
		"return": func(ctx context.Context) { s.Set(ctx, j, 1) },
		"Goexit": func(ctx context.Context) {
			s.Set(ctx, j, 1)
			runtime.Goexit()
		},
		"Release": func(ctx context.Context) { s.Release(ctx) },
		"Release then Set": func(ctx context.Context) {
			s.Release(ctx)
			s.Set(ctx, j, 1)
		},
		"Release in a Scope": func(ctx context.Context) {
			s.Scope(ctx, func(ctx context.Context) {
				s.Set(ctx, j, 1)
				s.Release(ctx)
				s.Set(ctx, j, 2)
			})
			if _, ok := s.Get(ctx, k); !ok {
				t.Errorf("child: Get(k) = _, false after a Scope that called Release; want true: the Scope puts back the bindings it started with")
			}
		},
	}
	for name, end := range ends {
		t.Run(name, func(t *testing.T) {
			onParent(t, func() {
				ctx := s.Set(context.Background(), k, 0)
				ended := make(chan struct{})
				strategies.Go(ctx, s, func(ctx context.Context) {
					defer close(ended)
					end(ctx)
				})
				wait(t, ended, "the child to end")
				s.Release(ctx)
			})
			waitLive(t, s, 0, "a child started by Go leaves nothing behind when it ends by "+name)
		})
	}
}
