// Package tiny has one small benchmark for the runner's valgrind tests.
package tiny

import (
	"fmt"
	"testing"
)

//go:noinline
func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

func BenchmarkSum(b *testing.B) {
	fmt.Println("workload: sum")
	for _, n := range []int{8, 64} {
		xs := make([]int, n)
		b.Run(fmt.Sprintf("strategy=loop/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if sum(xs) != 0 {
					b.Fatal("sum of zeros is not 0")
				}
			}
		})
	}
}
