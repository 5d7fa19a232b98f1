package harness

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/localbench/localbench/strategies"
)

// The cases about more than one goroutine: isolation, what Go and Wrap hand
// over, and what is left behind.

func runIsolation(t T, s strategies.Store, _ func() strategies.Store) {
	const why = "a goroutine never sees another goroutine's bindings"
	toA, toB := make(chan struct{}), make(chan struct{})
	a := spawn(t, func() {
		inScope(s, func(ctx context.Context) {
			ctx = s.Set(ctx, keyA, "A1")
			if !give(t, toB, "goroutine B's first turn") || !await(t, toA, "goroutine A's second turn") {
				return
			}
			// B has Set keyA.
			expectGet(t, s, ctx, keyA, "A1", true, why+": another goroutine's Set of the same key changes nothing here")
			ctx = s.Delete(ctx, keyA)
			ctx = s.Set(ctx, keyB, "A2")
			if !give(t, toB, "goroutine B's second turn") || !await(t, toA, "goroutine A's last turn") {
				return
			}
			// B has Set keyB and keyC.
			expectView(t, s, ctx, view{keyB: "A2"}, why+": another goroutine's Sets change nothing here")
			give(t, toB, "goroutine B's last turn")
		})
	})
	b := spawn(t, func() {
		inScope(s, func(ctx context.Context) {
			if !await(t, toB, "goroutine B's first turn") {
				return
			}
			// A has Set keyA.
			expectUnbound(t, s, ctx, keyA, why+": another goroutine's Set is invisible")
			ctx = s.Set(ctx, keyA, "B1")
			if !give(t, toA, "goroutine A's second turn") || !await(t, toB, "goroutine B's second turn") {
				return
			}
			// A has Deleted keyA and Set keyB.
			expectGet(t, s, ctx, keyA, "B1", true, why+": another goroutine's Delete of the same key changes nothing here")
			expectUnbound(t, s, ctx, keyB, why+": another goroutine's Set is invisible")
			ctx = s.Set(ctx, keyB, "B2")
			ctx = s.Set(ctx, keyC, "B3")
			if !give(t, toA, "goroutine A's last turn") || !await(t, toB, "goroutine B's last turn") {
				return
			}
			expectView(t, s, ctx, view{keyA: "B1", keyB: "B2", keyC: "B3"}, why)
		})
	})
	await(t, a, "the end of goroutine A")
	await(t, b, "the end of goroutine B")
}

func runPlainGo(t T, s strategies.Store, _ func() strategies.Store) {
	const why = "a goroutine started with a plain go statement inherits nothing"
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, 1)
		ctx = s.Set(ctx, keyB, nil)
		s.Scope(ctx, func(ctx context.Context) {
			ctx = s.Set(ctx, keyC, 3)
			done := spawn(t, func() {
				expectView(t, s, context.Background(), view{}, why)
				inScope(s, func(ctx context.Context) {
					expectView(t, s, ctx, view{}, why+", not even in a Scope of its own")
				})
			})
			await(t, done, "the end of the plain go goroutine")
			expectView(t, s, ctx, view{keyA: 1, keyB: nil, keyC: 3}, "a goroutine started with a plain go statement changes nothing of its parent's")
		})
	})
}

// childTask returns a func for Go or Wrap that checks that it starts with
// exactly want, then applies sets (a nil value in sets means Delete) and
// checks that it sees them. It returns the bindings it ended with.
func childTask(t T, s strategies.Store, who string, want view, sets view, why string) func(context.Context) {
	return func(ctx context.Context) {
		expectView(t, s, ctx, want, why)
		mine := maps.Clone(want)
		for k, v := range sets {
			if v == nil {
				ctx = s.Delete(ctx, k)
				delete(mine, k)
				continue
			}
			ctx = s.Set(ctx, k, v)
			mine[k] = v
		}
		expectView(t, s, ctx, mine, who+" sees its own Sets and Deletes")
	}
}

