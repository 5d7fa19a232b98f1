package harness

import (
	"context"
	"errors"
	"runtime"

	"github.com/localbench/localbench/strategies"
)

// The cases about Scope: what it hides, what it restores, and when.

func runDeleteHides(t T, s strategies.Store, _ func() strategies.Store) {
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, 1)
		ctx = s.Set(ctx, keyB, 2)
		s.Scope(ctx, func(ctx context.Context) {
			ctx = s.Delete(ctx, keyA)
			expectView(t, s, ctx, view{keyB: 2}, "Delete inside a scope hides the outer value")
			s.Scope(ctx, func(ctx context.Context) {
				expectUnbound(t, s, ctx, keyA, "a key deleted in an enclosing scope stays hidden in a nested one")
				ctx = s.Set(ctx, keyA, 3)
				expectGet(t, s, ctx, keyA, 3, true, "a hidden key can be bound again in a nested scope")
			})
			expectView(t, s, ctx, view{keyB: 2}, "a key deleted in a scope is hidden again when a nested scope that bound it ends")
			ctx = s.Set(ctx, keyA, 4)
			ctx = s.Delete(ctx, keyA)
			ctx = s.Delete(ctx, keyB)
			expectView(t, s, ctx, view{}, "Delete inside a scope hides every outer value it names")
		})
		expectView(t, s, ctx, view{keyA: 1, keyB: 2}, "the outer value is visible again after the scope that deleted it")
	})
}

func runNestedScopes(t T, s strategies.Store, _ func() strategies.Store) {
	const why = "Scope restores every Set and Delete made inside, at every nesting level"
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, "0a")
		ctx = s.Set(ctx, keyB, "0b")
		level0 := view{keyA: "0a", keyB: "0b"}
		s.Scope(ctx, func(ctx context.Context) {
			expectView(t, s, ctx, level0, "a scope sees every binding made before it")
			ctx = s.Set(ctx, keyA, "1a")
			ctx = s.Set(ctx, keyC, "1c")
			level1 := view{keyA: "1a", keyB: "0b", keyC: "1c"}
			s.Scope(ctx, func(ctx context.Context) {
				ctx = s.Set(ctx, keyB, "2b")
				ctx = s.Delete(ctx, keyC)
				ctx = s.Set(ctx, keyD, "2d")
				level2 := view{keyA: "1a", keyB: "2b", keyD: "2d"}
				expectView(t, s, ctx, level2, "a nested scope sees its own and its enclosing scopes' bindings")
				s.Scope(ctx, func(ctx context.Context) {
					ctx = s.Set(ctx, keyA, "3a")
					ctx = s.Set(ctx, keyB, "3b")
					ctx = s.Set(ctx, keyC, "3c")
					ctx = s.Delete(ctx, keyD)
					ctx = s.Set(ctx, keyA, "3a again")
					ctx = s.Set(ctx, keyW, nil)
					expectView(t, s, ctx, view{keyA: "3a again", keyB: "3b", keyC: "3c", keyW: nil}, "the innermost scope sees its own bindings")
				})
				expectView(t, s, ctx, level2, why+" (level 2)")
			})
			expectView(t, s, ctx, level1, why+" (level 1)")
		})
		expectView(t, s, ctx, level0, why+" (level 0)")
	})
}

func runCalleeCannotRebind(t T, s strategies.Store, _ func() strategies.Store) {
	callee := func(ctx context.Context) {
		s.Scope(ctx, func(ctx context.Context) {
			ctx = s.Set(ctx, keyA, "callee")
			ctx = s.Delete(ctx, keyB)
			ctx = s.Set(ctx, keyC, "callee")
			expectView(t, s, ctx, view{keyA: "callee", keyC: "callee"}, "a callee sees its own Sets and Deletes")
		})
	}
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, 1)
		ctx = s.Set(ctx, keyB, 2)
		callee(ctx)
		expectView(t, s, ctx, view{keyA: 1, keyB: 2}, "a callee that works in its own Scope cannot rebind or unbind its caller's values")
		callee(ctx)
		expectView(t, s, ctx, view{keyA: 1, keyB: 2}, "a callee called again cannot rebind or unbind its caller's values")
	})
}

// errScopePanic is what the scope-panic case panics with.
var errScopePanic = errors.New("harness: a panic inside Scope")

