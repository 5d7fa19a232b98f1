package ctxvalue_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
)

// TestTableReference runs one seeded random sequence of Sets and Deletes
// over keys whose indexes collide in a node's table (every fourth key shares
// a home slot in a table of four) against a plain map, and compares Get of
// every key and Snapshot after each step: the table must find every binding
// whatever its size, collisions and deletions, and a node of one binding or
// none (a leaf) must turn into a table and back.
func TestTableReference(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, seed))
	keys := make([]*strategies.Key, 40)
	for i := range keys {
		keys[i] = strategies.NewKey(fmt.Sprint("table", i))
	}
	s := ctxvalue.New()
	ctx := context.Background()
	model := map[*strategies.Key]any{}
	for step := range 3000 {
		// Mostly keys four apart, which share a home slot in tables of
		// up to four (and often eight); now and then any key, so that
		// tables grow past eight and shrink again.
		k := keys[r.IntN(len(keys)/4)*4]
		if r.IntN(4) == 0 {
			k = keys[r.IntN(len(keys))]
		}
		if r.IntN(64) == 0 {
			// Now and then a foreign layer on top, so that Get, Set
			// and Delete also find the newest node through
			// ctx.Value.
			ctx = context.WithoutCancel(ctx)
		}
		var op string
		switch n := r.IntN(10); {
		case n < 5:
			v := any(step)
			if r.IntN(8) == 0 {
				v = nil
			}
			op = fmt.Sprintf("Set(%s, %v)", k.Name(), v)
			ctx = s.Set(ctx, k, v)
			model[k] = v
		default:
			op = fmt.Sprintf("Delete(%s)", k.Name())
			ctx = s.Delete(ctx, k)
			delete(model, k)
		}
		for _, k := range keys {
			v, ok := s.Get(ctx, k)
			w, wok := model[k]
			if v != w || ok != wok {
				t.Fatalf("step %d (%s): Get(%s) = %v, %t; want %v, %t (seed %d)", step, op, k.Name(), v, ok, w, wok, seed)
			}
		}
		if snap := s.Snapshot(ctx); len(snap) != len(model) {
			t.Fatalf("step %d (%s): Snapshot has %d bindings; want %d (seed %d)", step, op, len(snap), len(model), seed)
		}
	}
}
