package harness

import (
	"context"
	"sync"

	"github.com/jtolds/gls"
	"github.com/localbench/localbench/harness/benchkit"
	"github.com/localbench/localbench/strategies"
	"github.com/petermattis/goid"
)

// Floors returns the floors: what a program would pay without any store, to
// read each store's figures against. Each is a raw contestant and runs only
// the workloads it can do:
//
//   - param: the values are plain function arguments; the physical floor
//     for handing a value to code. Spawn is a plain go statement handed the
//     values; wrap is a closure over them.
//   - goid: goid.Get alone (and then reading the argument), the cost every
//     goroutine-id keyed store pays first.
//   - minimal: the least a goroutine-id keyed store can do: goid.Get, one
//     atomic load of a table pointer and one open-addressing probe (see
//     minimalFloor). It runs the read and write workloads.
//   - withvalue: a raw chain of context.WithValue, one layer per binding;
//     Delete is a layer binding the key to nil.
//   - mutexmap: one sync.Mutex around one map keyed by goroutine id and key
//     position; Enter deletes its keys again when it returns.
//   - rawgls: jtolds/gls used directly, SetValues around the scope and
//     GetValue to read. It cannot Set without a new call around the rest of
//     the code, and its gls.Go hands the child the parent's live map, so it
//     runs the read workloads, scope, live and memory only.
func Floors() []Contestant {
	return []Contestant{
		{Name: "param", Raw: func() Raw { return paramFloor{} },
			// Arguments are no shared state: the number of other
			// goroutines cannot matter.
			Skip: []string{WorkloadLive}},
		{Name: "goid", Raw: func() Raw { return goidFloor{} },
			// goid is a floor for reads only: elsewhere it would be
			// param again.
			Skip: []string{WorkloadScope, WorkloadBindings, WorkloadLive, WorkloadMemory}},
		{Name: "minimal", Raw: func() Raw { return newMinimalFloor() },
			// Its Enter is no one's floor (it allocates the goroutine's
			// values); it is a floor for what happens inside a scope.
			Skip: []string{WorkloadScope, WorkloadMemory}},
		{Name: "withvalue", Raw: func() Raw { return withValueFloor{keys: workloadKeys()} },
			// A context chain is no shared state.
			Skip: []string{WorkloadLive}},
		{Name: "mutexmap", Raw: func() Raw { return &mutexMapFloor{m: make(map[mutexMapKey]any)} }},
		{Name: "rawgls", Raw: func() Raw {
			return rawGlsFloor{cm: gls.NewContextManager(), keys: workloadKeys()}
		}},
	}
}

// paramFloor hands the values down as a function argument: the carrier is
// the values, and a key is a position in them.
type paramFloor struct{}

func (paramFloor) Key(i int) int { return i }

func (paramFloor) Enter(_ context.Context, vals []any, fn func([]any)) { fn(vals) }

func (paramFloor) Bound(vals, _ []any) []any { return vals }

func (paramFloor) Get(vals []any, k int) (any, bool) {
	if k < len(vals) {
		return vals[k], true
	}
	return nil, false
}

func (paramFloor) Go(vals []any, fn func([]any)) { go fn(vals) }

func (paramFloor) Wrap(vals []any, fn func([]any)) func() { return func() { fn(vals) } }

func (paramFloor) Close() {}

// goidFloor is paramFloor with a goid.Get in every Get. Its carrier holds
// the values in an array as long as the key positions (nil where unbound)
// and the last id read: a Get stores the id there and makes one load, with
// no branch and no bounds check. (A branch in it, a miss path or a test of
// the id, made the compiler merge the two paths' results in the loop, which
// cost more than the id read itself.)
type goidFloor struct{}

// goidCarrier is goidFloor's carrier: the values by key position, and the
// id the last Get read (written so that the read is not dead code; the
// carrier is the goroutine's own, so the write is not shared).
type goidCarrier struct {
	vals [benchkit.MissKey + 1]any
	id   int64
}

func (goidFloor) Key(i int) int { return i }

func (goidFloor) Enter(_ context.Context, vals []any, fn func(*goidCarrier)) {
	var c goidCarrier
	copy(c.vals[:], vals)
	fn(&c)
}

func (goidFloor) Bound(c *goidCarrier, _ []any) *goidCarrier { return c }

