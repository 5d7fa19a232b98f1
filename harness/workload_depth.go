package harness

import (
	"context"
	"fmt"
	"testing"

	"github.com/localbench/localbench/strategies"
)

// workloadDepths are the depth workload's rows.
var workloadDepths = []int{1, 16, 64, 256}

// BenchDepth measures Get of a key from depth frames below the frame that
// bound it (real, non-inlined frames in between). A strategy that finds its
// bindings by walking the stack (gls) pays for every frame; the others
// should be flat.
func BenchDepth(b *testing.B, cs []Contestant) {
	workloadDepth.run(b, cs)
}

var workloadDepth = workload{
	name: WorkloadDepth,
	rows: rowNames("depth", workloadDepths),
	store: func(b *testing.B, s strategies.Store, row int) {
		vals := workloadValues(1)
		k, want := workloadKeys()[0], vals[0]
		s.Scope(benchCtx, func(ctx context.Context) {
			ctx = bindStore(s, ctx, vals)
			descend(workloadDepths[row], ctx, func(ctx context.Context) {
				for b.Loop() {
					if v, ok := s.Get(ctx, k); !ok || v != want {
						failGet(b, v, ok, want)
					}
				}
			})
		})
	},
	raw: func(b *testing.B, r *Raw, row int) {
		vals := workloadValues(1)
		want := vals[0]
		r.Bind(benchCtx, vals, func(c Carrier) {
			descend(workloadDepths[row], c, func(c Carrier) {
				for b.Loop() {
					if v, ok := r.Get(c, 0); !ok || v != want {
						failGet(b, v, ok, want)
					}
				}
			})
		})
	},
}

// workloadBindingCounts are the bindings workload's rows.
var workloadBindingCounts = []int{1, 8, workloadMaxBindings}

// BenchBindings measures Get of the first-bound of that many bound keys. A
// chain of contexts (one layer per binding) walks past every later binding
// to find it; a table or slice per goroutine should be flat.
func BenchBindings(b *testing.B, cs []Contestant) {
	workloadBindings.run(b, cs)
}

var workloadBindings = workload{
	name: WorkloadBindings,
	rows: rowNames("bindings", workloadBindingCounts),
	store: func(b *testing.B, s strategies.Store, row int) {
		vals := workloadValues(workloadBindingCounts[row])
		k, want := workloadKeys()[0], vals[0]
		s.Scope(benchCtx, func(ctx context.Context) {
			ctx = bindStore(s, ctx, vals)
			for b.Loop() {
				if v, ok := s.Get(ctx, k); !ok || v != want {
					failGet(b, v, ok, want)
				}
			}
		})
	},
	raw: func(b *testing.B, r *Raw, row int) {
		vals := workloadValues(workloadBindingCounts[row])
		want := vals[0]
		r.Bind(benchCtx, vals, func(c Carrier) {
			for b.Loop() {
				if v, ok := r.Get(c, 0); !ok || v != want {
					failGet(b, v, ok, want)
				}
			}
		})
	},
}

// rowNames returns "key=n" for each n.
func rowNames(key string, ns []int) []string {
	rows := make([]string, len(ns))
	for i, n := range ns {
		rows[i] = fmt.Sprintf("%s=%d", key, n)
	}
	return rows
}
