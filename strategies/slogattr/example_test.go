package slogattr_test

import (
	"context"
	"log/slog"
	"os"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/shardedmap"
	"github.com/localbench/localbench/strategies/slogattr"
)

func Example() {
	store := shardedmap.New()
	requestID := strategies.NewVar[string](store, "request_id")
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slogattr.New(
		slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime}),
		slogattr.Var(requestID),
	)))

	// charge stands for code deep in a request that takes no context and
	// logs with the default logger.
	charge := func(cents int) { slog.Info("charged", "cents", cents) }

	store.Scope(context.Background(), func(ctx context.Context) {
		ctx = requestID.Set(ctx, "r-42")
		charge(250)
	})
	charge(100)
	// Output:
	// level=INFO msg=charged cents=250 request_id=r-42
	// level=INFO msg=charged cents=100
}
