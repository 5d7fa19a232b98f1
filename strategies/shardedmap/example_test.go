package shardedmap_test

import (
	"context"
	"fmt"
	"runtime"
	"time"

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
			strategies.Go(ctx, store, func(ctx context.Context) {
				defer close(done)
				fmt.Println(logLine("in a child goroutine"))
			})
			<-done
		})
	}

	handle(context.Background(), "r-42")
	fmt.Println(logLine("after the request"))
	// The child's copy is released just after its function returns, a
	// moment after it closed done: wait for that before counting.
	for store.Live() > 0 {
		runtime.Gosched()
	}
	fmt.Println("live:", store.Live())
	// Output:
	// [r-42] start
	// [r-42] in a child goroutine
	// [-] after the request
	// live: 0
}

// Sweep reclaims what goroutines that exited without Release left behind,
// for code that cannot be changed to call Release.
func ExampleStore_Sweep() {
	store := shardedmap.New()
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
	store := shardedmap.New(shardedmap.SweepEvery(time.Minute), shardedmap.SweepOnGrowth())
	defer store.Close()

	store.Set(context.Background(), strategies.NewKey("user"), "ada")
	fmt.Println("live:", store.Live())
	// Output:
	// live: 1
}
