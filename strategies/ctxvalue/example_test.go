package ctxvalue_test

import (
	"context"
	"fmt"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/ctxvalue"
)

func Example() {
	store := ctxvalue.New()
	requestID := strategies.NewKey("request-id")

	ctx := store.Set(context.Background(), requestID, "r-42")
	ctx, cancel := context.WithCancel(ctx) // foreign layers are fine
	defer cancel()

	serve := func(ctx context.Context) {
		id, ok := store.Get(ctx, requestID)
		fmt.Println("serve:", id, ok)
	}
	serve(ctx)
	serve(context.Background()) // explicit: a callee must be handed the ctx

	ctx = store.Delete(ctx, requestID)
	_, ok := store.Get(ctx, requestID)
	fmt.Println("after Delete:", ok)
	// Output:
	// serve: r-42 true
	// serve: <nil> false
	// after Delete: false
}
