package strategies

import (
	"context"
	"iter"
)

// Pull is iter.Pull for iterators that read values from s: seq runs with
// the bindings visible on the calling goroutine now, captured as s.Wrap
// captures them, whichever goroutine calls next, and what seq binds stays
// its own (each pulled iterator has its own bindings, and the caller's are
// never changed). seq is an iter.Seq and is given no context: with ctxvalue
// it reads the values through a ctx it closes over.
//
// As with iter.Pull, call stop (usually deferred) unless next has reported
// the end: the coroutine, and the copy of the bindings it holds, live until
// then. A nil seq panics at the call with an error wrapping ErrNilFunc,
// a nil s with one wrapping ErrNilStore.
func Pull[V any](ctx context.Context, s Store, seq iter.Seq[V]) (next func() (V, bool), stop func()) {
	if s == nil || seq == nil {
		badArgs(s, "Pull")
	}
	var yield func(V) bool
	run := s.Wrap(ctx, func(context.Context) { seq(yield) })
	return iter.Pull(func(y func(V) bool) {
		yield = y // on the coroutine, before run reads it there
		run()
	})
}

// Pull2 is Pull for an iter.Seq2.
func Pull2[K, V any](ctx context.Context, s Store, seq iter.Seq2[K, V]) (next func() (K, V, bool), stop func()) {
	if s == nil || seq == nil {
		badArgs(s, "Pull2")
	}
	var yield func(K, V) bool
	run := s.Wrap(ctx, func(context.Context) { seq(yield) })
	return iter.Pull2(func(y func(K, V) bool) {
		yield = y
		run()
	})
}

// ScopeSeq returns an iterator that runs body in a Scope of s of its own,
// begun from ctx, and hands body a yield that runs the loop body with the
// caller's bindings: the loop body sees the bindings of the code around the
// loop, not body's, and what the loop body binds stays bound after the loop,
// as it would in a plain loop; body, after each yield, sees its own
// bindings again, not the loop body's. body stops when yield returns false,
// as any iterator does.
//
// With an implicit store each yield costs a nested Scope and two Snapshots,
// and rebinding the keys that differ between the two sides. With an explicit
// store (ctxvalue) the two sides already keep their own bindings in their
// own contexts, and yield is the loop body itself.
//
// The loop body runs inside a scope, so with a store that needs one (gls)
// its Sets succeed even when the loop itself is outside any scope; they are
// made again at the caller's level when the iterator ends, and panic there
// with ErrNoScope, as they would have without ScopeSeq.
//
// A nil body panics at the call with an error wrapping ErrNilFunc, a nil s
// with one wrapping ErrNilStore.
func ScopeSeq[V any](ctx context.Context, s Store, body func(ctx context.Context, yield func(V) bool)) iter.Seq[V] {
	if s == nil || body == nil {
		badArgs(s, "ScopeSeq")
	}
	return func(yield func(V) bool) {
		scopeIter(ctx, s, func(ctx context.Context, step func(func())) {
			body(ctx, func(v V) bool {
				more := false
				step(func() { more = yield(v) })
				return more
			})
		})
	}
}

// ScopeSeq2 is ScopeSeq for an iter.Seq2.
func ScopeSeq2[K, V any](ctx context.Context, s Store, body func(ctx context.Context, yield func(K, V) bool)) iter.Seq2[K, V] {
	if s == nil || body == nil {
		badArgs(s, "ScopeSeq2")
	}
	return func(yield func(K, V) bool) {
		scopeIter(ctx, s, func(ctx context.Context, step func(func())) {
			body(ctx, func(k K, v V) bool {
				more := false
				step(func() { more = yield(k, v) })
				return more
			})
		})
	}
}

// scopeIter runs body in a Scope of s; body runs each loop body through
// step, which runs it with the caller's bindings and remembers what they
// became. When body ends (also by a panic or runtime.Goexit in either side),
// the caller's level is given the loop body's bindings.
func scopeIter(ctx context.Context, s Store, body func(ctx context.Context, step func(loop func()))) {
	if !s.Info().Implicit {
		body(ctx, func(loop func()) { loop() })
		return
	}
	caller := s.Snapshot(ctx) // the loop's side, as the loop body left it
	stepped := false
	defer func() {
		if stepped {
			// The iterator's Scope has ended: this is the caller's
			// level again, where the loop body's bindings belong.
			become(s, ctx, caller)
		}
	}()
	s.Scope(ctx, func(ctx context.Context) {
		body(ctx, func(loop func()) {
			s.Scope(ctx, func(ctx context.Context) {
				defer func() {
					caller = s.Snapshot(ctx)
					stepped = true
				}()
				become(s, ctx, caller)
				loop()
			})
		})
	})
}

// become changes the bindings visible here into exactly want, touching only
// the keys that differ, so that it binds nothing (and needs no scope) when
// nothing differs.
func become(s Store, ctx context.Context, want map[*Key]any) {
	have := s.Snapshot(ctx)
	for k := range have {
		if _, ok := want[k]; !ok {
			ctx = s.Delete(ctx, k)
		}
	}
	for k, v := range want {
		if old, ok := have[k]; !ok || !same(old, v) {
			ctx = s.Set(ctx, k, v)
		}
	}
}

// same reports whether a and b are the same value: equal with ==, false
// where == would panic (values of a type that is not comparable).
func same(a, b any) (eq bool) {
	defer func() {
		if recover() != nil {
			eq = false
		}
	}()
	return a == b
}
