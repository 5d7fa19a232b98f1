package harness

import (
	"context"
	"testing"

	"github.com/localbench/localbench/strategies"
)

// BenchSet measures Set of a key that is already bound (an overwrite),
// alternating between two values, inside a Scope. Every Set starts from the
// same context: an explicit store's new context is dropped, so its chain
// does not grow with the loop.
func BenchSet(b *testing.B, cs []Contestant) {
	workloadSet.run(b, cs)
}

var workloadSet = workload{
	name:  WorkloadSet,
	needs: func(r *Raw) bool { return r.Set != nil },
	store: func(b *testing.B, s strategies.Store, _ int) {
		vals := workloadValues(2)
		k := workloadKeys()[0]
		s.Scope(benchCtx, func(ctx context.Context) {
			ctx = bindStore(s, ctx, vals[:1])
			i := 0
			for b.Loop() {
				_ = s.Set(ctx, k, vals[i&1])
				i++
			}
		})
	},
	raw: func(b *testing.B, r *Raw, _ int) {
		vals := workloadValues(2)
		r.Bind(benchCtx, vals[:1], func(c Carrier) {
			i := 0
			for b.Loop() {
				_ = r.Set(c, 0, vals[i&1])
				i++
			}
		})
	},
}

// BenchDelete measures deleting a bound key. Delete must find the key bound
// to do its real work, so one operation is a pair: a Set that binds the key
// and a Delete that unbinds it again, inside a Scope. Delete alone costs
// about this figure less BenchSet's.
func BenchDelete(b *testing.B, cs []Contestant) {
	workloadDelete.run(b, cs)
}

var workloadDelete = workload{
	name:  WorkloadDelete,
	rows:  []string{"op=set+delete"},
	needs: func(r *Raw) bool { return r.Set != nil && r.Delete != nil },
	store: func(b *testing.B, s strategies.Store, _ int) {
		vals := workloadValues(1)
		k := workloadKeys()[0]
		s.Scope(benchCtx, func(ctx context.Context) {
			for b.Loop() {
				_ = s.Delete(s.Set(ctx, k, vals[0]), k)
			}
		})
	},
	raw: func(b *testing.B, r *Raw, _ int) {
		vals := workloadValues(1)
		r.Bind(benchCtx, nil, func(c Carrier) {
			for b.Loop() {
				_ = r.Delete(Carrier{Ctx: r.Set(c, 0, vals[0]), Vals: c.Vals}, 0)
			}
		})
	},
}
