package httpscope_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/httpscope"
	"github.com/localbench/localbench/strategies/shardedmap"
)

func ExampleMiddleware() {
	store := shardedmap.New()
	requestID := strategies.NewVar[string](store, "request-id")

	// logLine stands for code deep in a handler that takes no context.
	logLine := func(msg string) string {
		return fmt.Sprintf("[%s] %s", requestID.Get(context.Background()), msg)
	}
	withRequestID := httpscope.Middleware(store, func(ctx context.Context, r *http.Request) context.Context {
		return requestID.Set(ctx, r.Header.Get("X-Request-Id"))
	})
	handler := withRequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, logLine("hello"))
	}))

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("X-Request-Id", "r-42")
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	fmt.Print(rec.Body.String())
	fmt.Println("entries left:", store.Live())
	// Output:
	// [r-42] hello
	// entries left: 0
}
