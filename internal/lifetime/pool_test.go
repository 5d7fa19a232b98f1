package lifetime

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/localbench/localbench/strategies"
)

// The keys TestPoolWorkers binds: each task's two values, the key a task
// binds for itself, and the worker's own key.
var (
	taskKey    = strategies.NewKey("lifetime.task")
	payloadKey = strategies.NewKey("lifetime.payload")
	scratchKey = strategies.NewKey("lifetime.scratch")
	workerKey  = strategies.NewKey("lifetime.worker")
)

// poolWorkers is how many workers take tasks; the producer is one more
// goroutine.
const poolWorkers = 4

// taskVal is a value a task's producer binds, or a task binds for itself.
type taskVal struct {
	task int
	what string
}

// TestPoolWorkers runs many tasks, each made by Wrap in a Scope of its own
// on a producer goroutine, on a small pool of workers that have bindings of
// their own. Each task checks that it sees exactly the bindings captured
// for it (not the previous task's on the same worker, not the worker's),
// binds and unbinds keys of its own, and each worker checks after every
// task that it has its own bindings back.
func TestPoolWorkers(t *testing.T) {
	size, mode := size{short: 20_000, normal: 1_000_000, race: 100_000, soak: 1_000_000}.pick()
	forEach(t, func(t *testing.T, st strategy, s strategies.Store) {
		n := st.scaled(size)
		e := &errs{t: t}
		var ran atomic.Int64 // tasks run
		checkLive := liveAtStart(t, s)
		checkHeap := heapAtStart(t)
		start := time.Now()
		tasks := make(chan func(), 64)
		var wg sync.WaitGroup
		wg.Add(poolWorkers)
		for w := range poolWorkers {
			go func() {
				defer wg.Done()
				work(e, s, w, tasks)
			}()
		}
		produced := make(chan struct{})
		go func() {
			defer close(produced)
			defer close(tasks)
			for i := range n {
				s.Scope(context.Background(), func(ctx context.Context) {
					ctx = s.Set(ctx, taskKey, taskVal{i, "task"})
					ctx = s.Set(ctx, payloadKey, taskVal{i, "payload"})
					tasks <- s.Wrap(ctx, func(ctx context.Context) {
						runTask(e, s, ctx, i)
						ran.Add(1)
					})
				})
			}
		}()
		workersDone := make(chan struct{})
		go func() {
			wg.Wait()
			close(workersDone)
		}()
		awaitProgress(t, workersDone, ran.Load, "the workers to run every task")
		await(t, produced, "the producer to end")
		d := time.Since(start)
		t.Logf("%s: %d Wrap'd tasks on %d workers: %v (%v per task) [%s size%s]",
			st.name, n, poolWorkers, d.Round(time.Millisecond), d/time.Duration(n), mode, st.scaleNote(n, size))
		e.flush()
		checkLive()
		checkHeap()
	})
}

// work is pool worker w: it binds its own key, runs tasks until the channel
// is closed, and checks after each that its binding is back.
func work(e *errs, s strategies.Store, w int, tasks <-chan func()) {
	body := func(ctx context.Context) {
		ctx = s.Set(ctx, workerKey, w)
		for task := range tasks {
			task()
			v, ok := s.Get(ctx, workerKey)
			if v != w || !ok {
				e.Errorf("worker %d: Get(%s) after a task = %v, %t; want %d, true: Wrap restores the calling goroutine's own bindings afterwards", w, workerKey.Name(), v, ok, w)
			}
			for _, k := range []*strategies.Key{taskKey, payloadKey, scratchKey} {
				if v, ok := s.Get(ctx, k); ok {
					if _, isTask := v.(taskVal); isTask {
						e.sawForeign()
					}
					e.Errorf("worker %d: Get(%s) after a task = %v, %t; want nil, false: Wrap restores the calling goroutine's own bindings afterwards", w, k.Name(), v, ok)
				}
			}
		}
	}
	if s.Info().NeedsScope {
		s.Scope(context.Background(), body)
		return
	}
	// A plain goroutine that Sets outside a scope must Release, where the
	// store keeps per-goroutine state.
	if r, ok := s.(strategies.Releaser); ok {
		defer r.Release(context.Background())
	}
	body(context.Background())
}

// runTask is task i's body: it must see the bindings captured for it and
// nothing else, and its own changes must not reach the next task.
func runTask(e *errs, s strategies.Store, ctx context.Context, i int) {
	for _, want := range []struct {
		k *strategies.Key
		v any
	}{{taskKey, taskVal{i, "task"}}, {payloadKey, taskVal{i, "payload"}}} {
		if v, ok := s.Get(ctx, want.k); v != want.v || !ok {
			if tv, isTask := v.(taskVal); isTask && tv.task != i {
				e.sawForeign()
			}
			e.Errorf("task %d: Get(%s) = %v, %t; want %v, true: a Wrap'd func runs with exactly the bindings captured for it", i, want.k.Name(), v, ok, want.v)
		}
	}
	for _, k := range []*strategies.Key{scratchKey, workerKey} {
		if v, ok := s.Get(ctx, k); ok {
			e.sawForeign()
			e.Errorf("task %d: Get(%s) = %v, %t; want nil, false: a Wrap'd func sees neither an earlier task's bindings nor the worker's", i, k.Name(), v, ok)
		}
	}
	ctx = s.Set(ctx, scratchKey, taskVal{i, "scratch"})
	ctx = s.Set(ctx, taskKey, taskVal{i, "rebound"})
	ctx = s.Delete(ctx, payloadKey)
	if v, ok := s.Get(ctx, scratchKey); v != (taskVal{i, "scratch"}) || !ok {
		e.Errorf("task %d: Get(%s) after its own Set = %v, %t; want %v, true", i, scratchKey.Name(), v, ok, taskVal{i, "scratch"})
	}
	if v, ok := s.Get(ctx, payloadKey); ok {
		e.Errorf("task %d: Get(%s) after its own Delete = %v, %t; want nil, false", i, payloadKey.Name(), v, ok)
	}
}
