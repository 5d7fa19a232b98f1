//lint:file-ignore U1000 the generic bodies (and their constraints) run through their per-contestant copies, which go generate writes with cmd benchgen

package harness

import (
	"context"
	"fmt"
	"testing"

	"github.com/localbench/localbench/harness/benchkit"
	"github.com/localbench/localbench/strategies"
)

// Workload names of the key sweeps. Each op is a workload of its own, so
// that benchstat prints one table per op with the key counts as rows.
const (
	WorkloadKeysGet       = "keys-get"
	WorkloadKeysGetMiss   = "keys-get-miss"
	WorkloadKeysSet       = "keys-set"
	WorkloadKeysScope     = "keys-scope"
	WorkloadSpreadGet     = "spread-get"
	WorkloadSpreadGetMiss = "spread-get-miss"
	WorkloadSpreadSet     = "spread-set"
	WorkloadSpreadScope   = "spread-scope"
)

// keyedOps adds KeyOf: the contestant's name for any *strategies.Key, not
// only the workload keys. The key sweeps need it.
type keyedOps[C, K any] interface {
	setOps[C, K]
	KeyOf(k *strategies.Key) K
}

func (o *storeOps) KeyOf(k *strategies.Key) *strategies.Key { return k }

func (withValueFloor) KeyOf(k *strategies.Key) *strategies.Key { return k }

// BenchKeys measures Get, Get of an unbound key, Set (an overwrite) and a
// Scope that binds the key and reads it once, each with one key bound,
// where that key was made after 10, 100, 1,000 or 10,000 others
// (benchkit.SweepKeys): a store whose cost grows with the number of keys in
// the process, or with a bound key's place among them, shows it here. The
// sub-benchmarks are strategy=NAME/op=OP/keys=N; each op is a workload of
// its own (keys-get, keys-get-miss, keys-set, keys-scope). Contestants that
// name keys only by position (most floors, rawroutine) do not run it.
func BenchKeys(b *testing.B, cs []Contestant) {
	benchKeySweep(b, cs, "keys", []string{WorkloadKeysGet, WorkloadKeysGetMiss, WorkloadKeysSet, WorkloadKeysScope})
}

// BenchKeySpread is BenchKeys with two keys bound, far apart: one made
// before all the sweep's keys and the row's key, made after N others. A
// store that keeps a goroutine's values by key index and copies the range
// between the bound ones pays for the distance.
func BenchKeySpread(b *testing.B, cs []Contestant) {
	benchKeySweep(b, cs, "spread", []string{WorkloadSpreadGet, WorkloadSpreadGetMiss, WorkloadSpreadSet, WorkloadSpreadScope})
}

func benchKeySweep(b *testing.B, cs []Contestant, prefix string, workloads []string) {
	_, rows := benchkit.SweepKeys() // make the keys before any contestant runs
	args := make([]int, len(rows))
	for i := range rows {
		args[i] = i
	}
	for _, w := range workloads {
		names := make([]string, len(rows))
		for i, r := range rows {
			names[i] = fmt.Sprintf("op=%s/keys=%d", w[len(prefix)+1:], r.Keys)
		}
		workload{name: w, rows: names, args: args}.run(b, cs)
	}
}

// sweepOp is what a key sweep workload does in its loop.
type sweepOp int

const (
	sweepGet sweepOp = iota
	sweepGetMiss
	sweepSet
	sweepScope
)

//benchgen:workload keys-get
func benchKeysGet[C, K any, R keyedOps[C, K]](b *testing.B, r R, row int) {
	keySweep(b, r, row, false, sweepGet)
}

//benchgen:workload keys-get-miss
func benchKeysGetMiss[C, K any, R keyedOps[C, K]](b *testing.B, r R, row int) {
	keySweep(b, r, row, false, sweepGetMiss)
}

//benchgen:workload keys-set
func benchKeysSet[C, K any, R keyedOps[C, K]](b *testing.B, r R, row int) {
	keySweep(b, r, row, false, sweepSet)
}

//benchgen:workload keys-scope
func benchKeysScope[C, K any, R keyedOps[C, K]](b *testing.B, r R, row int) {
	keySweep(b, r, row, false, sweepScope)
}

//benchgen:workload spread-get
func benchSpreadGet[C, K any, R keyedOps[C, K]](b *testing.B, r R, row int) {
	keySweep(b, r, row, true, sweepGet)
}

//benchgen:workload spread-get-miss
func benchSpreadGetMiss[C, K any, R keyedOps[C, K]](b *testing.B, r R, row int) {
	keySweep(b, r, row, true, sweepGetMiss)
}

//benchgen:workload spread-set
func benchSpreadSet[C, K any, R keyedOps[C, K]](b *testing.B, r R, row int) {
	keySweep(b, r, row, true, sweepSet)
}

//benchgen:workload spread-scope
func benchSpreadScope[C, K any, R keyedOps[C, K]](b *testing.B, r R, row int) {
	keySweep(b, r, row, true, sweepScope)
}

// keySweep runs op for row of benchkit.SweepKeys, with the row's key bound
// and, if spread, the low key too. Get and Set use the row's key; the loop
// and its check are those of get, get-miss and set.
func keySweep[C, K any, R keyedOps[C, K]](b *testing.B, r R, row int, spread bool, op sweepOp) {
	low, rows := benchkit.SweepKeys()
	var bound []K
	if spread {
		bound = append(bound, r.KeyOf(low))
	}
	bound = append(bound, r.KeyOf(rows[row].Bound))
	k, miss := bound[len(bound)-1], r.KeyOf(rows[row].Miss)
	vals := benchkit.Values(len(bound) + 1)
	wants := benchkit.Wants(vals)
	bind := func(c C) C {
		c = r.Bound(c, nil)
		for i, k := range bound {
			c = r.Set(c, k, vals[i])
		}
		return c
	}
	ctx := context.Background()
	if op == sweepScope {
		body := func(c C) {
			c = bind(c)
			sweepCallee(b, r, c, bound, wants)
		}
		for b.Loop() {
			r.Enter(ctx, nil, body)
		}
		return
	}
	r.Enter(ctx, nil, func(c C) {
		c = bind(c)
		want := wants[len(bound)-1]
		switch op {
		case sweepGet:
			for b.Loop() {
				switch v, ok := r.Get(c, k); {
				case !ok, v != want:
					benchkit.FailGet(b, v, ok, want)
				}
			}
		case sweepGetMiss:
			for b.Loop() {
				if v, ok := r.Get(c, miss); ok {
					benchkit.FailMiss(b, v)
				}
			}
		case sweepSet:
			// Alternate between the bound value and one more.
			alt := [2]any{vals[len(bound)-1], vals[len(bound)]}
			i := 0
			for b.Loop() {
				_ = r.Set(c, k, alt[i&1])
				i++
			}
		}
	})
}

// sweepCallee reads each bound key once, as a request handler would.
//
//go:noinline
func sweepCallee[C, K any, R keyedOps[C, K]](b *testing.B, r R, c C, bound []K, wants []*int) {
	for i, k := range bound {
		switch v, ok := r.Get(c, k); {
		case !ok, v != wants[i]:
			benchkit.FailGet(b, v, ok, wants[i])
		}
	}
}
