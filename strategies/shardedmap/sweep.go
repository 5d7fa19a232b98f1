package shardedmap

import (
	"slices"
	"time"

	"github.com/localbench/localbench/strategies/internal/gstate"
)

// An Option configures a Store made by New.
type Option = gstate.Option

// SweepEvery makes the store Sweep every d on a goroutine of its own, until
// Close. It panics with an error wrapping strategies.ErrBadOption if d is
// not positive.
func SweepEvery(d time.Duration) Option {
	return gstate.SweepEvery(name, d)
}

// SweepOnGrowth makes the store Sweep, on a goroutine of its own, when the
// number of goroutines holding entries may have doubled since the last
// sweep. When exactly, and what the check costs, is the same for mapid and
// shardedmap and is written once, at SweepOnGrowth in
// strategies/internal/gstate/sweep.go.
func SweepOnGrowth() Option {
	return gstate.SweepOnGrowth()
}

// AppendEntries appends every entry to dst, shard by shard, each under its
// shard's lock.
func (t *byID) AppendEntries(dst []gstate.Entry) []gstate.Entry {
	dst = slices.Grow(dst, (*Store)(t).Live())
	for i := range t.shards {
		dst = t.shards[i].appendEntries(dst)
	}
	return dst
}

// Drop removes the entries of dead still mapped to their listed states,
// each under its shard's lock, leaving tombstones as Release does.
func (t *byID) Drop(dead []gstate.Entry) int {
	n := 0
	for _, e := range dead {
		h := hash(e.ID)
		if t.shards[h>>shardShift].removeIf(h, e.ID, e.State) {
			n++
		}
	}
	return n
}

// Sweep drops the entries of goroutines that have exited, and returns how
// many it dropped. It is for programs whose goroutines Set outside any Scope
// and exit without Release (Info().Leaks): it reclaims what they left
// behind. It never drops the entry of a live goroutine; it lists every
// goroutine with runtime.Stack, which stops the world for a time that grows
// with the number of goroutines and their depth (10 000 goroutines ten
// calls deep: about 80 ms), so call it at intervals (SweepEvery,
// SweepOnGrowth), not per request. Why it is safe, the goroutines it cannot
// see (finalizers, cleanups, cgo callbacks between calls) and its cost are
// the same for mapid and shardedmap and are written once, at Sweeper.Sweep
// in strategies/internal/gstate/sweep.go.
//
// Sweeps run one at a time. Get, Set and the rest go on during one, except
// while the world is stopped for the dump: a sweep takes each shard's lock
// (which only inserting and removing an entry take) to list
// its entries and to drop the dead ones, leaving tombstones as Release
// does. Get never waits for it.
func (s *Store) Sweep() int {
	return s.sweeper.Sweep(s.table(), s.bg)
}

// Close stops the background sweeps that New's options started and waits
// for a running one to end. Sweep may still be called after it. Close
// returns nil; it does nothing on a store made without options, or when
// called again. A store dropped without Close is collected all the same, and
// its background sweeps then stop.
func (s *Store) Close() error {
	s.bg.Close()
	return nil
}
