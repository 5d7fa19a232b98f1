package harness

import (
	"context"
	"testing"

	"github.com/localbench/localbench/strategies"
)

// spawnBindings is how many keys the parent binds in spawn and wrap.
const spawnBindings = 4

// BenchSpawn measures starting a goroutine that inherits the parent's 4
// bindings, reads one and ends: strategies.Go for stores, the contestant's
// Go for raw ones (for param, a plain go statement handed the values as an
// argument). The parent waits for the child on a channel in every
// iteration, so an operation is start, run, and the hand-back.
func BenchSpawn(b *testing.B, cs []Contestant) {
	workloadSpawn.run(b, cs)
}

var workloadSpawn = workload{
	name:  WorkloadSpawn,
	rows:  []string{"bindings=4"},
	needs: func(r *Raw) bool { return r.Go != nil },
	store: func(b *testing.B, s strategies.Store, _ int) {
		vals := workloadValues(spawnBindings)
		k, want := workloadKeys()[0], vals[0]
		done := make(chan struct{})
		child := func(ctx context.Context) {
			if v, ok := s.Get(ctx, k); !ok || v != want {
				b.Errorf("child: Get = %v, %t; want %v, true", v, ok, want)
			}
			done <- struct{}{}
		}
		s.Scope(benchCtx, func(ctx context.Context) {
			ctx = bindStore(s, ctx, vals)
			for b.Loop() {
				strategies.Go(ctx, s, child)
				<-done
			}
		})
	},
	raw: func(b *testing.B, r *Raw, _ int) {
		vals := workloadValues(spawnBindings)
		want := vals[0]
		done := make(chan struct{})
		child := func(c Carrier) {
			if v, ok := r.Get(c, 0); !ok || v != want {
				b.Errorf("child: Get = %v, %t; want %v, true", v, ok, want)
			}
			done <- struct{}{}
		}
		r.Bind(benchCtx, vals, func(c Carrier) {
			for b.Loop() {
				r.Go(c, child)
				<-done
			}
		})
	},
}

// BenchWrap measures handing work to a pool: the parent, holding 4
// bindings, wraps a func that reads one of them, sends it to a single worker
// goroutine over a channel, and waits until the worker has run it. An
// operation is Wrap, the hand-off, the run, and the hand-back.
func BenchWrap(b *testing.B, cs []Contestant) {
	workloadWrap.run(b, cs)
}

var workloadWrap = workload{
	name:  WorkloadWrap,
	rows:  []string{"bindings=4"},
	needs: func(r *Raw) bool { return r.Wrap != nil },
	store: func(b *testing.B, s strategies.Store, _ int) {
		vals := workloadValues(spawnBindings)
		k, want := workloadKeys()[0], vals[0]
		work, stop := startWorker()
		defer stop()
		task := func(ctx context.Context) {
			if v, ok := s.Get(ctx, k); !ok || v != want {
				b.Errorf("worker: Get = %v, %t; want %v, true", v, ok, want)
			}
		}
		s.Scope(benchCtx, func(ctx context.Context) {
			ctx = bindStore(s, ctx, vals)
			for b.Loop() {
				work(s.Wrap(ctx, task))
			}
		})
	},
	raw: func(b *testing.B, r *Raw, _ int) {
		vals := workloadValues(spawnBindings)
		want := vals[0]
		work, stop := startWorker()
		defer stop()
		task := func(c Carrier) {
			if v, ok := r.Get(c, 0); !ok || v != want {
				b.Errorf("worker: Get = %v, %t; want %v, true", v, ok, want)
			}
		}
		r.Bind(benchCtx, vals, func(c Carrier) {
			for b.Loop() {
				work(r.Wrap(c, task))
			}
		})
	},
}

// startWorker starts one pool worker goroutine. work hands it f and returns
// once the worker has run f; stop ends the worker.
func startWorker() (work func(f func()), stop func()) {
	tasks := make(chan func())
	done := make(chan struct{})
	go func() {
		for f := range tasks {
			f()
			done <- struct{}{}
		}
	}()
	work = func(f func()) {
		tasks <- f
		<-done
	}
	return work, func() { close(tasks) }
}
