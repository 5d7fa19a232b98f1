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
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// TestVarDefaultNeverBinds checks that reading a Var with a default binds
// nothing, in every strategy: 100 plain goroutines that only read leave
// Live where it was (mapid and shardedmap made an entry each), and gls,
// outside any scope, returns the default instead of panicking from a Set
// the caller never made.
func TestVarDefaultNeverBinds(t *testing.T) {
	for _, tc := range stores() {
		t.Run(tc.name, func(t *testing.T) {
			store := tc.newStore(t)
			var calls atomic.Int32
			id := strategies.NewVar(store, "id", strategies.WithDefault(func() int32 { return calls.Add(1) }))
			base := live(store)
			const n = 100
			got := make(chan any, n)
			for range n {
				go func() {
					var problem any
					if v := catch(func() {
						ctx := context.Background()
						first, second := id.Get(ctx), id.Get(ctx)
						if _, ok := id.Lookup(ctx); ok || first == second {
							problem = fmt.Sprintf("Get twice = %d, %d, then Lookup found the key bound: %t; want two runs of the default and the key unbound: reading binds nothing", first, second, ok)
						}
					}); v != nil {
						problem = v
					}
					got <- problem
				}()
			}
			for range n {
				assert.Nil(t, <-got, "a goroutine reading a Var with a default outside any scope")
			}
			assert.EqualValues(t, 2*n, calls.Load(), "the default runs on every Get of an unbound key")
			assert.Equal(t, base, live(store), "Live() after %d goroutines only read a Var with a default: reading leaves no state behind", n)

			store.Scope(context.Background(), func(ctx context.Context) {
				ctx = id.Set(ctx, 7)
				assert.EqualValues(t, 7, id.Get(ctx), "a bound Var ignores its default")
			})
			assert.EqualValues(t, 2*n, calls.Load(), "a bound Var never runs its default")
		})
	}
}

func TestVarNameAndWith(t *testing.T) {
	for _, tc := range stores() {
		t.Run(tc.name, func(t *testing.T) {
			store := tc.newStore(t)
			user := strategies.NewVar[string](store, "user")
			assert.Equal(t, "user", user.Name())
			base := live(store)
			store.Scope(context.Background(), func(ctx context.Context) {
				ctx = user.Set(ctx, "outer")
				ran := false
				user.With(ctx, "inner", func(ctx context.Context) {
					ran = true
					assert.Equal(t, "inner", user.Get(ctx), "With binds the Var for fn")
					if store.Info().Implicit {
						assert.Equal(t, "inner", user.Get(context.Background()), "With binds the Var for fn, found from any context by an implicit store")
					}
					user.Set(ctx, "changed inside")
				})
				assert.True(t, ran, "With runs fn")
				assert.Equal(t, "outer", user.Get(ctx), "everything bound inside With is undone when fn returns")
				v := catch(func() {
					user.With(ctx, "inner", func(ctx context.Context) { panic("boom") })
				})
				assert.Equal(t, "boom", v, "a panic in fn reaches With's caller")
				assert.Equal(t, "outer", user.Get(ctx), "everything bound inside With is undone when fn panics")
			})
			// Outside any scope, even where Set needs one.
			user.With(context.Background(), "alone", func(ctx context.Context) {
				assert.Equal(t, "alone", user.Get(ctx), "With works outside any scope: it opens one")
			})
			assert.Equal(t, base, live(store), "With leaves nothing behind")

			err, ok := catch(func() { user.With(context.Background(), "x", nil) }).(error)
			require.True(t, ok, "With(nil fn) panics with an error")
			assert.ErrorIs(t, err, strategies.ErrNilFunc)
			assert.Contains(t, err.Error(), "With", "the message names the method")
		})
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
			name := name
			v := catch(call)
			err, ok := v.(error)
			if !ok || !errors.Is(err, strategies.ErrWrongType) {
				t.Errorf("%s of a key bound to an int panicked with %v; want an error wrapping ErrWrongType", name, v)
				continue
			}
			if msg := err.Error(); !strings.Contains(msg, "tenant") || !strings.Contains(msg, "int") || !strings.Contains(msg, "."+name+":") {
				t.Errorf("%s panicked with %q; want a message naming the method called, the key and the type found", name, msg)
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
		fmt.Println("attempts:", attempts.Get(ctx)) // the default, not bound
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
