package harness

import (
	"context"
	"errors"
	"iter"

	"github.com/localbench/localbench/strategies"
)

// The cases about iterators: a range loop, iter.Pull, strategies.Pull and
// strategies.ScopeSeq.

func runPlainPullIsolated(t T, s strategies.Store, _ func() strategies.Store) {
	explicit := !s.Info().Implicit
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, "caller")
		seq := func(yield func(bool) bool) {
			expectView(t, s, context.Background(), view{}, "an iterator pulled with a plain iter.Pull runs on a goroutine of its own, which never sees another goroutine's bindings")
			if explicit {
				expectView(t, s, ctx, view{keyA: "caller"}, "an explicit store's iterator pulled with iter.Pull finds the bindings of the ctx it closes over")
			} else {
				expectView(t, s, ctx, view{}, "an implicit store's iterator pulled with iter.Pull sees nothing of the caller's, whatever ctx it reads through")
			}
			yield(true)
		}
		next, stop := iter.Pull(seq)
		defer stop()
		if _, ok := next(); !ok {
			t.Errorf("next() of an iterator that yields once = _, false; want true")
		}
		expectView(t, s, ctx, view{keyA: "caller"}, "pulling an iterator changes nothing of the caller's bindings")
	})
}

// pulled returns an iterator for strategies.Pull that checks, on its first
// step, that it sees want (the bindings at the Pull call), then binds keyB
// to mine and yields keyB's value n times, checking before each yield
// after the first that its own binding held while the caller and other
// iterators ran.
func pulled(t T, s strategies.Store, ctx context.Context, want view, mine string, n int) iter.Seq[any] {
	return func(yield func(any) bool) {
		expectView(t, s, ctx, want, "a pulled iterator starts with the bindings of the goroutine that called Pull, as they were at the call")
		ctx := s.Set(ctx, keyB, mine)
		for i := range n {
			if i > 0 {
				expectGet(t, s, ctx, keyB, mine, true, "a pulled iterator keeps its own bindings between steps, whatever the caller and other pulled iterators bind")
			}
			v, _ := s.Get(ctx, keyB)
			if !yield(v) {
				return
			}
		}
	}
}

func runPullKeepsBindings(t T, s strategies.Store, _ func() strategies.Store) {
	c, counts := s.(strategies.Counter)
	base := 0
	if counts {
		base = c.Live()
	}
	body := spawn(t, func() {
		inScope(s, func(ctx context.Context) {
			ctx = s.Set(ctx, keyA, "caller")
			ctx = s.Set(ctx, keyB, "caller-b")
			atCall := view{keyA: "caller", keyB: "caller-b"}
			next1, stop1 := strategies.Pull(ctx, s, pulled(t, s, ctx, atCall, "first", 3))
			defer stop1()
			next2, stop2 := strategies.Pull(ctx, s, pulled(t, s, ctx, atCall, "second", 3))
			defer stop2()
			// Changed after the calls to Pull, before the first step:
			// the iterators must not see it.
			ctx = s.Set(ctx, keyA, "changed")
			after := view{keyA: "changed", keyB: "caller-b"}
			for step := range 3 {
				for _, it := range []struct {
					next func() (any, bool)
					want string
				}{{next1, "first"}, {next2, "second"}} {
					v, ok := it.next()
					if !ok || !sameValue(v, it.want) {
						t.Errorf("step %d of a pulled iterator = %s; want %s: two pulled iterators stepped in turn each keep their own value", step, show(v, ok), show(it.want, true))
					}
					expectView(t, s, ctx, after, "stepping a pulled iterator changes nothing of the caller's bindings")
				}
			}
			for _, next := range []func() (any, bool){next1, next2} {
				if v, ok := next(); ok {
					t.Errorf("a pulled iterator after its last value = %s; want nil, false", show(v, ok))
				}
			}
			// Stopped before its first step: the iterator never runs.
			_, stop3 := strategies.Pull(ctx, s, pulled(t, s, ctx, after, "never", 1))
			stop3()
			expectView(t, s, ctx, after, "the caller's bindings are unchanged after its pulled iterators ended")
		})
	})
	if !await(t, body, "the end of the goroutine that pulls") || !counts {
		return
	}
	if got, ok := settle(t, c, base); !ok {
		t.Errorf("Live() = %d after pulled iterators ended and the outermost Scope returned; want %d: a pulled iterator leaves nothing behind", got, base)
	}
}

