package mapid_test

import (
	"context"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/mapid"
)

func TestConformance(t *testing.T) {
	harness.TestStore(t, func(*testing.T) strategies.Store { return mapid.New() })
}

// TestPromises checks what mapid says of itself, so that a lost capability
// fails here instead of silently skipping the cases that need it.
func TestPromises(t *testing.T) {
	var s strategies.Store = mapid.New()
	if _, ok := s.(strategies.Releaser); !ok {
		t.Errorf("%T does not implement strategies.Releaser; want it to: plain go goroutines need a way out of the leak", s)
	}
	if _, ok := s.(strategies.Counter); !ok {
		t.Errorf("%T does not implement strategies.Counter; want it to: leak tests use Live", s)
	}
	if _, ok := s.(strategies.Spawner); !ok {
		t.Errorf("%T does not implement strategies.Spawner; want it to: strategies.Go is cheaper through it", s)
	}
	if _, ok := s.(io.Closer); !ok {
		t.Errorf("%T does not implement io.Closer; want it to: Close stops background sweeps", s)
	}
	want := strategies.Info{Name: "mapid", Implicit: true, Leaks: true}
	if got := s.Info(); got != want {
		t.Errorf("Info() = %+v; want %+v", got, want)
	}
}

// TestReleaseInsideScope checks that Release inside an open Scope forgets
// the goroutine's bindings there, and that the Scope, when it ends, puts
// back the bindings it started with.
func TestReleaseInsideScope(t *testing.T) {
	s := mapid.New()
	a, b := strategies.NewKey("a"), strategies.NewKey("b")
	type result struct {
		aInside, aAfter, bAfter bool
		liveAfterRelease        int
	}
	got := make(chan result, 1)
	go func() {
		var r result
		ctx := s.Set(context.Background(), a, 1)
		s.Scope(ctx, func(ctx context.Context) {
			ctx = s.Set(ctx, b, 2)
			s.Release(ctx)
			_, r.aInside = s.Get(ctx, a)
			s.Set(ctx, b, 3)
		})
		_, r.aAfter = s.Get(ctx, a)
		_, r.bAfter = s.Get(ctx, b)
		s.Release(ctx)
		r.liveAfterRelease = s.Live()
		got <- r
	}()
	r := <-got
	if r.aInside {
		t.Errorf("Get(a) inside the scope after Release = _, true; want false: Release forgets every binding of the goroutine")
	}
	if !r.aAfter || r.bAfter {
		t.Errorf("after the scope, a bound %t, b bound %t; want true, false: a Scope puts back the bindings it started with", r.aAfter, r.bAfter)
	}
	if r.liveAfterRelease != 0 {
		t.Errorf("Live() = %d after the final Release; want 0", r.liveAfterRelease)
	}
}

// TestNoTableMethods checks that the goroutine table is not part of the
// API: a Store method that takes a goroutine id (Load, Store, Remove) would
// let any caller read or wipe another goroutine's bindings, and would put
// the internal gstate.State type on a public API.
func TestNoTableMethods(t *testing.T) {
	typ := reflect.TypeFor[*mapid.Store]()
	for _, m := range []string{"Load", "Store", "Remove"} {
		if _, ok := typ.MethodByName(m); ok {
			t.Errorf("%v has an exported method %s; want none: the table of goroutine ids is internal", typ, m)
		}
	}
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		for j := range m.Type.NumIn() {
			if in := m.Type.In(j); in.Kind() == reflect.Pointer && strings.Contains(in.Elem().PkgPath(), "/internal/") {
				t.Errorf("%v.%s takes %v; want no internal type on the public API", typ, m.Name, in)
			}
		}
	}
}
