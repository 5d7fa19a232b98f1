//lint:file-ignore U1000 the generic bodies (and their constraints) run through their per-contestant copies, which go generate writes with cmd benchgen

package harness

import (
	"context"
	"testing"

	"github.com/localbench/localbench/harness/benchkit"
)

// BenchSet measures Set of a key that is already bound (an overwrite),
// alternating between two values, inside a Scope. Every Set starts from the
// same context: an explicit store's new context is dropped, so its chain
// does not grow with the loop.
func BenchSet(b *testing.B, cs []Contestant) {
	workload{name: WorkloadSet}.run(b, cs)
}

//benchgen:workload set
func benchSet[C, K any, R setOps[C, K]](b *testing.B, r R, _ int) {
	vals := benchkit.Values(2)
	k := r.Key(0)
	r.Enter(context.Background(), vals[:1], func(c C) {
		c = r.Bound(c, vals[:1])
		i := 0
		for b.Loop() {
			_ = r.Set(c, k, vals[i&1])
			i++
		}
	})
}

// BenchDelete measures deleting a bound key. Delete must find the key bound
// to do its real work, so one operation is a pair: a Set that binds the key
// and a Delete that unbinds it again, inside a Scope. Delete alone costs
// about this figure less BenchSet's.
func BenchDelete(b *testing.B, cs []Contestant) {
	workload{name: WorkloadDelete, rows: []string{"op=set+delete"}}.run(b, cs)
}

//benchgen:workload delete
func benchDelete[C, K any, R deleteOps[C, K]](b *testing.B, r R, _ int) {
	v := benchkit.Values(1)[0]
	k := r.Key(0)
	r.Enter(context.Background(), nil, func(c C) {
		c = r.Bound(c, nil)
		for b.Loop() {
			_ = r.Delete(r.Set(c, k, v), k)
		}
	})
}
