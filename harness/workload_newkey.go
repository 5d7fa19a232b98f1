package harness

import (
	"testing"

	"github.com/localbench/localbench/harness/benchkit"
	"github.com/localbench/localbench/strategies"
)

// WorkloadNewKey is the name of the workload BenchNewKey runs.
const WorkloadNewKey = "newkey"

// workloadNewKeyCounts are the newkey workload's rows; short mode runs only
// the first.
func workloadNewKeyCounts() []int {
	if testing.Short() {
		return []int{1000}
	}
	return []int{1000, 100000}
}

// BenchNewKey measures strategies.NewKey: one operation makes that many
// keys, as sub-benchmark keys=N. It belongs to no contestant, so its names
// have no strategy= segment. Keys are never freed, so every operation
// leaves its keys in the process: run it after the other workloads (it is
// last in this package's and the peers module's benchmarks), and compare its
// rows knowing that each starts with all the keys made before it.
func BenchNewKey(b *testing.B) {
	printWorkload(WorkloadNewKey)
	counts := workloadNewKeyCounts()
	for i, name := range benchkit.RowNames("keys", counts) {
		n := counts[i]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for range n {
					strategies.NewKey("newkey")
				}
			}
		})
	}
}
