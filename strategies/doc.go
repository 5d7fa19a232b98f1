// Package strategies defines the contract shared by every localbench
// strategy: the Store interface, Key, Info, the sentinel errors, the optional
// capabilities (Releaser, Counter) and helpers built on top of any Store (Go
// and the typed accessor Var).
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
package strategies
