//lint:file-ignore U1000 the generic bodies (and their constraints) run through their per-contestant copies, which go generate writes with cmd benchgen

package harness

import (
	"context"
	"runtime"
	"testing"

	"github.com/localbench/localbench/harness/benchkit"
)

// workloadLives are the live workload's rows; short mode stops at 1000.
func workloadLives() []int {
	if testing.Short() {
		return []int{1, 1000}
	}
	return []int{1, 1000, 100000}
}

// BenchLive measures Get of a bound key while that many other goroutines
// hold a binding in the same store, which is what sizes a table keyed by
// goroutine id. The other goroutines are started, bind a key (in a Scope for
// stores, in Enter for raw contestants) and park on a channel before the
// first run of a sub-benchmark; every run of it (-count) uses the same store
// and goroutines, which are released and waited for after the last.
func BenchLive(b *testing.B, cs []Contestant) {
	lives := workloadLives()
	workload{name: WorkloadLive, rows: benchkit.RowNames("live", lives), args: lives}.run(b, cs)
}

//benchgen:workload live
func benchLive[C, K any, R readOps[C, K]](b *testing.B, r R, _ int) {
	getFirst(b, r, 1)
}

//benchgen:setup live
func setupLive[C, K any, R readOps[C, K]](r R, live int) (teardown func()) {
	return benchkit.ParkGoroutines(live, holdBound(r, benchkit.Values(1)))
}

// holdBound returns a newHold for benchkit.ParkGoroutines whose goroutines
// enter r's scope, bind vals and park.
func holdBound[C, K any, R readOps[C, K]](r R, vals []any) func(park func()) func() {
	return func(park func()) func() {
		body := func(c C) {
			c = r.Bound(c, vals)
			park()
			// An explicit store's bindings live as long as the context.
			runtime.KeepAlive(c)
		}
		ctx := context.Background()
		return func() { r.Enter(ctx, vals, body) }
	}
}
