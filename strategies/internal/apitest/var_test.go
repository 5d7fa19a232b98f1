package apitest_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/internal/apitest"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVarLookupSetDelete(t *testing.T) {
	store := mapid.New()
	tenant := strategies.NewVar[string](store, "tenant")
	assert.Equal(t, "tenant", tenant.Key().Name())
	store.Scope(context.Background(), func(ctx context.Context) {
		lookup := func(ctx context.Context) []any {
			v, ok := tenant.Lookup(ctx)
			return []any{v, ok}
		}
		assert.Equal(t, []any{"", false}, lookup(ctx), "Lookup of an unbound Var")
		assert.Equal(t, "", tenant.Get(ctx), "a Var without a default gives the zero value")
		_, ok := store.Get(ctx, tenant.Key())
		assert.False(t, ok, "the key is bound after Get of a Var without a default")
		ctx = tenant.Set(ctx, "acme")
		assert.Equal(t, []any{"acme", true}, lookup(ctx), "Lookup after Set")
		v, ok := store.Get(ctx, tenant.Key())
		assert.Equal(t, []any{"acme", true}, []any{v, ok}, "a Var binds its key in its store")
		ctx = tenant.Delete(ctx)
		assert.Equal(t, []any{"", false}, lookup(ctx), "Lookup after Delete")
		ctx = store.Set(ctx, tenant.Key(), nil)
		assert.Equal(t, []any{"", true}, lookup(ctx), "Lookup of a key bound to nil")
	})

	err, ok := apitest.Catch(func() { strategies.NewVar[int](nil, "x") }).(error)
	require.True(t, ok, "NewVar(nil store) panics with an error")
	assert.ErrorIs(t, err, strategies.ErrNilStore)
	assert.Contains(t, err.Error(), "NewVar")
}

// TestVarDefaultNeverBinds checks that reading a Var with a default binds
// nothing, in every strategy: 100 plain goroutines that only read leave
// Live where it was (mapid and shardedmap made an entry each), and gls,
// outside any scope, returns the default instead of panicking from a Set
// the caller never made.
func TestVarDefaultNeverBinds(t *testing.T) {
	for _, tc := range apitest.All() {
		t.Run(tc.Name, func(t *testing.T) {
			store := tc.Open(t)
			var calls atomic.Int32
			id := strategies.NewVar(store, "id", strategies.WithDefault(func() int32 { return calls.Add(1) }))
			base := apitest.Live(store)
			const n = 100
			got := make(chan any, n)
			for range n {
				go func() {
					var problem any
					if v := apitest.Catch(func() {
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
			assert.Equal(t, base, apitest.Live(store), "Live() after %d goroutines only read a Var with a default: reading leaves no state behind", n)

			store.Scope(context.Background(), func(ctx context.Context) {
				ctx = id.Set(ctx, 7)
				assert.EqualValues(t, 7, id.Get(ctx), "a bound Var ignores its default")
			})
			assert.EqualValues(t, 2*n, calls.Load(), "a bound Var never runs its default")
		})
	}
}

func TestVarNameAndWith(t *testing.T) {
	for _, tc := range apitest.All() {
		t.Run(tc.Name, func(t *testing.T) {
			store := tc.Open(t)
			user := strategies.NewVar[string](store, "user")
			assert.Equal(t, "user", user.Name())
			base := apitest.Live(store)
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
				v := apitest.Catch(func() {
					user.With(ctx, "inner", func(ctx context.Context) { panic("boom") })
				})
				assert.Equal(t, "boom", v, "a panic in fn reaches With's caller")
				assert.Equal(t, "outer", user.Get(ctx), "everything bound inside With is undone when fn panics")
			})
			// Outside any scope, even where Set needs one.
			user.With(context.Background(), "alone", func(ctx context.Context) {
				assert.Equal(t, "alone", user.Get(ctx), "With works outside any scope: it opens one")
			})
			assert.Equal(t, base, apitest.Live(store), "With leaves nothing behind")

			err, ok := apitest.Catch(func() { user.With(context.Background(), "x", nil) }).(error)
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
			err, ok := apitest.Catch(call).(error)
			if !assert.True(t, ok, "%s of a key bound to an int panics with an error", name) {
				continue
			}
			assert.ErrorIs(t, err, strategies.ErrWrongType, name)
			assert.Equal(t, "strategies.Var[string]."+name+": key "+tenant.Key().String()+" holds int: value of the wrong type", err.Error(),
				"the message names the method called, the key and the type found")
		}
	})
}