func runGoCopies(t T, s strategies.Store, _ func() strategies.Store) {
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, "before")
		ctx = s.Set(ctx, keyB, "parent-b")
		captured := view{keyA: "before", keyB: "parent-b"}
		parentDone, firstDone := make(chan struct{}), make(chan struct{})
		first := childTask(t, s, "a child started by Go", captured, view{keyA: "first", keyB: nil, keyC: "first"},
			"a child started by Go starts with the parent's bindings as they were at the call, and must not see the parent's later Set or Delete")
		second := childTask(t, s, "a child started by Go", captured, view{keyD: "second"},
			"a child started by Go must not see a sibling's Set or Delete, nor the parent's later ones")
		c1 := goChild(t, s, ctx, func(ctx context.Context) {
			defer close(firstDone)
			if await(t, parentDone, "the parent's later Set") {
				first(ctx)
			}
		})
		c2 := goChild(t, s, ctx, func(ctx context.Context) {
			if await(t, firstDone, "the first child's Set") {
				second(ctx)
			}
		})
		ctx = s.Set(ctx, keyA, "after")
		ctx = s.Delete(ctx, keyB)
		ctx = s.Set(ctx, keyW, "parent-w")
		close(parentDone)
		await(t, c1, "the end of the first child")
		await(t, c2, "the end of the second child")
		expectView(t, s, ctx, view{keyA: "after", keyW: "parent-w"}, "the parent must not see its children's Sets or Deletes")
	})
}

func runWrapCopies(t T, s strategies.Store, _ func() strategies.Store) {
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, "before")
		ctx = s.Set(ctx, keyB, "parent-b")
		captured := view{keyA: "before", keyB: "parent-b"}
		w1 := s.Wrap(ctx, childTask(t, s, "a Wrap'd func", captured, view{keyA: "w1", keyB: nil, keyC: "w1"},
			"a Wrap'd func runs with the bindings captured when Wrap was called, never the parent's later ones nor those of an earlier call"))
		w2 := s.Wrap(ctx, childTask(t, s, "a Wrap'd func", captured, view{keyD: "w2"},
			"a Wrap'd func must not see a sibling's Set or Delete, nor the parent's later ones"))
		ctx = s.Set(ctx, keyA, "after")
		ctx = s.Delete(ctx, keyB)
		ctx = s.Set(ctx, keyW, "parent-w")
		parent := view{keyA: "after", keyW: "parent-w"}
		await(t, spawn(t, w1), "the end of a Wrap'd func on a new goroutine")
		await(t, spawn(t, w2), "the end of a Wrap'd func on a new goroutine")
		await(t, spawn(t, w1), "the end of a Wrap'd func called a second time")
		expectView(t, s, ctx, parent, "the parent must not see the Sets or Deletes of a Wrap'd func run elsewhere")
		w1()
		expectView(t, s, ctx, parent, "the goroutine that calls a Wrap'd func gets its own bindings back afterwards")
		w2()
		expectView(t, s, ctx, parent, "the goroutine that calls a Wrap'd func gets its own bindings back afterwards")
	})
}

func runWrapEveryCall(t T, s strategies.Store, _ func() strategies.Store) {
	const why = "a Wrap'd func runs fn on every call, and a panic in fn reaches the caller, who has its own bindings back"
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, "captured")
		runs := 0
		w := s.Wrap(ctx, func(ctx context.Context) {
			runs++
			expectView(t, s, ctx, view{keyA: "captured"}, why)
			s.Set(ctx, keyB, runs)
		})
		boom := errors.New("boom")
		p := s.Wrap(ctx, func(ctx context.Context) {
			ctx = s.Set(ctx, keyC, "inside")
			expectView(t, s, ctx, view{keyA: "captured", keyC: "inside"}, why)
			panic(boom)
		})
		ctx = s.Set(ctx, keyA, "own")
		for range 3 {
			w()
		}
		if runs != 3 {
			t.Errorf("a Wrap'd func called 3 times ran fn %d times; want 3: %s", runs, why)
		}
		if got := catch(p); got != boom {
			t.Errorf("a Wrap'd func whose fn panicked with %v made its caller recover %v; want %v: %s", boom, got, boom, why)
		}
		expectView(t, s, ctx, view{keyA: "own"}, why)
	})
}

