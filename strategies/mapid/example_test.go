package mapid_test

import (
	"context"
	"fmt"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/mapid"
)

func Example() {
	store := mapid.New()
	requestID := strategies.NewKey("request-id")

	store.Scope(context.Background(), func(ctx context.Context) {
		ctx = store.Set(ctx, requestID, "r-42")

		// A callee finds the value without being handed it: mapid is implicit.
		v, _ := store.Get(context.Background(), requestID)
		fmt.Println("callee sees", v)

		// A child started by strategies.Go gets a copy of the bindings.
		done := make(chan struct{})
		strategies.Go(store, ctx, func(ctx context.Context) {
			defer close(done)
			v, _ := store.Get(ctx, requestID)
			fmt.Println("child sees", v)
		})
		<-done
	})

	_, ok := store.Get(context.Background(), requestID)
	fmt.Println("bound after the scope:", ok)
	fmt.Println("goroutines holding bindings:", store.Live())
	// Output:
	// callee sees r-42
	// child sees r-42
	// bound after the scope: false
	// goroutines holding bindings: 0
}

// A goroutine started with a plain go statement that Sets outside any scope
// leaves its entry behind when it exits, unless it calls Release.
func ExampleStore_Release() {
	store := mapid.New()
	user := strategies.NewKey("user")

	done := make(chan struct{})
	go func() {
		defer close(done)
		ctx := store.Set(context.Background(), user, "ada")
		store.Release(ctx) // usually deferred
	}()
	<-done
	fmt.Println("after Release:", store.Live())

	done = make(chan struct{})
	go func() {
		defer close(done)
		store.Set(context.Background(), user, "ada")
	}()
	<-done
	fmt.Println("without Release:", store.Live())
	// Output:
	// after Release: 0
	// without Release: 1
}
