package apitest_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/internal/apitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"
)

// TestWrapErrErrgroup runs errgroup tasks made by WrapErr: each sees the
// bindings captured where it was made, errgroup gets their errors, and the
// caller's bindings and the store are as they were.
func TestWrapErrErrgroup(t *testing.T) {
	for _, tc := range apitest.All() {
		t.Run(tc.Name, func(t *testing.T) {
			s := tc.Open(t)
			user := strategies.NewVar[string](s, "user")
			base := apitest.Live(s)
			errBob := errors.New("bob failed")
			s.Scope(context.Background(), func(ctx context.Context) {
				g, gctx := errgroup.WithContext(ctx)
				var mu sync.Mutex
				seen := map[string]bool{}
				for _, name := range []string{"ada", "bob", "cy"} {
					ctx := user.Set(ctx, name)
					g.Go(strategies.WrapErr(ctx, s, func(ctx context.Context) error {
						got := user.Get(ctx)
						mu.Lock()
						seen[got] = true
						mu.Unlock()
						user.Set(ctx, "changed by the task")
						if got == "bob" {
							return errBob
						}
						return nil
					}))
				}
				ctx = user.Set(ctx, "parent")
				assert.ErrorIs(t, g.Wait(), errBob, "errgroup gets the error the task returned")
				assert.Error(t, gctx.Err(), "a task's error cancels the group's context")
				assert.Equal(t, map[string]bool{"ada": true, "bob": true, "cy": true}, seen, "each task sees the bindings captured where WrapErr was called")
				assert.Equal(t, "parent", user.Get(ctx), "tasks change nothing of their parent's")
			})
			assert.Equal(t, base, apitest.Live(s), "tasks leave nothing behind")
		})
	}
}

// TestWrapErrEveryCall checks that each call of a WrapErr'd func, concurrent
// ones included, returns its own fn's error, and that a panic in fn reaches
// the caller, who has its own bindings back.
func TestWrapErrEveryCall(t *testing.T) {
	for _, tc := range apitest.All() {
		t.Run(tc.Name, func(t *testing.T) {
			s := tc.Open(t)
			user := strategies.NewVar[string](s, "user")
			s.Scope(context.Background(), func(ctx context.Context) {
				ctx = user.Set(ctx, "captured")
				var calls atomic.Int32
				f := strategies.WrapErr(ctx, s, func(ctx context.Context) error {
					n := calls.Add(1)
					if user.Get(ctx) != "captured" {
						return fmt.Errorf("call %d saw %q", n, user.Get(ctx))
					}
					if n%2 == 0 {
						return nil
					}
					return fmt.Errorf("call %d", n)
				})
				const n = 20
				errs := make(chan error, n)
				for range n {
					go func() { errs <- f() }()
				}
				var got []string
				for range n {
					if err := <-errs; err != nil {
						got = append(got, err.Error())
					}
				}
				sort.Strings(got)
				var want []string
				for i := 1; i <= n; i += 2 {
					want = append(want, fmt.Sprintf("call %d", i))
				}
				sort.Strings(want)
				assert.Equal(t, want, got, "each call returns its own fn's error")

				boom := errors.New("boom")
				p := strategies.WrapErr(ctx, s, func(ctx context.Context) error { panic(boom) })
				ctx = user.Set(ctx, "own")
				assert.Equal(t, boom, apitest.Catch(func() { _ = p() }), "a panic in fn reaches the caller")
				assert.Equal(t, "own", user.Get(ctx), "the caller has its own bindings back after a panic")
			})

			err, ok := apitest.Catch(func() { strategies.WrapErr(context.Background(), s, nil) }).(error)
			require.True(t, ok, "WrapErr(nil) panics with an error")
			assert.ErrorIs(t, err, strategies.ErrNilFunc)
			assert.Equal(t, tc.Name+".WrapErr: nil func", err.Error())
		})
	}
}
