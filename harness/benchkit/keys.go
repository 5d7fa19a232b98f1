package benchkit

import (
	"sync"

	"github.com/localbench/localbench/strategies"
)

// KeyCounts are the rows of the key sweeps: how many keys the sweep has
// made in the process before a row's bound key.
var KeyCounts = []int{10, 100, 1000, 10000}

// KeyRow is one row's keys in the key sweeps.
type KeyRow struct {
	// Keys is the row's KeyCounts entry.
	Keys int
	// Bound is the key the row binds, made after at least Keys others.
	Bound *strategies.Key
	// Miss is a key made right after Bound, never bound.
	Miss *strategies.Key
}

// SweepKeys returns the key sweeps' keys: low, made before any of the
// others (the spread sweep binds it with a row's Bound, far apart), and
// one KeyRow per KeyCounts entry. They are made on the first call, in
// KeyCounts order, with filler keys in between, so that every contestant's
// rows bind the same keys; keys only ever accumulate in a process, so each
// count is a lower bound (the program's own keys come on top).
func SweepKeys() (low *strategies.Key, rows []KeyRow) {
	k := sweepKeys()
	return k.low, k.rows
}

var sweepKeys = sync.OnceValue(func() (k struct {
	low  *strategies.Key
	rows []KeyRow
}) {
	k.low = strategies.NewKey("sweep.low")
	made := 1
	for _, n := range KeyCounts {
		for ; made < n; made++ {
			strategies.NewKey("sweep.filler")
		}
		k.rows = append(k.rows, KeyRow{
			Keys:  n,
			Bound: strategies.NewKey("sweep.bound"),
			Miss:  strategies.NewKey("sweep.miss"),
		})
		made += 2
	}
	return k
})
