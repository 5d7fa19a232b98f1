package strategies

import "context"

// Info describes a strategy's behaviour. The conformance suite in package
// harness checks every field against what the strategy really does.
type Info struct {
	// Name is the short name used in benchmark names, as in "mapid".
	Name string

	// Implicit reports whether Get finds a binding from any context on the
	// goroutine that made it, context.Background() included. When false, a
	// binding is found only through the context returned by Set (ctxvalue).
	Implicit bool

	// NeedsScope reports whether Set and Delete are valid only inside Scope or
	// a Wrap'd or Go'd function. Outside one they panic with ErrNoScope.
	NeedsScope bool

	// Leaks reports whether a goroutine that Sets a value outside any scope
	// and then exits (started with a plain go statement, without calling
	// Release) leaves its entry in the store. Go has no goroutine-exit hook,
	// so stores keyed by goroutine id do; see Releaser.
	Leaks bool
}

// Store carries values that follow a request or a goroutine. Every method is
// safe for concurrent use by any number of goroutines. Methods given a nil
// *Key panic with an error wrapping ErrNilKey; Scope and Wrap given a nil
// func panic at the call with an error wrapping ErrNilFunc.
//
// Code should always continue with the context a method returns
// (ctx = s.Set(ctx, k, v)) and pass it to callees: explicit strategies carry
// the bindings in it, implicit ones return the context they were given.
type Store interface {
	// Info describes the strategy.
	Info() Info

	// Get returns the value bound to k, and whether k is bound. A key bound
	// to nil is bound: Get returns (nil, true).
	Get(ctx context.Context, k *Key) (any, bool)

	// Set binds k to v and returns the context to continue with.
	Set(ctx context.Context, k *Key, v any) context.Context

	// Delete unbinds k, hiding a binding of an enclosing scope, and returns
	// the context to continue with.
	Delete(ctx context.Context, k *Key) context.Context

	// Scope runs fn in a nested scope: fn sees every binding made before it,
	// and every Set and Delete made inside is undone when fn returns, panics
	// or calls runtime.Goexit.
	Scope(ctx context.Context, fn func(context.Context))

	// Wrap captures the current bindings now and returns a func that runs fn
	// with exactly those bindings on whatever goroutine calls it (a pool
	// worker, a new goroutine), restoring that goroutine's own bindings
	// afterwards. The returned func may be called any number of times, from
	// any goroutines; each call starts from the captured bindings.
	Wrap(ctx context.Context, fn func(context.Context)) func()

	// Snapshot returns a copy of every binding visible here. Changing the
	// map changes nothing in the store.
	Snapshot(ctx context.Context) map[*Key]any
}

// Releaser is implemented by stores that keep per-goroutine state outside
// any scope. Release forgets every binding of the calling goroutine. Call it
// (usually deferred) at the end of a goroutine started with a plain go
// statement that Set values, and when a pool worker finishes a task.
type Releaser interface {
	Release(ctx context.Context)
}

// Counter is implemented by stores that can tell how many goroutines (or
// frames) hold bindings now. Leak tests use it.
type Counter interface {
	Live() int
}

// Spawner is implemented by stores that can start a goroutine with a copy of
// the caller's bindings more cheaply than go s.Wrap(ctx, fn)(), with the same
// result: the copy is taken now on the calling goroutine, fn runs on a new
// goroutine with exactly those bindings, and nothing is left in the store for
// that goroutine once fn returns, panics or calls runtime.Goexit. Go uses it.
//
// A new goroutine has no bindings of its own to restore afterwards and runs
// fn once, so a store keyed by goroutine id can hand it the copy itself
// instead of a copy of the copy, and skip looking up its previous state.
type Spawner interface {
	Go(ctx context.Context, fn func(context.Context))
}

// Go runs fn on a new goroutine that starts with a copy of the caller's
// bindings, taken now on the calling goroutine; the copy is released when fn
// ends. It is go s.Wrap(ctx, fn)(), or s.Go(ctx, fn) where s is a Spawner.
// A nil s or fn panics here, with an error wrapping ErrNilStore or
// ErrNilFunc.
func Go(ctx context.Context, s Store, fn func(context.Context)) {
	if s == nil || fn == nil {
		badArgs(s, "Go")
	}
	if sp, ok := s.(Spawner); ok {
		sp.Go(ctx, fn)
		return
	}
	go s.Wrap(ctx, fn)()
}
