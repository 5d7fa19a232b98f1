package ctxvalue_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
)

var (
	keyA = strategies.NewKey("a")
	keyB = strategies.NewKey("b")
)

// wantGet fails t unless s.Get(ctx, k) returns (want, wantOK).
func wantGet(t *testing.T, s strategies.Store, ctx context.Context, k *strategies.Key, want any, wantOK bool, why string) {
	t.Helper()
	if got, ok := s.Get(ctx, k); got != want || ok != wantOK {
		t.Errorf("Get(%v) = %v, %v; want %v, %v: %s", k, got, ok, want, wantOK, why)
	}
}

func TestStore(t *testing.T) {
	harness.TestStore(t, func(t *testing.T) strategies.Store { return ctxvalue.New() })
}

func TestCapabilities(t *testing.T) {
	var s strategies.Store = ctxvalue.New()
	want := strategies.Info{Name: "ctxvalue"}
	if got := s.Info(); got != want {
		t.Errorf("Info() = %+v; want %+v", got, want)
	}
	if _, ok := s.(strategies.Releaser); ok {
		t.Error("ctxvalue implements Releaser; want not: it holds nothing outside contexts")
	}
	if _, ok := s.(strategies.Counter); ok {
		t.Error("ctxvalue implements Counter; want not: it holds nothing outside contexts")
	}
}

func TestThroughForeignLayers(t *testing.T) {
	s := ctxvalue.New()
	ctx := s.Set(context.Background(), keyA, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ctx = context.WithValue(ctx, keyB, "raw")
	ctx, cancel2 := context.WithTimeout(ctx, time.Hour)
	defer cancel2()
	ctx = context.WithoutCancel(ctx)
	wantGet(t, s, ctx, keyA, 1, true, "a binding is found through WithCancel, WithValue, WithTimeout and WithoutCancel layers")
	wantGet(t, s, ctx, keyB, nil, false, "a raw context.WithValue under the same *Key is not a binding")

	ctx = s.Set(ctx, keyB, 2)
	ctx, cancel3 := context.WithCancel(ctx)
	defer cancel3()
	wantGet(t, s, ctx, keyA, 1, true, "a newer node carries the older node's bindings")
	wantGet(t, s, ctx, keyB, 2, true, "the newest node is found through a WithCancel layer")
}

func TestNodeIsAContext(t *testing.T) {
	s := ctxvalue.New()
	parent, cancel := context.WithCancel(context.Background())
	ctx := s.Set(parent, keyA, 1)
	child, cancelChild := context.WithCancel(ctx)
	defer cancelChild()
	cancel()
	<-child.Done() // blocks forever if cancellation does not pass through the node
	if !errors.Is(child.Err(), context.Canceled) {
		t.Errorf("child.Err() = %v; want context.Canceled: cancellation passes through a node", child.Err())
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("node.Err() = %v; want context.Canceled: a node reports its parent's Err", ctx.Err())
	}
	deadline := time.Now().Add(time.Hour)
	dctx, cancelD := context.WithDeadline(context.Background(), deadline)
	defer cancelD()
	if got, ok := s.Set(dctx, keyA, 1).Deadline(); !ok || !got.Equal(deadline) {
		t.Errorf("node.Deadline() = %v, %v; want %v, true: a node reports its parent's deadline", got, ok, deadline)
	}
	if got := ctx.Value(keyA); got != nil {
		t.Errorf("node.Value(keyA) = %v; want nil: a node answers only its store's identity", got)
	}
	if got := ctx.(interface{ String() string }).String(); !strings.Contains(got, "WithBindings(1)") {
		t.Errorf("node.String() = %q; want it to mention WithBindings(1)", got)
	}
}

func TestTwoStoresApart(t *testing.T) {
	s1, s2 := ctxvalue.New(), ctxvalue.New()
	ctx := s1.Set(context.Background(), keyA, 1)
	wantGet(t, s2, ctx, keyA, nil, false, "two stores never share bindings, even for the same key")
	ctx = s2.Set(ctx, keyA, 2)
	wantGet(t, s1, ctx, keyA, 1, true, "another store's node on top does not hide this store's binding")
	wantGet(t, s2, ctx, keyA, 2, true, "each store finds its own binding")
	ctx = s1.Delete(ctx, keyA)
	wantGet(t, s2, ctx, keyA, 2, true, "Delete in one store leaves the other store's binding")
}

func TestBoundNil(t *testing.T) {
	s := ctxvalue.New()
	ctx := context.Background()
	wantGet(t, s, ctx, keyA, nil, false, "an unbound key is missing")
	ctx = s.Set(ctx, keyA, nil)
	wantGet(t, s, ctx, keyA, nil, true, "a key bound to nil is bound")
	if snap := s.Snapshot(ctx); len(snap) != 1 || snap[keyA] != nil {
		t.Errorf("Snapshot() = %v; want map[%v:<nil>]: a bound nil is in the snapshot", snap, keyA)
	}
}

func TestDelete(t *testing.T) {
	s := ctxvalue.New()
	outer := s.Set(s.Set(context.Background(), keyA, 1), keyB, 2)
	inner := s.Delete(outer, keyB)
	wantGet(t, s, inner, keyB, nil, false, "Delete of a bound key returns a context where it is unbound")
	wantGet(t, s, inner, keyA, 1, true, "Delete leaves other keys bound")
	wantGet(t, s, outer, keyB, 2, true, "Delete does not change the context it was given")
	inner = s.Delete(inner, keyA)
	wantGet(t, s, inner, keyA, nil, false, "Delete of the last binding unbinds it")
	if snap := s.Snapshot(inner); len(snap) != 0 {
		t.Errorf("Snapshot() = %v; want empty after deleting every key", snap)
	}
	if got := s.Delete(outer, strategies.NewKey("never bound")); got != outer {
		t.Errorf("Delete of a missing key returned a new context; want the same one")
	}
}

func TestDeleteHidesOlderNode(t *testing.T) {
	s := ctxvalue.New()
	older, cancel := context.WithCancel(s.Set(context.Background(), keyA, 1))
	defer cancel()
	ctx := s.Delete(older, keyA)
	wantGet(t, s, ctx, keyA, nil, false, "Delete of the only binding hides it, though an older node below a foreign layer holds it")
	if got := s.Delete(ctx, keyA); got != ctx {
		t.Errorf("Delete of a deleted key returned a new context; want the same one")
	}
	ctx = s.Set(ctx, keyB, 2)
	wantGet(t, s, ctx, keyA, nil, false, "a Set after Delete of the only binding keeps the older binding hidden")
	wantGet(t, s, ctx, keyB, 2, true, "a Set after Delete of the only binding binds the key")
	ctx = s.Set(s.Delete(ctx, keyB), keyA, 3)
	wantGet(t, s, ctx, keyA, 3, true, "a Set of a deleted key binds it again")
	wantGet(t, s, ctx, keyB, nil, false, "a Set does not bring back a deleted key")
	wantGet(t, s, older, keyA, 1, true, "Delete and Set do not change the context they were given")
}

func TestNoAllocs(t *testing.T) {
	s := ctxvalue.New()
	missing := strategies.NewKey("missing")
	ctx := s.Set(context.Background(), keyA, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"Get missing", func() { s.Get(ctx, missing) }},
		{"Get missing, no node", func() { s.Get(context.Background(), keyA) }},
		{"Get bound", func() { s.Get(ctx, keyA) }},
		{"Delete missing", func() { s.Delete(ctx, missing) }},
	} {
		if n := testing.AllocsPerRun(100, c.f); n != 0 {
			t.Errorf("%s: %v allocations per run; want 0", c.name, n)
		}
	}
}

