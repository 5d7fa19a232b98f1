// Package httpscope is net/http middleware that serves each request in a
// scope of its own of a strategies.Store, with values taken from the
// request bound for the handler.
//
// Use it to give every request its request id, tenant or user, found by the
// code the handler calls: with an implicit strategy (mapid, shardedmap,
// gls) from any context on the handler's goroutine, context.Background()
// included, and with ctxvalue through r.Context(), which the handler is
// given with the bindings in it. Whatever the request binds, in bind, in the
// handler or in its callees, is undone when the handler returns or panics,
// so nothing is left in the store after a request, and a connection's next
// request, served on the same goroutine, starts clean.
//
// The middleware does not recover panics: a handler's panic, with the value
// it panicked with (http.ErrAbortHandler included), reaches the server or
// the middleware around this one after the scope has been undone, and
// http.Server recovers and logs it as it does for any handler.
//
// Goroutines the handler starts inherit the request's bindings only when
// started with strategies.Go or through Store.Wrap.
package httpscope

import (
	"context"
	"fmt"
	"net/http"

	"github.com/localbench/localbench/strategies"
)

// BindFunc binds the values a request carries, as in
//
//	func(ctx context.Context, r *http.Request) context.Context {
//		return requestID.Set(ctx, r.Header.Get("X-Request-Id"))
//	}
//
// It runs inside the request's scope, on the goroutine that serves the
// request, and returns the context to continue with; the handler is given
// r with that context when it differs from r.Context().
type BindFunc func(ctx context.Context, r *http.Request) context.Context

// Handler returns a handler that serves each request by running bind and
// then next in a new Scope of s, begun from r.Context(). bind may be nil:
// each request then only gets a scope of its own. A nil s panics with an
// error wrapping strategies.ErrNilStore, a nil next with one wrapping
// strategies.ErrNilFunc.
//
// A request costs a Scope of s, bind, and, where the context changes
// (ctxvalue), an http.Request.WithContext.
func Handler(s strategies.Store, bind BindFunc, next http.Handler) http.Handler {
	if s == nil {
		panic(fmt.Errorf("httpscope.Handler: %w", strategies.ErrNilStore))
	}
	if next == nil {
		panic(fmt.Errorf("httpscope.Handler: nil handler: %w", strategies.ErrNilFunc))
	}
	return &handler{s: s, bind: bind, next: next}
}

// Middleware returns Handler(s, bind, next) as a func of next, for routers
// that chain middleware.
func Middleware(s strategies.Store, bind BindFunc) func(next http.Handler) http.Handler {
	if s == nil {
		panic(fmt.Errorf("httpscope.Middleware: %w", strategies.ErrNilStore))
	}
	return func(next http.Handler) http.Handler { return Handler(s, bind, next) }
}

type handler struct {
	s    strategies.Store
	bind BindFunc
	next http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.s.Scope(r.Context(), func(ctx context.Context) {
		if h.bind != nil {
			ctx = h.bind(ctx, r)
		}
		if ctx != r.Context() {
			r = r.WithContext(ctx)
		}
		h.next.ServeHTTP(w, r)
	})
}