func runWrapPool(t T, s strategies.Store, _ func() strategies.Store) {
	info := s.Info()
	tasks, acks := make(chan func()), make(chan struct{})
	worker := spawn(t, func() {
		body := func(ctx context.Context) {
			ctx = s.Set(ctx, keyW, "worker")
			ctx = s.Set(ctx, keyA, "worker-a")
			own := view{keyW: "worker", keyA: "worker-a"}
			for task := range tasks {
				task()
				expectView(t, s, ctx, own, "a pool worker gets its own bindings back after each Wrap'd task")
				if info.Implicit {
					expectView(t, s, context.Background(), own, "a pool worker gets its own bindings back after each Wrap'd task (seen from context.Background())")
				}
				if !give(t, acks, "the end of a task") {
					return
				}
			}
		}
		if info.NeedsScope {
			inScope(s, body)
			return
		}
		// A worker of a plain pool binds outside any scope.
		body(context.Background())
		if r, ok := s.(strategies.Releaser); ok {
			r.Release(context.Background())
		}
	})
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, 1)
		t1 := s.Wrap(ctx, childTask(t, s, "a Wrap'd task", view{keyA: 1}, view{keyA: nil, keyB: "task1", keyW: "task1"},
			"a Wrap'd task on a pool worker sees exactly the bindings captured for it, not the worker's own nor an earlier run's"))
		ctx = s.Set(ctx, keyA, 2)
		t2 := s.Wrap(ctx, childTask(t, s, "a Wrap'd task", view{keyA: 2}, view{keyC: "task2"},
			"a Wrap'd task on a pool worker never sees an earlier task's bindings"))
		for i, task := range []func(){t1, t2, t1, t2} {
			if !send(t, tasks, task, fmt.Sprintf("the worker taking task %d", i+1)) || !await(t, acks, fmt.Sprintf("the end of task %d", i+1)) {
				break
			}
		}
		close(tasks)
	})
	await(t, worker, "the end of the worker")
}

func runGoFromEndingScope(t T, s strategies.Store, _ func() strategies.Store) {
	n := scaled(t, 1000, 200)
	lim := limit(t, 3)
	const why = "a child started by Go inside a scope that ends at once still starts with the bindings of that scope"
	children := make([]<-chan struct{}, 0, n)
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, "outer")
		for i := range n {
			s.Scope(ctx, func(ctx context.Context) {
				ctx = s.Set(ctx, keyB, i)
				s.Scope(ctx, func(ctx context.Context) {
					ctx = s.Set(ctx, keyC, i)
					children = append(children, goChild(lim, s, ctx, func(ctx context.Context) {
						expectView(lim, s, ctx, view{keyA: "outer", keyB: i, keyC: i}, why)
					}))
				})
			})
		}
	})
	awaitAll(t, children, "the children started by Go")
	lim.flush()
}

func runManyGoroutines(t T, s strategies.Store, _ func() strategies.Store) {
	// The goroutines run in waves. Within a wave, every goroutine makes its
	// first half of the bindings before any checks them again and goes on,
	// so that they truly overlap, even on one core. A wave is smaller than
	// the 8128 goroutines the race detector allows alive at once.
	n, wave := scaled(t, 10000, 1000), 500
	lim := limit(t, 5)
	const why = "goroutines running at once each see only their own bindings"
	for start := 0; start < n; start += wave {
		size := min(wave, n-start)
		ready := make(chan struct{}, size)
		proceed := make(chan struct{})
		done := make([]<-chan struct{}, 0, size)
		for g := start; g < start+size; g++ {
			done = append(done, spawn(lim, func() {
				inScope(s, func(ctx context.Context) {
					mine := view{}
					ctx, ok := manyOps(lim, s, ctx, g, 0, mine, why)
					ready <- struct{}{}
					if !ok || !await(lim, proceed, "the rest of the wave's first half") {
						return
					}
					if !checkView(lim, s, ctx, manyKeys, mine, why+", after the others of the wave made theirs") {
						return
					}
					ctx, _ = manyOps(lim, s, ctx, g, 25, mine, why)
					checkView(lim, s, ctx, manyKeys, mine, why)
				})
			}))
		}
		if !awaitN(t, ready, size, "the first half of a wave of goroutines") {
			break
		}
		close(proceed)
		if !awaitAll(t, done, "a wave of goroutines") {
			break
		}
	}
	lim.flush()
}

var manyKeys = []*strategies.Key{keyA, keyB, keyC}

