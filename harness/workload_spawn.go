//lint:file-ignore U1000 the generic bodies (and their constraints) run through their per-contestant copies, which go generate writes with cmd benchgen

package harness

import (
	"context"
	"testing"

	"github.com/localbench/localbench/harness/benchkit"
)

// BenchSpawn measures starting a goroutine that inherits the parent's 4
// bindings, reads one and ends: strategies.Go for stores, the contestant's
// Go for raw ones (for param, a plain go statement handed the values as an
// argument). The parent waits for the child on a channel in every
// iteration, so an operation is start, run, and the hand-back.
func BenchSpawn(b *testing.B, cs []Contestant) {
	workload{name: WorkloadSpawn, rows: []string{"bindings=4"}}.run(b, cs)
}

//benchgen:workload spawn
func benchSpawn[C, K any, R goOps[C, K]](b *testing.B, r R, _ int) {
	vals := benchkit.Values(benchkit.SpawnBindings)
	k, want := r.Key(0), benchkit.Want(vals, 0)
	done := make(chan struct{})
	child := func(c C) {
		if v, ok := r.Get(c, k); !ok || v != want {
			benchkit.ErrorGet(b, "child", v, ok, want)
		}
		done <- struct{}{}
	}
	r.Enter(context.Background(), vals, func(c C) {
		c = r.Bound(c, vals)
		for b.Loop() {
			r.Go(c, child)
			<-done
		}
	})
}

// BenchWrap measures handing work to a pool: the parent, holding 4
// bindings, wraps a func that reads one of them, sends it to a single worker
// goroutine over a channel, and waits until the worker has run it. An
// operation is Wrap, the hand-off, the run, and the hand-back.
func BenchWrap(b *testing.B, cs []Contestant) {
	workload{name: WorkloadWrap, rows: []string{"bindings=4"}}.run(b, cs)
}

//benchgen:workload wrap
func benchWrap[C, K any, R wrapOps[C, K]](b *testing.B, r R, _ int) {
	vals := benchkit.Values(benchkit.SpawnBindings)
	k, want := r.Key(0), benchkit.Want(vals, 0)
	work, stop := benchkit.StartWorker()
	defer stop()
	task := func(c C) {
		if v, ok := r.Get(c, k); !ok || v != want {
			benchkit.ErrorGet(b, "worker", v, ok, want)
		}
	}
	r.Enter(context.Background(), vals, func(c C) {
		c = r.Bound(c, vals)
		for b.Loop() {
			work(r.Wrap(c, task))
		}
	})
}
