//lint:file-ignore U1000 the generic bodies (and their constraints) run through their per-contestant copies, which go generate writes with cmd benchgen

package harness

import (
	"context"
	"strconv"
	"testing"

	"github.com/localbench/localbench/harness/benchkit"
)

// workloadRetainGoroutines is how many goroutines one batch of the memory and
// leak workloads starts.
func workloadRetainGoroutines() int {
	if testing.Short() {
		return 100
	}
	return 5000
}

// BenchMemory measures the memory a store holds for a goroutine that holds 4
// bindings. One operation starts a batch of goroutines that each enter a
// Scope (raw contestants: Enter), bind 4 keys and park on a channel; the
// metric B/goroutine is the live heap after a GC with the batch parked, less
// the same for a batch of goroutines that park with no bindings, divided by
// the batch size and averaged over the batches. The bound values are
// pointers allocated once and shared by every goroutine, so the figure is
// the store's own overhead (entries, maps, nodes, frames), not the values'.
// Goroutine stacks are not heap and are not counted: a store that deepens
// the stack (gls's scopes) costs more than this shows. The time and
// allocation figures are per batch.
func BenchMemory(b *testing.B, cs []Contestant) {
	n := workloadRetainGoroutines()
	workload{
		name: WorkloadMemory,
		rows: []string{"bindings=4/goroutines=" + strconv.Itoa(n)},
		args: []int{n},
	}.run(b, cs)
}

//benchgen:workload memory
func benchMemory[C, K any, R readOps[C, K]](b *testing.B, r R, n int) {
	vals := benchkit.Values(benchkit.SpawnBindings)
	benchkit.BenchRetained(b, n,
		benchkit.ParkedBatch(n, benchkit.JustPark),
		benchkit.ParkedBatch(n, holdBound(r, vals)))
}

// BenchLeak measures the memory left behind by goroutines started with a
// plain go statement that bind 4 keys and exit without Release. One
// operation runs a batch of such goroutines to the end; the metric
// B/goroutine is the live heap after a GC, less the same for a batch of
// goroutines that bind nothing, per goroutine. A store whose Info().Leaks is
// false should come out at about 0. Stores whose Info().NeedsScope is true
// can bind only inside a Scope, so their goroutines bind in one (and leave
// it before exiting); raw contestants bind with Set outside any Enter.
func BenchLeak(b *testing.B, cs []Contestant) {
	n := workloadRetainGoroutines()
	workload{
		name: WorkloadLeak,
		rows: []string{"bindings=4/goroutines=" + strconv.Itoa(n)},
		args: []int{n},
	}.run(b, cs)
}

//benchgen:workload leak
func benchLeak[C, K any, R leakOps[C, K]](b *testing.B, r R, n int) {
	vals := benchkit.Values(benchkit.SpawnBindings)
	keys := keysOf(r, len(vals))
	setAll := func(c C) {
		for i, v := range vals {
			c = r.Set(c, keys[i], v)
		}
	}
	ctx := context.Background()
	bind := func() { r.Unscoped(ctx, setAll) }
	benchkit.BenchRetained(b, n, benchkit.ExitedBatch(n, func() {}), benchkit.ExitedBatch(n, bind))
}