// manyOps does goroutine g's Sets, Gets and Deletes from step from to
// from+25, keeping mine up to date, and reports the first wrong Get.
func manyOps(t T, s strategies.Store, ctx context.Context, g, from int, mine view, why string) (context.Context, bool) {
	for i := from; i < from+25; i++ {
		k, v := manyKeys[i%len(manyKeys)], g*100+i
		ctx = s.Set(ctx, k, v)
		mine[k] = v
		if !expectGet(t, s, ctx, k, v, true, why) {
			return ctx, false
		}
		if i%5 == 4 {
			ctx = s.Delete(ctx, k)
			delete(mine, k)
			if !expectUnbound(t, s, ctx, k, why) {
				return ctx, false
			}
		}
	}
	return ctx, true
}

func runMissingCreatesNothing(t T, s strategies.Store, _ func() strategies.Store) {
	c := s.(strategies.Counter)
	needsScope := s.Info().NeedsScope
	base := c.Live()
	done := spawn(t, func() {
		ctx := context.Background()
		expectUnbound(t, s, ctx, keyA, "Get of an unbound key returns nil, false")
		if !needsScope {
			ctx = s.Delete(ctx, keyA)
		}
		expectUnbound(t, s, ctx, keyA, "Get of an unbound key returns nil, false")
		// Measured while the goroutine is alive: state made for it would
		// still be there.
		if got := c.Live(); got != base {
			t.Errorf("Live() = %d after Get and Delete of a missing key; want %d: Get and Delete of a missing key create no per-goroutine state", got, base)
		}
	})
	await(t, done, "the end of the goroutine")
}

func runNoResidue(t T, s strategies.Store, _ func() strategies.Store) {
	c := s.(strategies.Counter)
	base := c.Live()
	n := scaled(t, 200, 50)
	var children []<-chan struct{}
	body := spawn(t, func() {
		for i := range n {
			inScope(s, func(ctx context.Context) {
				ctx = s.Set(ctx, keyA, i)
				s.Scope(ctx, func(ctx context.Context) {
					ctx = s.Set(ctx, keyB, i)
					children = append(children, goChild(t, s, ctx, func(ctx context.Context) {
						ctx = s.Set(ctx, keyC, i)
						s.Scope(ctx, func(ctx context.Context) { s.Set(ctx, keyD, i) })
					}))
				})
				w := s.Wrap(ctx, func(ctx context.Context) { s.Set(ctx, keyC, i) })
				w()
				children = append(children, spawn(t, w))
			})
		}
	})
	if !await(t, body, "the end of the goroutine that starts the others") || !awaitAll(t, children, "the goroutines started by Go and the Wrap'd funcs") {
		return
	}
	if got, ok := settle(t, c, base); !ok {
		t.Errorf("Live() = %d after %d rounds of Scope, Wrap and Go ended; want %d, as before: after Go'd goroutines end and the outermost Scope returns, the store holds nothing for them", got, n, base)
	}
}

func runLeaks(t T, s strategies.Store, _ func() strategies.Store) {
	c := s.(strategies.Counter)
	leaks := s.Info().Leaks
	base := c.Live()
	done := spawn(t, func() { s.Set(context.Background(), keyA, 1) })
	if !await(t, done, "the end of a goroutine that Sets outside any scope") {
		return
	}
	if leaks {
		if got := c.Live(); got <= base {
			t.Errorf("Live() = %d after a plain go goroutine Set outside any scope and exited; want more than %d: Info().Leaks is true exactly when such a goroutine leaves its entry behind", got, base)
		}
	} else if got, ok := settle(t, c, base); !ok {
		t.Errorf("Live() = %d after a plain go goroutine Set outside any scope and exited; want %d: Info().Leaks is false, so such a goroutine leaves nothing behind", got, base)
	}

	r, ok := s.(strategies.Releaser)
	if !ok {
		return
	}
	base = c.Live()
	done = spawn(t, func() {
		ctx := s.Set(context.Background(), keyA, 1)
		ctx = s.Set(ctx, keyB, 2)
		r.Release(ctx)
		expectView(t, s, context.Background(), view{}, "Release forgets every binding of the calling goroutine")
	})
	if !await(t, done, "the end of a goroutine that Sets and Releases") {
		return
	}
	if got, ok := settle(t, c, base); !ok {
		t.Errorf("Live() = %d after a goroutine Set outside any scope, called Release and exited; want %d: Release forgets every binding of the calling goroutine", got, base)
	}
}
