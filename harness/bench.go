package harness

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/localbench/localbench/strategies"
)

// Workload names. Each Bench function prints a benchfmt configuration line
// "workload: NAME" before its results, so that benchstat (whose tables are
// split by configuration) prints one table per workload, and a contestant
// that cannot do a workload is simply absent from its table.
const (
	WorkloadGet           = "get"
	WorkloadGetMiss       = "get-miss"
	WorkloadSet           = "set"
	WorkloadDelete        = "delete"
	WorkloadScope         = "scope"
	WorkloadDepth         = "depth"
	WorkloadBindings      = "bindings"
	WorkloadParallelGet   = "parallel-get"
	WorkloadParallelMixed = "parallel-mixed"
	WorkloadLive          = "live"
	WorkloadSpawn         = "spawn"
	WorkloadWrap          = "wrap"
	WorkloadMemory        = "memory"
	WorkloadLeak          = "leak"
)

// workloadConfigKey is the benchfmt configuration key Bench functions print.
const workloadConfigKey = "workload"

// workload is one benchmark body, written once for stores and once for raw
// contestants, over a list of rows (the name segments after strategy=).
type workload struct {
	name string
	// rows are the sub-benchmark name segments after strategy=, as in
	// "depth=64"; nil means a single row with no further segment.
	rows []string
	// needs reports whether a raw contestant has the operations the raw
	// body uses beyond Bind and Get; nil means none.
	needs func(*Raw) bool
	store func(b *testing.B, s strategies.Store, row int)
	raw   func(b *testing.B, r *Raw, row int)
	// setupStore and setupRaw, if set (both or neither), prepare a new
	// store or raw contestant for a row before the first run of its
	// sub-benchmark; every run of that sub-benchmark (-count) then uses
	// the same one, and the returned teardown runs after the last. They
	// are for fixtures too slow to build for every run (live's parked
	// goroutines).
	setupStore func(s strategies.Store, row int) (teardown func())
	setupRaw   func(r *Raw, row int) (teardown func())
}

// run prints the workload's configuration line and runs every row for every
// contestant that supports the workload, as the sub-benchmark
// "strategy=NAME/ROW". Each run gets a fresh store or raw contestant, except
// in a workload with a setup, whose runs of one sub-benchmark share one.
func (w *workload) run(b *testing.B, cs []Contestant) {
	fmt.Fprintf(os.Stdout, "%s: %s\n", workloadConfigKey, w.name)
	rows := w.rows
	if len(rows) == 0 {
		rows = []string{""}
	}
	for _, c := range cs {
		if !w.supports(c) {
			continue
		}
		for i, row := range rows {
			name := "strategy=" + c.Name
			if row != "" {
				name += "/" + row
			}
			var shared *instance // made by the first run, if w has a setup
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				in := shared
				if in == nil {
					in = w.newInstance(c, i)
					if w.setupStore == nil {
						defer in.close()
					} else {
						shared = in
					}
				}
				if in.store != nil {
					w.store(b, in.store, i)
				} else {
					w.raw(b, in.raw, i)
				}
			})
			if shared != nil {
				shared.close()
			}
		}
	}
}

// instance is one store or raw contestant made for a benchmark, with what
// the workload's setup made for it.
type instance struct {
	store    strategies.Store
	raw      *Raw
	teardown func()
}

// newInstance makes a store or raw contestant of c and runs w's setup for
// row on it.
func (w *workload) newInstance(c Contestant, row int) *instance {
	in := &instance{teardown: func() {}}
	if c.New != nil {
		in.store = c.New()
		if w.setupStore != nil {
			in.teardown = w.setupStore(in.store, row)
		}
	} else {
		in.raw = c.Raw()
		if w.setupRaw != nil {
			in.teardown = w.setupRaw(in.raw, row)
		}
	}
	return in
}

// close tears down what the setup made and closes the store or raw
// contestant.
func (in *instance) close() {
	in.teardown()
	if in.store != nil {
		closeStore(in.store)
	} else if in.raw.Close != nil {
		in.raw.Close()
	}
}

// supports reports whether c can run w: a store runs every workload, a raw
// contestant those whose operations it has and that it does not skip.
func (w *workload) supports(c Contestant) bool {
	if c.New != nil {
		return true
	}
	if c.Raw == nil {
		return false
	}
	r := c.Raw()
	if r.Close != nil {
		defer r.Close()
	}
	return r.Bind != nil && r.Get != nil &&
		(w.needs == nil || w.needs(r)) &&
		!slices.Contains(r.Skip, w.name)
}

// benchCtx is the context every workload starts from.
var benchCtx = context.Background()

// bindStore binds the first len(vals) workload keys to vals and returns the
// context to continue with. Call it inside a Scope.
func bindStore(s strategies.Store, ctx context.Context, vals []any) context.Context {
	keys := workloadKeys()
	for i, v := range vals {
		ctx = s.Set(ctx, keys[i], v)
	}
	return ctx
}

// descend calls fn(x) with n frames of its own between its caller and fn,
// for n >= 1. It is not inlined, so each level is a real frame: what a
// stack-walking strategy pays for.
//
//go:noinline
func descend[T any](n int, x T, fn func(T)) {
	if n > 1 {
		descend(n-1, x, fn)
		return
	}
	fn(x)
}

// failGet fails b: a Get returned got, ok where it should have returned
// want, true. Bodies compare inline and call it only on a mismatch.
func failGet(b *testing.B, got any, ok bool, want any) {
	b.Helper()
	b.Fatalf("Get = %v, %t; want %v, true", got, ok, want)
}

// failMiss fails b: a Get of an unbound key returned got, true.
func failMiss(b *testing.B, got any) {
	b.Helper()
	b.Fatalf("Get of an unbound key = %v, true; want nil, false", got)
}
