package harness

import (
	"fmt"
	"os"
	"slices"
	"testing"
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

func printWorkload(name string) {
	fmt.Fprintf(os.Stdout, "%s: %s\n", workloadConfigKey, name)
}

// Raw is a raw contestant: a floor (the least a program could pay for the
// same effect) or a library called directly, without a Store adapter. Its
// Bodies are the workload bodies of package harness copied for its own type
// by cmd benchgen (see the package doc), so that its operations are static
// calls, inlined where the compiler can, and a figure is the contestant's
// own.
//
// The type's methods say which workloads it can run: every one has
//
//	Key(i int) K
//	Enter(ctx context.Context, vals []any, fn func(C))
//	Bound(c C, vals []any) C
//	Get(c C, k K) (any, bool)
//
// for its own carrier type C (what code below a scope reads the bindings
// through) and key type K, and Set, Delete, Unscoped, Go and Wrap add the
// workloads that need them; see the constraints in bench_ops.go for what
// each must do.
type Raw interface {
	// Bodies returns the contestant's copies of the workload bodies, by
	// workload name (Workload*). cmd benchgen writes it.
	Bodies() map[string]Body
	// Close releases what the contestant registered globally.
	Close()
}

// Body is one workload for one contestant value.
type Body struct {
	// Run runs the workload's loop. n is the row's argument (a depth, a
	// number of bindings, a parallelism); workloads of one row ignore it.
	Run func(b *testing.B, n int)
	// Setup, if set, prepares the row with argument n before the first
	// run of its sub-benchmark; every run of that sub-benchmark (-count)
	// then uses the same contestant value, and teardown runs after the
	// last. It is for fixtures too slow to build for every run (live's
	// parked goroutines).
	Setup func(n int) (teardown func())
}

// workload is one workload's table: its name, and its rows.
type workload struct {
	name string
	// rows are the sub-benchmark name segments after strategy=, as in
	// "depth=64"; nil means a single row with no further segment.
	rows []string
	// args are the rows' arguments, handed to Body.Run and Body.Setup;
	// nil means 0 for every row.
	args []int
}

// run prints the workload's configuration line and runs every row for every
// contestant that can do the workload, as the sub-benchmark
// "strategy=NAME/ROW". Each run gets a fresh contestant value, except in a
// workload with a Setup, whose runs of one sub-benchmark share one.
func (w workload) run(b *testing.B, cs []Contestant) {
	printWorkload(w.name)
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
			arg := 0
			if w.args != nil {
				arg = w.args[i]
			}
			var shared *instance // made by the first run, if w has a Setup
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				in := shared
				if in == nil {
					in = newInstance(c, w.name)
					if in.body.Setup == nil {
						defer in.r.Close()
					} else {
						in.teardown = in.body.Setup(arg)
						shared = in
					}
				}
				in.body.Run(b, arg)
			})
			if shared != nil {
				shared.teardown()
				shared.r.Close()
			}
		}
	}
}

// instance is one contestant value made for a benchmark, with its body of
// the workload and what the body's Setup made.
type instance struct {
	r        Raw
	body     Body
	teardown func()
}

// newInstance makes a fresh value of c: a store (behind storeOps) or a raw
// contestant, with its body of workload name.
func newInstance(c Contestant, name string) *instance {
	in := &instance{}
	if c.New != nil {
		in.r = newStoreOps(c.New())
	} else {
		in.r = c.Raw()
	}
	in.body = in.r.Bodies()[name]
	return in
}

// supports reports whether c can run w: it has a body for it and does not
// skip it.
func (w workload) supports(c Contestant) bool {
	if slices.Contains(c.Skip, w.name) || (c.New == nil) == (c.Raw == nil) {
		return false
	}
	in := newInstance(c, w.name)
	defer in.r.Close()
	return in.body.Run != nil
}
