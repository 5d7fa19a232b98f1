package mapid_test

import (
	"context"
	"fmt"
	"runtime"
	"time"

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
		strategies.Go(ctx, store, func(ctx context.Context) {
			defer close(done)
			v, _ := store.Get(ctx, requestID)
			fmt.Println("child sees", v)
		})
		<-done
	})

	_, ok := store.Get(context.Background(), requestID)
	fmt.Println("bound after the scope:", ok)
	// The child's copy is released just after its function returns, a
	// moment after it closed done: wait for that before counting.
	for store.Live() > 0 {
		runtime.Gosched()
	}
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

// Sweep reclaims what goroutines that exited without Release left behind,
// for code that cannot be changed to call Release.
func ExampleStore_Sweep() {
	store := mapid.New()
	user := strategies.NewKey("user")

	for range 3 {
		done := make(chan struct{})
		go func() {
			defer close(done)
			store.Set(context.Background(), user, "ada") // no Release
		}()
		<-done
	}
	fmt.Println("left behind:", store.Live())

	// A goroutine that has closed done may not have exited yet: sweep
	// until its entry is gone. A server sweeps at intervals instead.
	dropped := 0
	for store.Live() > 0 {
		dropped += store.Sweep()
	}
	fmt.Println("dropped:", dropped, "left:", store.Live())
	// Output:
	// left behind: 3
	// dropped: 3 left: 0
}

// A server whose goroutines may exit without Release sweeps in the
// background, and stops the sweeps with Close.
func ExampleSweepEvery() {
	store := mapid.New(mapid.SweepEvery(time.Minute), mapid.SweepOnGrowth())
	defer store.Close()

	store.Set(context.Background(), strategies.NewKey("user"), "ada")
	fmt.Println("live:", store.Live())
	// Output:
	// live: 1
}
