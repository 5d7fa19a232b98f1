// Package peers measures the libraries a Go programmer would otherwise pick
// for goroutine-local or request-scoped values, on the same workloads as
// localbench's strategies (package harness), so that one benchmark binary
// puts them side by side. It is a module of its own, so that localbench's
// users never download these libraries.
//
// The peers are github.com/timandy/routine, twice (behind a Store adapter,
// routinestore, and called directly, rawroutine), and a sync.Map keyed by
// goroutine id (syncmapstore). The benchmarks in this module's
// bench_test.go run localbench's strategies, the floors and the peers
// together; they are what results/run.sh records. rawroutine's copies of
// the harness's workload bodies, specialized for its type so that its calls
// are static (see package harness), are in bench_gen.go, which go generate
// writes; TestBodiesUpToDate fails if it is stale.
package peers

//go:generate go run github.com/localbench/localbench/harness/benchgen/cmd/benchgen -src ../harness -o bench_gen.go rawRoutine

import (
	"context"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/peers/routinestore"
	"github.com/localbench/localbench/peers/syncmapstore"
	"github.com/localbench/localbench/strategies"
	"github.com/timandy/routine"
)

// Contestants returns the peers as benchmark contestants: routine (the
// Store adapter), rawroutine (routine's ThreadLocal used directly, one per
// key, no adapter) and syncmap.
func Contestants() []harness.Contestant {
	return []harness.Contestant{
		{Name: "routine", New: func() strategies.Store { return routinestore.New() }},
		{Name: "rawroutine", Raw: RawRoutine},
		{Name: "syncmap", New: func() strategies.Store { return syncmapstore.New() }},
	}
}

// rawThreadLocals are rawroutine's variables, one per workload key
// position, created once as routine intends (package variables): routine
// numbers ThreadLocals globally and sizes each goroutine's table by the
// largest number in use.
var rawThreadLocals = func() []routine.ThreadLocal[any] {
	tls := make([]routine.ThreadLocal[any], len(harness.WorkloadKeys()))
	for i := range tls {
		tls[i] = routine.NewInheritableThreadLocal[any]()
	}
	return tls
}()

// RawRoutine returns routine used directly, the way its documentation
// shows: an InheritableThreadLocal per value, Set and Get on it, Remove at
// the end, routine.Go to start a goroutine and routine.WrapTask for a pool.
// Enter sets the values and removes them when its func returns.
func RawRoutine() harness.Raw { return rawRoutine{} }

// rawRoutine is routine used directly. A key is its ThreadLocal; the
// carrier is empty, since routine finds a goroutine's values itself.
type rawRoutine struct{}

func (rawRoutine) Key(i int) routine.ThreadLocal[any] { return rawThreadLocals[i] }

func (rawRoutine) Enter(_ context.Context, vals []any, fn func(struct{})) {
	for i, v := range vals {
		rawThreadLocals[i].Set(v)
	}
	defer func() {
		for i := range vals {
			rawThreadLocals[i].Remove()
		}
	}()
	fn(struct{}{})
}

func (rawRoutine) Bound(c struct{}, _ []any) struct{} { return c }

func (rawRoutine) Get(_ struct{}, k routine.ThreadLocal[any]) (any, bool) {
	v := k.Get()
	return v, v != nil
}

func (rawRoutine) Set(c struct{}, k routine.ThreadLocal[any], v any) struct{} {
	k.Set(v)
	return c
}

func (rawRoutine) Delete(c struct{}, k routine.ThreadLocal[any]) struct{} {
	k.Remove()
	return c
}

func (rawRoutine) Unscoped(_ context.Context, fn func(struct{})) { fn(struct{}{}) }

func (rawRoutine) Go(c struct{}, fn func(struct{})) {
	routine.Go(func() { fn(c) })
}

func (rawRoutine) Wrap(c struct{}, fn func(struct{})) func() {
	return routine.WrapTask(func() { fn(c) }).Run
}

func (rawRoutine) Close() {}
