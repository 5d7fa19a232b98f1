package harness

import (
	"context"
	"testing"

	"github.com/localbench/localbench/strategies"
)

// BenchGet measures Get of a bound key, on the goroutine and in the frame
// that bound it (inside a Scope, for every store alike), with one key bound.
func BenchGet(b *testing.B, cs []Contestant) {
	workloadGet.run(b, cs)
}

var workloadGet = workload{
	name: WorkloadGet,
	store: func(b *testing.B, s strategies.Store, _ int) {
		vals := workloadValues(1)
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
	raw: func(b *testing.B, r *Raw, _ int) {
		vals := workloadValues(1)
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

// BenchGetMiss measures Get of a key that is not bound, by a goroutine that
// holds another binding (the usual case: a request looks up an optional
// value).
func BenchGetMiss(b *testing.B, cs []Contestant) {
	workloadGetMiss.run(b, cs)
}

var workloadGetMiss = workload{
	name: WorkloadGetMiss,
	store: func(b *testing.B, s strategies.Store, _ int) {
		vals := workloadValues(1)
		k := workloadKeys()[WorkloadMissKey]
		s.Scope(benchCtx, func(ctx context.Context) {
			ctx = bindStore(s, ctx, vals)
			for b.Loop() {
				if v, ok := s.Get(ctx, k); ok {
					failMiss(b, v)
				}
			}
		})
	},
	raw: func(b *testing.B, r *Raw, _ int) {
		r.Bind(benchCtx, workloadValues(1), func(c Carrier) {
			for b.Loop() {
				if v, ok := r.Get(c, WorkloadMissKey); ok {
					failMiss(b, v)
				}
			}
		})
	},
}
