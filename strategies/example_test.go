package strategies_test

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/shardedmap"
)

func ExampleGo() {
	store := shardedmap.New()
	user := strategies.NewVar[string](store, "user")

	store.Scope(context.Background(), func(ctx context.Context) {
		ctx = user.Set(ctx, "ada")
		done := make(chan struct{})
		strategies.Go(ctx, store, func(ctx context.Context) {
			defer close(done)
			fmt.Println("child sees:", user.Get(ctx))
			user.Set(ctx, "grace") // the child's own copy
		})
		user.Set(ctx, "alan") // after the call: the child does not see it
		<-done
		fmt.Println("parent sees:", user.Get(ctx))
	})
	// Output:
	// child sees: ada
	// parent sees: alan
}

func ExampleStore_Scope() {
	store := shardedmap.New()
	user := strategies.NewVar[string](store, "user")

	store.Scope(context.Background(), func(ctx context.Context) {
		ctx = user.Set(ctx, "ada")
		store.Scope(ctx, func(ctx context.Context) {
			ctx = user.Set(ctx, "grace")
			fmt.Println("inside:", user.Get(ctx))
		})
		fmt.Println("after the inner scope:", user.Get(ctx))
	})
	_, ok := user.Lookup(context.Background())
	fmt.Println("after the outer scope, bound:", ok)
	// Output:
	// inside: grace
	// after the inner scope: ada
	// after the outer scope, bound: false
}

// A worker pool runs tasks on goroutines of its own; Wrap, called where the
// task is made, hands each task the bindings of the code that made it.
func ExampleStore_Wrap() {
	store := shardedmap.New()
	user := strategies.NewVar[string](store, "user")

	tasks := make(chan func())
	var wg sync.WaitGroup
	for range 2 { // the pool's workers
		wg.Go(func() {
			for task := range tasks {
				task()
			}
		})
	}

	var mu sync.Mutex
	var seen []string
	var submitted sync.WaitGroup
	for _, name := range []string{"ada", "grace", "alan"} {
		store.Scope(context.Background(), func(ctx context.Context) {
			ctx = user.Set(ctx, name)
			submitted.Add(1)
			tasks <- store.Wrap(ctx, func(ctx context.Context) {
				defer submitted.Done()
				mu.Lock()
				seen = append(seen, user.Get(ctx))
				mu.Unlock()
			})
		})
	}
	submitted.Wait()
	close(tasks)
	wg.Wait()
	slices.Sort(seen)
	fmt.Println(seen)
	// Output:
	// [ada alan grace]
}

func ExamplePull() {
	store := shardedmap.New()
	user := strategies.NewVar[string](store, "user")
	greetings := func(yield func(string) bool) {
		for _, g := range []string{"hello", "goodbye"} {
			if !yield(g + ", " + user.Get(context.Background())) {
				return
			}
		}
	}

	store.Scope(context.Background(), func(ctx context.Context) {
		ctx = user.Set(ctx, "ada")
		next, stop := strategies.Pull(ctx, store, greetings)
		defer stop()
		for {
			g, ok := next()
			if !ok {
				break
			}
			fmt.Println(g)
		}
	})
	// Output:
	// hello, ada
	// goodbye, ada
}

func ExampleScopeSeq() {
	store := shardedmap.New()
	user := strategies.NewVar[string](store, "user")
	step := strategies.NewVar[int](store, "step")

	// pages binds its own user while it works, and yields from inside
	// that scope; the loop body still sees the caller's user.
	pages := strategies.ScopeSeq(context.Background(), store, func(ctx context.Context, yield func(int) bool) {
		ctx = user.Set(ctx, "crawler")
		for page := 1; page <= 2; page++ {
			fmt.Printf("fetching page %d as %s\n", page, user.Get(ctx))
			if !yield(page) {
				return
			}
		}
	})

	store.Scope(context.Background(), func(ctx context.Context) {
		ctx = user.Set(ctx, "ada")
		for page := range pages {
			fmt.Printf("reading page %d as %s\n", page, user.Get(ctx))
			ctx = step.Set(ctx, page)
		}
		fmt.Println("last step:", step.Get(ctx))
	})
	// Output:
	// fetching page 1 as crawler
	// reading page 1 as ada
	// fetching page 2 as crawler
	// reading page 2 as ada
	// last step: 2
}

func ExampleVar() {
	store := shardedmap.New()
	tenant := strategies.NewVar[string](store, "tenant")
	attempts := strategies.NewVar(store, "attempts", strategies.WithDefault(func() int { return 1 }))

	store.Scope(context.Background(), func(ctx context.Context) {
		ctx = tenant.Set(ctx, "acme")
		name, ok := tenant.Lookup(ctx)
		fmt.Println(name, ok)
		fmt.Println("attempts:", attempts.Get(ctx)) // the default, not bound
		ctx = attempts.Set(ctx, attempts.Get(ctx)+1)
		fmt.Println("attempts:", attempts.Get(ctx))
	})
	_, ok := tenant.Lookup(context.Background())
	fmt.Println("after the scope:", ok)
	// Output:
	// acme true
	// attempts: 1
	// attempts: 2
	// after the scope: false
}

// A task made by WrapErr runs with the bindings of the code that made it,
// wherever it runs, and returns its error: what errgroup.Group.Go and
// other APIs that run a func() error elsewhere need, as in
// g.Go(strategies.WrapErr(ctx, store, task)).
func ExampleWrapErr() {
	store := shardedmap.New()
	user := strategies.NewVar[string](store, "user")

	store.Scope(context.Background(), func(ctx context.Context) {
		ctx = user.Set(ctx, "grace")
		task := strategies.WrapErr(ctx, store, func(ctx context.Context) error {
			return fmt.Errorf("%s's task failed", user.Get(ctx))
		})
		errc := make(chan error)
		go func() { errc <- task() }() // as errgroup.Group.Go does
		fmt.Println(<-errc)
	})
	// Output:
	// grace's task failed
}
