// Package strategies defines the contract shared by every localbench
// strategy: the Store interface, Key, Info, the sentinel errors, the optional
// capabilities (Releaser, Counter, Spawner) and helpers built on top of any
// Store: Go, the typed accessor Var, WrapErr, and Pull and ScopeSeq for
// iterators.
//
// A strategy is one way to carry request-scoped or goroutine-local values in
// Go. The subpackages are the strategies:
//
//   - mapid: one mutex-guarded map keyed by goroutine id; the plain reference.
//   - shardedmap: goroutine-id keyed storage with lock-free reads.
//   - ctxvalue: bindings carried by context.Context; explicit and leak-free.
//   - gls: stack-tagged storage on github.com/jtolds/gls; implicit but scoped.
//
// All of them implement Store with the same semantics, proved by the shared
// conformance suite in package harness. Where their nature differs (whether a
// callee finds values without being handed a context, whether Set needs a
// scope, whether a goroutine that exits without Release leaves its entry
// behind), Info says so and the suite checks it.
//
// Code that holds values should use them through a Store value returned by a
// strategy's New, usually stored in a package variable next to the Keys:
//
//	var (
//		store     = shardedmap.New()
//		requestID = strategies.NewKey("request-id")
//	)
//
//	func handle(ctx context.Context) {
//		store.Scope(ctx, func(ctx context.Context) {
//			ctx = store.Set(ctx, requestID, "r-42")
//			serve(ctx)
//		})
//	}
//
// Writing ctx = store.Set(ctx, ...) and passing ctx along keeps code portable
// between explicit strategies (ctxvalue, where the returned context carries
// the binding) and implicit ones (where it is the same context).
//
// # Goroutines, pools and errgroup
//
// A goroutine started with a plain go statement inherits nothing. Start it
// with Go, or hand work to another goroutine (a pool worker) through a func
// made by Store.Wrap, which captures the bindings where it is called. For
// APIs that take a func() error, such as errgroup.Group.Go, WrapErr does
// the same.
//
// # Iterators
//
// A range-over-func loop runs the iterator on the loop's goroutine: the
// iterator sees the caller's bindings, in every strategy. Two things differ
// from plain calls:
//
//   - iter.Pull runs the iterator on a coroutine, a goroutine with an id of
//     its own. mapid, shardedmap and gls see none of the caller's bindings
//     there; ctxvalue sees what the ctx the iterator closes over carries.
//     Pull and Pull2 run the iterator with the caller's bindings, captured
//     at the call as Wrap captures them, and keep what it binds its own.
//   - An iterator that binds in a Scope of its own and yields from inside
//     that scope runs the loop body inside it. With an implicit strategy
//     the loop body then sees the iterator's bindings instead of its
//     caller's, and whatever the loop body binds is undone, silently, when
//     the iterator's scope ends. Write such an iterator with ScopeSeq or
//     ScopeSeq2, which restore the caller's bindings around each yield and
//     the iterator's after it.
//
// # Bad input
//
// Programming errors panic at the call with an error that names the
// strategy and the method and wraps a sentinel to test with errors.Is: a
// nil *Key (ErrNilKey), a nil func given to Scope, Wrap, Go or a helper
// (ErrNilFunc), a nil Store given to a helper (ErrNilStore), Set or Delete
// outside a scope in a strategy that needs one (ErrNoScope), a Var whose key
// holds another type (ErrWrongType).
package strategies
