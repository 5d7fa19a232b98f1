package shardedmap_test

import (
	"context"
	"fmt"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/shardedmap"
)

var (
	store     = shardedmap.New()
	requestID = strategies.NewKey("request-id")
)

// logLine finds the request id without being handed a context that carries
// it: shardedmap's bindings are implicit.
func logLine(msg string) string {
	id, ok := store.Get(context.Background(), requestID)
	if !ok {
		id = "-"
	}
	return fmt.Sprintf("[%v] %s", id, msg)
}

func Example() {
	handle := func(ctx context.Context, id string) {
		// The scope undoes the binding when the request ends, so the
		// goroutine leaves nothing behind in the store.
		store.Scope(ctx, func(ctx context.Context) {
			ctx = store.Set(ctx, requestID, id)
			fmt.Println(logLine("start"))

			// A goroutine started with strategies.Go gets a copy.
			done := make(chan struct{})
			strategies.Go(store, ctx, func(ctx context.Context) {
				defer close(done)
				fmt.Println(logLine("in a child goroutine"))
			})
			<-done
		})
	}

	handle(context.Background(), "r-42")
	fmt.Println(logLine("after the request"))
	fmt.Println("live:", store.Live())
	// Output:
	// [r-42] start
	// [r-42] in a child goroutine
	// [-] after the request
	// live: 0
}
