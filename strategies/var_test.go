package strategies_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/mapid"
)

func TestVarLookupSetDelete(t *testing.T) {
	store := mapid.New()
	tenant := strategies.NewVar[string](store, "tenant")
	if got := tenant.Key().Name(); got != "tenant" {
		t.Errorf("Key().Name() = %q; want %q", got, "tenant")
	}
	store.Scope(context.Background(), func(ctx context.Context) {
		if v, ok := tenant.Lookup(ctx); v != "" || ok {
			t.Errorf("Lookup() = %q, %t; want \"\", false: an unbound Var", v, ok)
		}
		if v := tenant.Get(ctx); v != "" {
			t.Errorf("Get() = %q; want \"\": a Var without a default gives the zero value", v)
		}
		if _, ok := store.Get(ctx, tenant.Key()); ok {
			t.Errorf("the key is bound after Get of a Var without a default; want unbound")
		}
		ctx = tenant.Set(ctx, "acme")
		if v, ok := tenant.Lookup(ctx); v != "acme" || !ok {
			t.Errorf("Lookup() = %q, %t; want \"acme\", true", v, ok)
		}
		if v, ok := store.Get(ctx, tenant.Key()); v != "acme" || !ok {
			t.Errorf("store.Get(Key()) = %v, %t; want \"acme\", true: a Var binds its key in its store", v, ok)
		}
		ctx = tenant.Delete(ctx)
		if v, ok := tenant.Lookup(ctx); v != "" || ok {
			t.Errorf("Lookup() after Delete = %q, %t; want \"\", false", v, ok)
		}
		ctx = store.Set(ctx, tenant.Key(), nil)
		if v, ok := tenant.Lookup(ctx); v != "" || !ok {
			t.Errorf("Lookup() of a key bound to nil = %q, %t; want \"\", true", v, ok)
		}
	})
}

func TestVarDefaultOncePerGoroutine(t *testing.T) {
	store := mapid.New()
	var calls atomic.Int32
	id := strategies.NewVar(store, "id", strategies.WithDefault(func() int32 { return calls.Add(1) }))

	results := make(chan [2]int32, 2)
	for range 2 {
		go func() {
			store.Scope(context.Background(), func(ctx context.Context) {
				first := id.Get(ctx)
				results <- [2]int32{first, id.Get(ctx)}
			})
		}()
	}
	a, b := <-results, <-results
	if a[0] != a[1] || b[0] != b[1] {
		t.Errorf("Get twice on one goroutine = %v and %v; want the same value twice: the default is bound once computed", a, b)
	}
	if a[0] == b[0] {
		t.Errorf("two goroutines both got %d; want a value each: the default is computed once per goroutine", a[0])
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("the default ran %d times; want 2, once per goroutine", n)
	}
	store.Scope(context.Background(), func(ctx context.Context) {
		ctx = id.Set(ctx, 7)
		if v := id.Get(ctx); v != 7 {
			t.Errorf("Get() = %d; want 7: a bound Var ignores its default", v)
		}
	})
	if n := calls.Load(); n != 2 {
		t.Errorf("the default ran %d times; want still 2: a bound Var never runs it", n)
	}
}

func TestVarWrongType(t *testing.T) {
	store := mapid.New()
	tenant := strategies.NewVar[string](store, "tenant")
	store.Scope(context.Background(), func(ctx context.Context) {
		ctx = store.Set(ctx, tenant.Key(), 42)
		for name, call := range map[string]func(){
			"Lookup": func() { tenant.Lookup(ctx) },
			"Get":    func() { tenant.Get(ctx) },
		} {
			v := catch(call)
			err, ok := v.(error)
			if !ok || !errors.Is(err, strategies.ErrWrongType) {
				t.Errorf("%s of a key bound to an int panicked with %v; want an error wrapping ErrWrongType", name, v)
				continue
			}
			if msg := err.Error(); !strings.Contains(msg, "tenant") || !strings.Contains(msg, "int") {
				t.Errorf("%s panicked with %q; want a message naming the key and the type found", name, msg)
			}
		}
	})
}

func catch(fn func()) (v any) {
	defer func() { v = recover() }()
	fn()
	return nil
}

func ExampleVar() {
	store := mapid.New()
	tenant := strategies.NewVar[string](store, "tenant")
	attempts := strategies.NewVar(store, "attempts", strategies.WithDefault(func() int { return 1 }))

	store.Scope(context.Background(), func(ctx context.Context) {
		ctx = tenant.Set(ctx, "acme")
		name, ok := tenant.Lookup(ctx)
		fmt.Println(name, ok)
		fmt.Println("attempts:", attempts.Get(ctx)) // the default, now bound
		ctx = attempts.Set(ctx, attempts.Get(ctx)+1)
		fmt.Println("attempts:", attempts.Get(ctx))
	})
	_, ok := tenant.Lookup(context.Background())
	fmt.Println("after the scope:", ok)
	// Output:
	// acme true
	// attempts: 1
	// attempts: 2
	// after the scope: false
}