func runPull2(t T, s strategies.Store, _ func() strategies.Store) {
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, "caller")
		seq := func(yield func(*strategies.Key, any) bool) {
			ctx := s.Set(ctx, keyB, "pulled")
			for _, k := range []*strategies.Key{keyA, keyB} {
				v, _ := s.Get(ctx, k)
				if !yield(k, v) {
					return
				}
			}
		}
		next, stop := strategies.Pull2(ctx, s, seq)
		defer stop()
		for _, want := range []struct {
			k *strategies.Key
			v string
		}{{keyA, "caller"}, {keyB, "pulled"}} {
			k, v, ok := next()
			if k != want.k || !sameValue(v, want.v) || !ok {
				t.Errorf("next() = %s, %s, %t; want %s, %s, true: a Seq2 pulled with Pull2 sees the caller's bindings and its own", keyName(k), showValue(v), ok, keyName(want.k), showValue(want.v))
			}
		}
		expectView(t, s, ctx, view{keyA: "caller"}, "a Seq2 pulled with Pull2 binds nothing of the caller's")
	})
}

// scopedItems is an iterator written with strategies.ScopeSeq: it binds keyA
// and keyC in its own scope and yields 0, 1, 2, …, n-1, checking after each
// yield that it still sees exactly its own bindings.
func scopedItems(t T, s strategies.Store, ctx context.Context, n int) iter.Seq[int] {
	return strategies.ScopeSeq(ctx, s, func(ctx context.Context, yield func(int) bool) {
		ctx = s.Set(ctx, keyA, "iterator")
		ctx = s.Set(ctx, keyC, "iterator-c")
		own := s.Snapshot(ctx)
		if v, ok := own[keyA]; !ok || v != "iterator" {
			t.Errorf("Snapshot() in an iterator written with ScopeSeq = %s; want harness.a bound to \"iterator\": the iterator sees what it bound", showView(own))
		}
		for i := range n {
			if !yield(i) {
				return
			}
			expectView(t, s, ctx, own, "an iterator written with ScopeSeq sees its own bindings after each yield, not the loop body's")
		}
	})
}

func runScopeSeq(t T, s strategies.Store, _ func() strategies.Store) {
	implicit := s.Info().Implicit
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, "caller")
		ctx = s.Set(ctx, keyB, "caller-b")
		mine := view{keyA: "caller", keyB: "caller-b"}
		plain := func(yield func(int) bool) {
			for i := range 2 {
				expectView(t, s, ctx, mine, "a range-over-func iterator runs on the loop's goroutine and sees the caller's bindings")
				if !yield(i) {
					return
				}
			}
		}
		for range plain {
			expectView(t, s, ctx, mine, "a range loop body sees the caller's bindings")
		}

		for i := range scopedItems(t, s, ctx, 3) {
			if implicit {
				// An implicit store's loop body reads through any ctx;
				// an explicit one's loop body keeps its own ctx.
				expectView(t, s, context.Background(), mine, "a loop body over an iterator written with ScopeSeq sees the caller's bindings, including its own earlier Sets, not the iterator's")
			}
			expectView(t, s, ctx, mine, "a loop body over an iterator written with ScopeSeq sees the caller's bindings, including its own earlier Sets, not the iterator's")
			ctx = s.Set(ctx, keyD, i)
			ctx = s.Delete(ctx, keyB)
			mine[keyD] = i
			delete(mine, keyB)
		}
		expectView(t, s, ctx, view{keyA: "caller", keyD: 2}, "what a loop body over an iterator written with ScopeSeq binds stays bound after the loop")

		for i := range scopedItems(t, s, ctx, 5) {
			ctx = s.Set(ctx, keyW, i)
			if i == 1 {
				break
			}
		}
		expectView(t, s, ctx, view{keyA: "caller", keyD: 2, keyW: 1}, "a loop body that breaks out of an iterator written with ScopeSeq keeps what it bound")

		boom := errors.New("boom")
		got := catch(func() {
			for range scopedItems(t, s, ctx, 3) {
				panic(boom)
			}
		})
		if got != boom {
			t.Errorf("a loop body over an iterator written with ScopeSeq panicked with %v, and its caller recovered %v; want %v", boom, got, boom)
		}
		expectView(t, s, ctx, view{keyA: "caller", keyD: 2, keyW: 1}, "a panic in a loop body over an iterator written with ScopeSeq leaves the caller's bindings, not the iterator's")
	})
}

func runScopeSeq2(t T, s strategies.Store, _ func() strategies.Store) {
	inScope(s, func(ctx context.Context) {
		ctx = s.Set(ctx, keyA, "caller")
		seq := strategies.ScopeSeq2(ctx, s, func(ctx context.Context, yield func(int, string) bool) {
			ctx = s.Set(ctx, keyA, "iterator")
			for i := range 2 {
				v, _ := s.Get(ctx, keyA)
				if !yield(i, v.(string)) {
					return
				}
			}
		})
		for i, v := range seq {
			if v != "iterator" {
				t.Errorf("value %d yielded by an iterator written with ScopeSeq2 = %q; want %q: it yields from inside its own scope", i, v, "iterator")
			}
			expectView(t, s, ctx, view{keyA: "caller"}, "a loop body over an iterator written with ScopeSeq2 sees the caller's bindings, not the iterator's")
		}
	})
}
