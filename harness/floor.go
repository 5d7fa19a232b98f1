package harness

import (
	"context"
	"sync"

	"github.com/jtolds/gls"
	"github.com/petermattis/goid"
)

// Floors returns the floors: what a program would pay without any store, to
// read each store's figures against. Each is a raw contestant and runs only
// the workloads it can do:
//
//   - param: the values are plain function arguments (a Carrier holding
//     them); the physical floor for handing a value to code. Spawn is a
//     plain go statement handed the values; wrap is a closure over them.
//   - goid: goid.Get alone (and then reading the argument), the cost every
//     goroutine-id keyed store pays first.
//   - withvalue: a raw chain of context.WithValue, one layer per binding;
//     Delete is a layer binding the key to nil.
//   - mutexmap: one sync.Mutex around one map keyed by goroutine id and key
//     position; Bind deletes its keys again when it returns.
//   - rawgls: jtolds/gls used directly, SetValues around the scope and
//     GetValue to read. It cannot Set without a new call around the rest of
//     the code, and its gls.Go hands the child the parent's live map, so it
//     runs the read workloads, scope, live and memory only.
func Floors() []Contestant {
	return []Contestant{
		{Name: "param", Raw: floorParam},
		{Name: "goid", Raw: floorGoid},
		{Name: "withvalue", Raw: floorWithValue},
		{Name: "mutexmap", Raw: floorMutexMap},
		{Name: "rawgls", Raw: floorRawGls},
	}
}

// floorGetArg reads position i of the values handed down as arguments.
func floorGetArg(c Carrier, i int) (any, bool) {
	if i < len(c.Vals) {
		return c.Vals[i], true
	}
	return nil, false
}

func floorPassArgs(ctx context.Context, vals []any, fn func(Carrier)) {
	fn(Carrier{Ctx: ctx, Vals: vals})
}

func floorGo(c Carrier, fn func(Carrier)) { go fn(c) }

func floorWrap(c Carrier, fn func(Carrier)) func() { return func() { fn(c) } }

func floorParam() *Raw {
	return &Raw{
		Bind: floorPassArgs,
		Get:  floorGetArg,
		Go:   floorGo,
		Wrap: floorWrap,
		// Arguments are no shared state: the number of other goroutines
		// cannot matter.
		Skip: []string{WorkloadLive},
	}
}

func floorGoid() *Raw {
	return &Raw{
		Bind: floorPassArgs,
		// Get is floorGetArg with the id read added, written out: calling
		// floorGetArg here made the compiler copy c through memory around
		// the goid.Get call, which cost more than the id read itself.
		Get: func(c Carrier, i int) (any, bool) {
			// goid.Get() == 0 is never true; it uses the id without a
			// shared write.
			if goid.Get() == 0 || i >= len(c.Vals) {
				return nil, false
			}
			return c.Vals[i], true
		},
		// goid is a floor for reads only: elsewhere it would be param again.
		Skip: []string{WorkloadScope, WorkloadBindings, WorkloadLive, WorkloadMemory},
	}
}

func floorWithValue() *Raw {
	keys := WorkloadKeys()
	return &Raw{
		Bind: func(ctx context.Context, vals []any, fn func(Carrier)) {
			for i, v := range vals {
				ctx = context.WithValue(ctx, keys[i], v)
			}
			fn(Carrier{Ctx: ctx})
		},
		Get: func(c Carrier, i int) (any, bool) {
			v := c.Ctx.Value(keys[i])
			return v, v != nil
		},
		Set: func(c Carrier, i int, v any) context.Context {
			return context.WithValue(c.Ctx, keys[i], v)
		},
		Delete: func(c Carrier, i int) context.Context {
			return context.WithValue(c.Ctx, keys[i], nil)
		},
		Go:   floorGo,
		Wrap: floorWrap,
		// A context chain is no shared state.
		Skip: []string{WorkloadLive},
	}
}

// mutexMapKey names one binding of the mutexmap floor.
type mutexMapKey struct {
	g int64 // goroutine id
	i int   // key position
}

func floorMutexMap() *Raw {
	var mu sync.Mutex
	m := make(map[mutexMapKey]any)
	return &Raw{
		Bind: func(ctx context.Context, vals []any, fn func(Carrier)) {
			g := goid.Get()
			mu.Lock()
			for i, v := range vals {
				m[mutexMapKey{g, i}] = v
			}
			mu.Unlock()
			defer func() {
				mu.Lock()
				for i := range vals {
					delete(m, mutexMapKey{g, i})
				}
				mu.Unlock()
			}()
			fn(Carrier{Ctx: ctx})
		},
		Get: func(c Carrier, i int) (any, bool) {
			k := mutexMapKey{goid.Get(), i}
			mu.Lock()
			v, ok := m[k]
			mu.Unlock()
			return v, ok
		},
		Set: func(c Carrier, i int, v any) context.Context {
			k := mutexMapKey{goid.Get(), i}
			mu.Lock()
			m[k] = v
			mu.Unlock()
			return c.Ctx
		},
		Delete: func(c Carrier, i int) context.Context {
			k := mutexMapKey{goid.Get(), i}
			mu.Lock()
			delete(m, k)
			mu.Unlock()
			return c.Ctx
		},
	}
}

func floorRawGls() *Raw {
	keys := WorkloadKeys()
	cm := gls.NewContextManager()
	return &Raw{
		Bind: func(ctx context.Context, vals []any, fn func(Carrier)) {
			values := make(gls.Values, len(vals))
			for i, v := range vals {
				values[keys[i]] = v
			}
			cm.SetValues(values, func() { fn(Carrier{Ctx: ctx}) })
		},
		Get: func(c Carrier, i int) (any, bool) {
			return cm.GetValue(keys[i])
		},
		Close: cm.Unregister,
	}
}
