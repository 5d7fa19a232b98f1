//lint:file-ignore U1000 the generic bodies (and their constraints) run through their per-contestant copies, which go generate writes with cmd benchgen

package harness

//go:generate go run ./benchgen/cmd/benchgen -src . -o bench_gen.go storeOps paramFloor goidFloor minimalFloor withValueFloor mutexMapFloor rawGlsFloor

import (
	"context"

	"github.com/localbench/localbench/strategies"
)

// The constraints below are what the workload bodies ask of a contestant.
// Each body is a generic function over a contestant type R, its carrier
// type C (what code below a scope reads the bindings through: a context, the
// values themselves, or nothing) and its key type K (how it names a key: a
// *strategies.Key, a position, a ThreadLocal); it is written once, and cmd
// benchgen writes one copy per contestant type with R, C and K filled in, so
// that every operation is a static call the compiler may inline. A
// contestant type has a copy of every body whose constraint its methods
// satisfy.

// readOps are the operations every contestant has.
type readOps[C, K any] interface {
	// Key returns how the contestant names the workload key at position i
	// (0 to benchkit.MissKey). Bodies call it before their loops.
	Key(i int) K
	// Enter runs fn inside a scope of the contestant in which vals are to
	// be bound to the keys at positions 0 to len(vals)-1; the bindings end
	// when fn returns. fn's first act is c = Bound(c, vals).
	Enter(ctx context.Context, vals []any, fn func(C))
	// Bound binds vals inside the scope Enter opened and returns the
	// carrier to continue with: a Store binds here, with Set; a raw
	// contestant binds its own way in Enter and returns c. (A Store cannot
	// bind in Enter without a closure around fn made on every Enter, which
	// the scope workload would count.)
	Bound(c C, vals []any) C
	// Get returns the value bound to k as seen through c, and whether it
	// is bound.
	Get(c C, k K) (any, bool)
}

// setOps adds Set: bind k to v (overwriting inside Enter) and return the
// carrier to continue with.
type setOps[C, K any] interface {
	readOps[C, K]
	Set(c C, k K, v any) C
}

// deleteOps adds Delete: unbind k and return the carrier to continue with.
type deleteOps[C, K any] interface {
	setOps[C, K]
	Delete(c C, k K) C
}

// leakOps adds Unscoped: run fn with the carrier of code outside any scope
// (in a scope for a Store that needs one to Set), so that its Sets have
// nothing to undo them.
type leakOps[C, K any] interface {
	setOps[C, K]
	Unscoped(ctx context.Context, fn func(C))
}

// goOps adds Go: run fn on a new goroutine that starts with c's bindings.
type goOps[C, K any] interface {
	readOps[C, K]
	Go(c C, fn func(C))
}

// wrapOps adds Wrap: return a func that runs fn with c's bindings on
// whatever goroutine calls it.
type wrapOps[C, K any] interface {
	readOps[C, K]
	Wrap(c C, fn func(C)) func()
}

// storeOps is how the bodies run any strategies.Store: through the
// interface, as a program holding a Store calls it. Its methods are small
// and inline into the bodies' copies, so each operation is one interface
// method call.
type storeOps struct {
	s    strategies.Store
	keys []*strategies.Key // WorkloadKeys
}

func newStoreOps(s strategies.Store) *storeOps {
	return &storeOps{s: s, keys: workloadKeys()}
}

func (o *storeOps) Key(i int) *strategies.Key { return o.keys[i] }

func (o *storeOps) Enter(ctx context.Context, _ []any, fn func(context.Context)) {
	o.s.Scope(ctx, fn)
}

func (o *storeOps) Bound(ctx context.Context, vals []any) context.Context {
	for i, v := range vals {
		ctx = o.s.Set(ctx, o.keys[i], v)
	}
	return ctx
}

func (o *storeOps) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	return o.s.Get(ctx, k)
}

func (o *storeOps) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	return o.s.Set(ctx, k, v)
}

func (o *storeOps) Delete(ctx context.Context, k *strategies.Key) context.Context {
	return o.s.Delete(ctx, k)
}

func (o *storeOps) Unscoped(ctx context.Context, fn func(context.Context)) {
	if o.s.Info().NeedsScope {
		o.s.Scope(ctx, fn)
		return
	}
	fn(ctx)
}

func (o *storeOps) Go(ctx context.Context, fn func(context.Context)) {
	strategies.Go(ctx, o.s, fn)
}

func (o *storeOps) Wrap(ctx context.Context, fn func(context.Context)) func() {
	return o.s.Wrap(ctx, fn)
}

func (o *storeOps) Close() { closeStore(o.s) }
