// Package benchkit holds what localbench's workload bodies use besides a
// contestant's own operations: the values they bind, the failure reports,
// the fixtures that park goroutines or run a pool worker, and the sizes
// every contestant shares.
//
// It is exported because the bodies are copied, one specialized copy per
// contestant type, into more than one package (package harness and the
// peers module, see package harness's doc and cmd benchgen), and every copy
// must use the same helpers. It is not meant for other use.
package benchkit

import (
	"fmt"
	"testing"
)

// Sizes shared by every contestant's copy of the workloads.
const (
	// MaxBindings is the largest number of keys a workload binds at once.
	MaxBindings = 64
	// MissKey is the position of the key no workload ever binds, which
	// get-miss reads. Key positions run from 0 to MissKey.
	MissKey = MaxBindings
	// ScopeKeys and ScopeReads are the scope workload's sizes: keys bound
	// in each scope, and Gets made in it.
	ScopeKeys  = 3
	ScopeReads = 10
	// SpawnBindings is how many keys the parent binds in spawn, wrap,
	// memory and leak.
	SpawnBindings = 4
	// ParallelCycle is the length of the parallel workloads' read/write
	// pattern.
	ParallelCycle = 100
)

// Values returns n distinct values to bind, each a *int: pointers, so that
// storing them in an interface allocates nothing and a benchmark counts only
// the contestant's own allocations.
func Values(n int) []any {
	vals := make([]any, n)
	for i := range vals {
		vals[i] = new(int)
	}
	return vals
}

// Want returns vals[i] as the *int it is. A body compares what Get returns
// with it: comparing an interface with a *int is two word compares, where
// comparing two interfaces calls the runtime's efaceeq (some 30
// instructions, more than a floor's whole Get).
func Want(vals []any, i int) *int { return vals[i].(*int) }

// Wants returns Want(vals, i) for every i.
func Wants(vals []any) []*int {
	ws := make([]*int, len(vals))
	for i := range vals {
		ws[i] = Want(vals, i)
	}
	return ws
}

// FailGet fails b: a Get returned got, ok where it should have returned
// want, true. Bodies compare inline and call it only on a mismatch.
func FailGet(b testing.TB, got any, ok bool, want *int) {
	b.Helper()
	b.Fatalf("Get = %v, %t; want %v, true", got, ok, want)
}

// FailMiss fails b: a Get of an unbound key returned got, true.
func FailMiss(b testing.TB, got any) {
	b.Helper()
	b.Fatalf("Get of an unbound key = %v, true; want nil, false", got)
}

// ErrorGet reports on a goroutine other than the benchmark's that a Get
// returned got, ok where it should have returned want, true; the goroutine
// then returns.
func ErrorGet(b testing.TB, where string, got any, ok bool, want *int) {
	b.Helper()
	b.Errorf("%s: Get = %v, %t; want %v, true", where, got, ok, want)
}

// Descend calls fn(x) with n frames of its own between its caller and fn,
// for n >= 1. It is not inlined, so each level is a real frame: what a
// stack-walking strategy pays for.
//
//go:noinline
func Descend[T any](n int, x T, fn func(T)) {
	if n > 1 {
		Descend(n-1, x, fn)
		return
	}
	fn(x)
}

// RowNames returns "key=n" for each n.
func RowNames(key string, ns []int) []string {
	rows := make([]string, len(ns))
	for i, n := range ns {
		rows[i] = fmt.Sprintf("%s=%d", key, n)
	}
	return rows
}
