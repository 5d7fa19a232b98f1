package gls_test

import (
	"context"
	"fmt"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/gls"
)

func Example() {
	store := gls.New()
	defer store.Close()
	requestID := strategies.NewKey("request-id")

	// log takes no context: gls finds the value on the goroutine's stack.
	log := func(msg string) {
		id, _ := store.Get(context.Background(), requestID)
		fmt.Println(id, msg)
	}

	store.Scope(context.Background(), func(ctx context.Context) {
		store.Set(ctx, requestID, "r-42")
		log("serving")
		store.Scope(ctx, func(ctx context.Context) {
			store.Set(ctx, requestID, "r-42/retry")
			log("retrying")
		})
		log("done")
	})
	log("outside any scope")
	// Output:
	// r-42 serving
	// r-42/retry retrying
	// r-42 done
	// <nil> outside any scope
}