func TestScopeAndWrap(t *testing.T) {
	s := ctxvalue.New()
	ctx := s.Set(context.Background(), keyA, 1)
	s.Scope(ctx, func(ctx context.Context) {
		wantGet(t, s, ctx, keyA, 1, true, "Scope's fn sees the bindings made before it")
		ctx = s.Set(ctx, keyA, 2)
		ctx = s.Set(ctx, keyB, 3)
		wantGet(t, s, ctx, keyA, 2, true, "a Set inside a scope is visible inside it")
	})
	wantGet(t, s, ctx, keyA, 1, true, "a Set inside a scope is undone after it")
	wantGet(t, s, ctx, keyB, nil, false, "a new binding inside a scope is gone after it")

	w := s.Wrap(ctx, func(ctx context.Context) {
		wantGet(t, s, ctx, keyA, 1, true, "a Wrap'd func sees the bindings captured by Wrap")
		wantGet(t, s, ctx, keyB, nil, false, "a Wrap'd func does not see later bindings")
	})
	ctx = s.Set(ctx, keyB, 4)
	done := make(chan struct{})
	go func() {
		defer close(done)
		w()
	}()
	<-done
	w()
	wantGet(t, s, ctx, keyB, 4, true, "the caller's later Set stays visible to the caller")
}

func TestNilKey(t *testing.T) {
	s := ctxvalue.New()
	one := s.Set(context.Background(), keyA, 1)
	for _, c := range []struct {
		name string
		ctx  context.Context
	}{
		{"no binding", context.Background()},
		{"one binding", one},
		{"two bindings", s.Set(one, keyB, 2)},
		{"every binding deleted", s.Delete(one, keyA)},
	} {
		ctx := c.ctx
		for method, f := range map[string]func(){
			"Get":    func() { s.Get(ctx, nil) },
			"Set":    func() { s.Set(ctx, nil, 1) },
			"Delete": func() { s.Delete(ctx, nil) },
		} {
			err := panicValue(f)
			if e, ok := err.(error); !ok || !errors.Is(e, strategies.ErrNilKey) || !strings.Contains(e.Error(), "ctxvalue."+method) {
				t.Errorf("%s: %s(nil key) panicked with %v; want an error wrapping ErrNilKey naming ctxvalue.%s", c.name, method, err, method)
			}
		}
	}
}

// panicValue returns what f panics with, or nil.
func panicValue(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

func TestChainStaysShort(t *testing.T) {
	s := ctxvalue.New()
	ctx := context.Background()
	for i := range 100 {
		ctx = s.Set(ctx, keyA, i)
		ctx = s.Delete(s.Set(ctx, keyB, i), keyB)
	}
	wantGet(t, s, ctx, keyA, 99, true, "the last Set in a loop wins")
	want := "context.Background.WithBindings(1)"
	if got := ctx.(interface{ String() string }).String(); got != want {
		t.Errorf("String() after a loop of Sets = %q; want %q: a node made from the store's own node replaces it", got, want)
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s2 := ctxvalue.New()
	ctx = s.Set(s2.Set(cctx, keyA, "other"), keyB, 1)
	wantGet(t, s2, ctx, keyA, "other", true, "another store's node is never skipped")
	wantGet(t, s, ctx, keyA, 99, true, "a node below foreign layers is still found")
}
