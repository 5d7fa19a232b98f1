package apitest_test

import (
	"context"
	"iter"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/internal/apitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPlainIterPull pins what each strategy sees in an iterator pulled with
// a plain iter.Pull, which runs it on a coroutine with a goroutine id of its
// own: the strategies keyed by goroutine see nothing of the caller's
// bindings, ctxvalue sees what the ctx the iterator closes over carries.
// strategies.Pull is the way to keep them.
func TestPlainIterPull(t *testing.T) {
	seesCaller := map[string]bool{"mapid": false, "shardedmap": false, "gls": false, "ctxvalue": true}
	for _, tc := range apitest.All() {
		t.Run(tc.Name, func(t *testing.T) {
			s := tc.Open(t)
			user := strategies.NewVar[string](s, "user")
			s.Scope(context.Background(), func(ctx context.Context) {
				ctx = user.Set(ctx, "caller")
				seq := func(yield func(string) bool) {
					v, _ := user.Lookup(ctx)
					yield(v)
				}
				for _, pull := range []struct {
					name string
					fn   func(iter.Seq[string]) (func() (string, bool), func())
					want bool
				}{
					{"iter.Pull", iter.Pull[string], seesCaller[tc.Name]},
					{"strategies.Pull", func(seq iter.Seq[string]) (func() (string, bool), func()) { return strategies.Pull(ctx, s, seq) }, true},
				} {
					next, stop := pull.fn(seq)
					v, ok := next()
					stop()
					require.True(t, ok, "%s: the iterator yields once", pull.name)
					assert.Equal(t, pull.want, v == "caller", "%s: the pulled iterator saw %q; want the caller's binding: %t", pull.name, v, pull.want)
				}
			})
		})
	}
}

// TestScopedIteratorHazard pins the hazard that ScopeSeq exists for: an
// iterator that binds in a Scope of its own and yields from inside it runs
// the loop body inside that scope, so with an implicit store the loop body
// sees the iterator's binding, and what the loop body binds is undone when
// the iterator's scope ends. ctxvalue has no such hazard: each side reads
// its own ctx.
func TestScopedIteratorHazard(t *testing.T) {
	for _, tc := range apitest.All() {
		t.Run(tc.Name, func(t *testing.T) {
			s := tc.Open(t)
			user := strategies.NewVar[string](s, "user")
			step := strategies.NewVar[int](s, "step")
			implicit := s.Info().Implicit
			s.Scope(context.Background(), func(ctx context.Context) {
				ctx = user.Set(ctx, "caller")
				naive := func(yield func(int) bool) {
					s.Scope(ctx, func(ctx context.Context) {
						user.Set(ctx, "iterator")
						yield(1)
					})
				}
				for i := range naive {
					ctx = step.Set(ctx, i)
					want := "caller"
					if implicit {
						want = "iterator"
					}
					assert.Equal(t, want, user.Get(ctx), "the loop body of a naive scoped iterator")
				}
				_, kept := step.Lookup(ctx)
				assert.Equal(t, !implicit, kept, "the loop body's Set survives the naive scoped iterator")

				scoped := strategies.ScopeSeq(ctx, s, func(ctx context.Context, yield func(int) bool) {
					user.Set(ctx, "iterator")
					yield(2)
				})
				for i := range scoped {
					ctx = step.Set(ctx, i)
					assert.Equal(t, "caller", user.Get(ctx), "the loop body of an iterator written with ScopeSeq")
				}
				assert.Equal(t, 2, step.Get(ctx), "the loop body's Set survives an iterator written with ScopeSeq")
			})
		})
	}
}

func TestIterNilFunc(t *testing.T) {
	for _, tc := range apitest.All() {
		t.Run(tc.Name, func(t *testing.T) {
			s := tc.Open(t)
			ctx := context.Background()
			for method, call := range map[string]func(){
				"Pull":      func() { strategies.Pull[int](ctx, s, nil) },
				"Pull2":     func() { strategies.Pull2[int, int](ctx, s, nil) },
				"ScopeSeq":  func() { strategies.ScopeSeq[int](ctx, s, nil) },
				"ScopeSeq2": func() { strategies.ScopeSeq2[int, int](ctx, s, nil) },
			} {
				err, ok := apitest.Catch(call).(error)
				if !assert.True(t, ok, "%s with a nil func panics with an error", method) {
					continue
				}
				assert.ErrorIs(t, err, strategies.ErrNilFunc, method)
				assert.Equal(t, tc.Name+"."+method+": nil func", err.Error(), "the message names the strategy and the method")
			}
		})
	}
}

// TestScopeSeqOutsideScope checks a loop over an iterator written with
// ScopeSeq outside any scope: a loop body that only reads works with every
// store, and one that binds gets, from a store that needs a scope, the
// ErrNoScope panic its Set would have raised without ScopeSeq.
func TestScopeSeqOutsideScope(t *testing.T) {
	for _, tc := range apitest.All() {
		t.Run(tc.Name, func(t *testing.T) {
			s := tc.Open(t)
			user := strategies.NewVar[string](s, "user")
			seq := strategies.ScopeSeq(context.Background(), s, func(ctx context.Context, yield func(int) bool) {
				user.Set(ctx, "iterator")
				yield(1)
			})
			base := apitest.Live(s)
			for range seq {
				_, ok := user.Lookup(context.Background())
				assert.False(t, ok, "the loop body sees the caller's bindings: none")
			}
			assert.Equal(t, base, apitest.Live(s), "a loop that only reads leaves nothing behind")

			v := apitest.Catch(func() {
				for range seq {
					user.Set(context.Background(), "loop")
				}
			})
			if !s.Info().NeedsScope {
				assert.Nil(t, v, "a loop body may bind outside any scope")
				if implicit := s.Info().Implicit; implicit {
					assert.Equal(t, "loop", user.Get(context.Background()), "what the loop body bound stays bound")
					if r, ok := s.(strategies.Releaser); ok {
						r.Release(context.Background())
					}
				}
				return
			}
			err, ok := v.(error)
			require.True(t, ok, "a loop body binding outside any scope makes a store that needs one panic with an error; got %v", v)
			assert.ErrorIs(t, err, strategies.ErrNoScope)
			assert.Equal(t, base, apitest.Live(s), "nothing is left behind")
		})
	}
}

func TestHelpersNilStore(t *testing.T) {
	ctx := context.Background()
	for name, call := range map[string]func(){
		"Go":        func() { strategies.Go(ctx, nil, func(context.Context) {}) },
		"WrapErr":   func() { strategies.WrapErr(ctx, nil, func(context.Context) error { return nil }) },
		"Pull":      func() { strategies.Pull(ctx, nil, func(func(int) bool) {}) },
		"Pull2":     func() { strategies.Pull2(ctx, nil, func(func(int, int) bool) {}) },
		"ScopeSeq":  func() { strategies.ScopeSeq(ctx, nil, func(context.Context, func(int) bool) {}) },
		"ScopeSeq2": func() { strategies.ScopeSeq2(ctx, nil, func(context.Context, func(int, int) bool) {}) },
	} {
		err, ok := apitest.Catch(call).(error)
		if !assert.True(t, ok, "%s with a nil store panics with an error", name) {
			continue
		}
		assert.ErrorIs(t, err, strategies.ErrNilStore, name)
		assert.Equal(t, "strategies."+name+": nil store", err.Error(), "the message names the helper")
	}
}