// Get returns the value at position k. Nothing is ever bound to nil, so
// nil is unbound.
func (goidFloor) Get(c *goidCarrier, k int) (any, bool) {
	c.id = goid.Get()
	v := c.vals[k]
	return v, v != nil
}

func (goidFloor) Close() {}

// withValueFloor is a raw chain of context.WithValue keyed by the workload
// keys themselves.
type withValueFloor struct {
	keys []*strategies.Key
}

func (f withValueFloor) Key(i int) *strategies.Key { return f.keys[i] }

func (f withValueFloor) Enter(ctx context.Context, vals []any, fn func(context.Context)) {
	for i, v := range vals {
		ctx = context.WithValue(ctx, f.keys[i], v)
	}
	fn(ctx)
}

func (withValueFloor) Bound(ctx context.Context, _ []any) context.Context { return ctx }

func (withValueFloor) Get(ctx context.Context, k *strategies.Key) (any, bool) {
	v := ctx.Value(k)
	return v, v != nil
}

func (withValueFloor) Set(ctx context.Context, k *strategies.Key, v any) context.Context {
	return context.WithValue(ctx, k, v)
}

func (withValueFloor) Delete(ctx context.Context, k *strategies.Key) context.Context {
	return context.WithValue(ctx, k, nil)
}

func (withValueFloor) Unscoped(ctx context.Context, fn func(context.Context)) { fn(ctx) }

func (withValueFloor) Go(ctx context.Context, fn func(context.Context)) { go fn(ctx) }

func (withValueFloor) Wrap(ctx context.Context, fn func(context.Context)) func() {
	return func() { fn(ctx) }
}

func (withValueFloor) Close() {}

// mutexMapKey names one binding of the mutexmap floor.
type mutexMapKey struct {
	g int64 // goroutine id
	i int   // key position
}

// mutexMapFloor is one mutex around one map keyed by goroutine id and key
// position. Its carrier is empty: it finds the bindings by goroutine id.
type mutexMapFloor struct {
	mu sync.Mutex
	m  map[mutexMapKey]any
}

func (*mutexMapFloor) Key(i int) int { return i }

func (f *mutexMapFloor) Enter(_ context.Context, vals []any, fn func(struct{})) {
	g := goid.Get()
	f.mu.Lock()
	for i, v := range vals {
		f.m[mutexMapKey{g, i}] = v
	}
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		for i := range vals {
			delete(f.m, mutexMapKey{g, i})
		}
		f.mu.Unlock()
	}()
	fn(struct{}{})
}

func (*mutexMapFloor) Bound(c struct{}, _ []any) struct{} { return c }

func (f *mutexMapFloor) Get(_ struct{}, k int) (any, bool) {
	mk := mutexMapKey{goid.Get(), k}
	f.mu.Lock()
	v, ok := f.m[mk]
	f.mu.Unlock()
	return v, ok
}

func (f *mutexMapFloor) Set(c struct{}, k int, v any) struct{} {
	mk := mutexMapKey{goid.Get(), k}
	f.mu.Lock()
	f.m[mk] = v
	f.mu.Unlock()
	return c
}

func (f *mutexMapFloor) Delete(c struct{}, k int) struct{} {
	mk := mutexMapKey{goid.Get(), k}
	f.mu.Lock()
	delete(f.m, mk)
	f.mu.Unlock()
	return c
}

func (*mutexMapFloor) Unscoped(_ context.Context, fn func(struct{})) { fn(struct{}{}) }

func (*mutexMapFloor) Close() {}

// rawGlsFloor is jtolds/gls called directly: one ContextManager, values
// keyed by the workload keys.
type rawGlsFloor struct {
	cm   *gls.ContextManager
	keys []*strategies.Key
}

func (f rawGlsFloor) Key(i int) *strategies.Key { return f.keys[i] }

func (f rawGlsFloor) Enter(_ context.Context, vals []any, fn func(struct{})) {
	values := make(gls.Values, len(vals))
	for i, v := range vals {
		values[f.keys[i]] = v
	}
	f.cm.SetValues(values, func() { fn(struct{}{}) })
}

func (rawGlsFloor) Bound(c struct{}, _ []any) struct{} { return c }

func (f rawGlsFloor) Get(_ struct{}, k *strategies.Key) (any, bool) {
	return f.cm.GetValue(k)
}

func (f rawGlsFloor) Close() { f.cm.Unregister() }