func runScopePanic(t T, s strategies.Store, _ func() strategies.Store) {
	const reached = "a panic inside Scope reaches the caller of Scope unchanged"
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, 1)
		ctx = s.Set(ctx, keyB, 2)
		v := catch(func() {
			s.Scope(ctx, func(ctx context.Context) {
				ctx = s.Set(ctx, keyA, 10)
				ctx = s.Delete(ctx, keyB)
				ctx = s.Set(ctx, keyC, 3)
				s.Scope(ctx, func(ctx context.Context) {
					ctx = s.Set(ctx, keyA, 100)
					s.Set(ctx, keyD, 4)
					panic(errScopePanic)
				})
			})
		})
		if v != errScopePanic {
			t.Errorf("recovered %v; want %v: %s", v, errScopePanic, reached)
		}
		expectView(t, s, ctx, view{keyA: 1, keyB: 2}, "a panic through two scopes restores every Set and Delete made in both")

		s.Scope(ctx, func(ctx context.Context) {
			ctx = s.Set(ctx, keyA, 10)
			v := catch(func() {
				s.Scope(ctx, func(ctx context.Context) {
					ctx = s.Set(ctx, keyA, 100)
					s.Delete(ctx, keyB)
					panic(errScopePanic)
				})
			})
			if v != errScopePanic {
				t.Errorf("recovered %v; want %v: %s", v, errScopePanic, reached)
			}
			expectView(t, s, ctx, view{keyA: 10, keyB: 2}, "a panic recovered between two scopes restores the inner scope and leaves the outer one as it was")
		})
		expectView(t, s, ctx, view{keyA: 1, keyB: 2}, "the outer scope restores after a panic inside it was recovered")
	})

	// The outermost scope of a goroutine, ended by a panic.
	counter, isCounter := s.(strategies.Counter)
	implicit := s.Info().Implicit
	base := 0
	if isCounter {
		base = counter.Live()
	}
	done := spawn(t, func() {
		v := catch(func() {
			inScope(s, func(ctx context.Context) {
				s.Set(ctx, keyA, 1)
				panic(errScopePanic)
			})
		})
		if v != errScopePanic {
			t.Errorf("recovered %v; want %v: %s", v, errScopePanic, reached)
		}
		if implicit {
			expectUnbound(t, s, context.Background(), keyA, "a panic out of a goroutine's outermost scope leaves nothing bound")
		}
		if isCounter {
			if got := counter.Live(); got != base {
				t.Errorf("Live() = %d after a panic ended the goroutine's only scope; want %d: a Scope ended by a panic leaves nothing behind", got, base)
			}
		}
	})
	await(t, done, "the end of the goroutine whose scope panicked")
}

func runScopeGoexit(t T, s strategies.Store, _ func() strategies.Store) {
	counter, isCounter := s.(strategies.Counter)
	implicit := s.Info().Implicit
	base := 0
	if isCounter {
		base = counter.Live()
	}
	observed := make(chan struct{}, 2)
	done := spawn(t, func() {
		defer func() {
			// Runs after the outermost scope was unwound by Goexit.
			if implicit {
				expectUnbound(t, s, context.Background(), keyA, "runtime.Goexit out of a goroutine's outermost Scope leaves nothing bound")
			}
			if isCounter {
				if got := counter.Live(); got != base {
					t.Errorf("Live() = %d after runtime.Goexit ended the goroutine's only scope; want %d: a Scope ended by runtime.Goexit leaves nothing behind", got, base)
				}
			}
			observed <- struct{}{}
		}()
		inScope(s, func(ctx context.Context) {
			ctx = s.Set(ctx, keyA, 1)
			ctx = s.Set(ctx, keyB, 2)
			defer func() {
				// Runs after the inner scope was unwound by Goexit.
				expectView(t, s, ctx, view{keyA: 1, keyB: 2}, "a Scope ended by runtime.Goexit restores every Set and Delete made inside")
				if implicit {
					expectView(t, s, context.Background(), view{keyA: 1, keyB: 2}, "a Scope ended by runtime.Goexit restores every Set and Delete made inside (seen from context.Background())")
				}
				observed <- struct{}{}
			}()
			s.Scope(ctx, func(ctx context.Context) {
				ctx = s.Set(ctx, keyA, 10)
				ctx = s.Delete(ctx, keyB)
				s.Set(ctx, keyC, 3)
				runtime.Goexit()
			})
			t.Errorf("Scope returned after runtime.Goexit inside it; want the goroutine to end: a Scope must not stop runtime.Goexit")
		})
	})
	if !await(t, done, "the end of the goroutine that called runtime.Goexit") {
		return
	}
	for range 2 {
		if !await(t, observed, "a deferred observation after runtime.Goexit") {
			return
		}
	}
}
