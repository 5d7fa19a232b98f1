//go:build race

package shardedmap_test

// raceEnabled is true when the race detector is on; it changes allocation
// sizes, so memory budgets are not checked then.
const raceEnabled = true
