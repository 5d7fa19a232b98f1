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
// A Var may have a default (see WithDefault), which Get returns when the key
// is unbound. Reading never binds anything: the default is computed on each
// Get that finds the key unbound and is not stored, in every strategy, so
// that a read leaves no state behind on any goroutine and needs no scope.
//
// A *Var is safe for concurrent use; it must not be copied after first use.
// Its methods cost what the store's methods cost, plus a type assertion.
type Var[T any] struct {
	store Store
	key   *Key
	init  func() T
}

// VarOption configures a Var; see WithDefault.
type VarOption[T any] func(*Var[T])

// WithDefault makes Get return init() when the key is unbound. The result is
// not bound: init runs on every such Get, on the goroutine that calls Get,
// so it should be cheap (wrap a costly one in sync.OnceValue) and must not
// depend on running once per goroutine or scope. To compute it once per
// scope, bind it: ctx = v.Set(ctx, v.Get(ctx)).
func WithDefault[T any](init func() T) VarOption[T] {
	return func(v *Var[T]) { v.init = init }
}

// NewVar returns a Var for a new key with the given name in store s. A nil
// s panics with an error wrapping ErrNilStore.
func NewVar[T any](s Store, name string, opts ...VarOption[T]) *Var[T] {
	if s == nil {
		var zero T
		panic(fmt.Errorf("strategies.NewVar[%T]: %w", zero, ErrNilStore))
	}
	v := &Var[T]{store: s, key: NewKey(name)}
	for _, o := range opts {
		o(v)
	}
	return v
}

// Name returns the name the Var was created with (its key's name).
func (v *Var[T]) Name() string { return v.key.Name() }

// Key returns the Var's key, for use with the Store directly (Snapshot,
// Delete).
func (v *Var[T]) Key() *Key { return v.key }

// Lookup returns the bound value and true, or the zero T and false if the key
// is unbound. It never runs the default. A key bound to an untyped nil (by
// code using the Key directly) reports the zero T and true; a value of
// another type panics with an error wrapping ErrWrongType.
func (v *Var[T]) Lookup(ctx context.Context) (T, bool) {
	return v.lookup("Lookup", ctx)
}

func (v *Var[T]) lookup(method string, ctx context.Context) (T, bool) {
	x, ok := v.store.Get(ctx, v.key)
	if !ok || x == nil {
		var zero T
		return zero, ok
	}
	t, ok := x.(T)
	if !ok {
		var zero T
		panic(fmt.Errorf("strategies.Var[%T].%s: key %v holds %T: %w", zero, method, v.key, x, ErrWrongType))
	}
	return t, true
}

// Get returns the bound value. If the key is unbound it returns the default
// (see WithDefault), without binding it, or the zero T when the Var has
// none.
func (v *Var[T]) Get(ctx context.Context) T {
	t, ok := v.lookup("Get", ctx)
	if ok || v.init == nil {
		return t
	}
	return v.init()
}

// Set binds the Var to t and returns the context to continue with.
func (v *Var[T]) Set(ctx context.Context, t T) context.Context {
	return v.store.Set(ctx, v.key, t)
}

// Delete unbinds the Var and returns the context to continue with.
func (v *Var[T]) Delete(ctx context.Context) context.Context {
	return v.store.Delete(ctx, v.key)
}

// With runs fn in a new Scope of the Var's store in which the Var is bound
// to t: fn and its callees see t, and the binding, with everything else fn
// binds, is undone when fn returns, panics or calls runtime.Goexit. It is
// the Go form of Python's "with var.bind(t):". A nil fn panics at the call
// with an error wrapping ErrNilFunc.
func (v *Var[T]) With(ctx context.Context, t T, fn func(context.Context)) {
	if fn == nil {
		panic(fmt.Errorf("strategies.Var[%T].With: %w", t, ErrNilFunc))
	}
	v.store.Scope(ctx, func(ctx context.Context) {
		fn(v.store.Set(ctx, v.key, t))
	})
}
