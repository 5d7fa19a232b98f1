package strategies

import (
	"context"
	"fmt"
)

// Var is a typed accessor for one key in one store, so that callers never
// write type assertions. Create Vars once, usually as package variables:
//
//	var tenant = strategies.NewVar[string](store, "tenant")
//
// A Var may have a per-goroutine default (see WithDefault), computed the first
// time Get finds the key unbound and then bound like Set binds, the way
// gevent's local subclasses run __init__ once per greenlet.
//
// A *Var is safe for concurrent use; it must not be copied after first use
// (copies would share the key, which is harmless, but not the default).
type Var[T any] struct {
	store Store
	key   *Key
	init  func() T
}

// VarOption configures a Var; see WithDefault.
type VarOption[T any] func(*Var[T])

// WithDefault makes Get compute init() when the key is unbound and bind the
// result, as Set would. With an implicit store the binding lasts for the rest
// of the enclosing scope or goroutine, so init runs once per goroutine (per
// scope); with ctxvalue the binding cannot reach the caller's context, so init
// runs on every Get of an unbound key. Binding has Set's requirements: with a
// store whose Info().NeedsScope is true, Get outside a scope panics with
// ErrNoScope.
func WithDefault[T any](init func() T) VarOption[T] {
	return func(v *Var[T]) { v.init = init }
}

// NewVar returns a Var for a new key with the given name in store s.
func NewVar[T any](s Store, name string, opts ...VarOption[T]) *Var[T] {
	v := &Var[T]{store: s, key: NewKey(name)}
	for _, o := range opts {
		o(v)
	}
	return v
}

// Key returns the Var's key, for use with the Store directly (Snapshot,
// Delete).
func (v *Var[T]) Key() *Key { return v.key }

// Lookup returns the bound value and true, or the zero T and false if the key
// is unbound. It never runs the default. A key bound to an untyped nil (by
// code using the Key directly) reports the zero T and true; a value of
// another type panics with an error wrapping ErrWrongType.
func (v *Var[T]) Lookup(ctx context.Context) (T, bool) {
	x, ok := v.store.Get(ctx, v.key)
	if !ok || x == nil {
		var zero T
		return zero, ok
	}
	t, ok := x.(T)
	if !ok {
		var zero T
		panic(fmt.Errorf("strategies.Var[%T].Get: key %v holds %T: %w", zero, v.key, x, ErrWrongType))
	}
	return t, true
}

// Get returns the bound value. If the key is unbound it returns the default
// (see WithDefault), binding it, or the zero T when the Var has none.
func (v *Var[T]) Get(ctx context.Context) T {
	t, ok := v.Lookup(ctx)
	if ok || v.init == nil {
		return t
	}
	t = v.init()
	v.store.Set(ctx, v.key, t)
	return t
}

// Set binds the Var to t and returns the context to continue with.
func (v *Var[T]) Set(ctx context.Context, t T) context.Context {
	return v.store.Set(ctx, v.key, t)
}

// Delete unbinds the Var and returns the context to continue with.
func (v *Var[T]) Delete(ctx context.Context) context.Context {
	return v.store.Delete(ctx, v.key)
}
