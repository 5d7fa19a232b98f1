package mapid

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

// SweepOnGrowth makes the store Sweep, on a goroutine of its own and never
// two at a time, when the number of goroutines holding entries may have
// doubled since the last sweep: once as many new entries have been made
// since then as that sweep left behind, or as there were goroutines then,
// whichever is more, and at least 1024. The check costs an atomic add and
// load on each goroutine's first Set (nothing on later Sets or on Get). It
// bounds the entries of exited goroutines by about the largest of those
// three numbers, and pays for each sweep, whose cost grows with the number
// of goroutines, with at least as many inserts.
func SweepOnGrowth() Option {
	return gstate.SweepOnGrowth()
}

// AppendEntries appends every entry to dst.
func (t *byID) AppendEntries(dst []gstate.Entry) []gstate.Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	dst = slices.Grow(dst, len(t.m))
	for id, st := range t.m {
		dst = append(dst, gstate.Entry{ID: id, State: st})
	}
	return dst
}

// Drop removes the entries of dead still mapped to their listed states.
func (t *byID) Drop(dead []gstate.Entry) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, e := range dead {
		if t.m[e.ID] == e.State {
			delete(t.m, e.ID)
			n++
		}
	}
	return n
}

// Sweep drops the entries of goroutines that have exited, and returns how
// many it dropped. It is for programs whose goroutines Set outside any Scope
// and exit without Release (Info().Leaks): it reclaims what they left
// behind. Sweeps run one at a time; Get, Set and the rest go on during one,
// except while the world is stopped for the dump, and while the sweep holds
// the map's lock to list the entries (for a time proportional to their
// number) and to drop the dead ones.
//
// It never drops the entry of a live goroutine, even one that Sets while it
// runs: it lists the entries first, then takes the ids of live goroutines
// from runtime.Stack(buf, true), and drops only listed entries whose
// goroutine is not in that dump. Such a goroutine existed before the dump
// (it made its entry) and is not in it, so it has exited, and goroutine ids
// are never reused. The exceptions are goroutines that live on while the
// dump leaves them out, and that reuse one id for many calls: the finalizer
// and cleanup goroutines between two finalizers or cleanups, and the
// goroutine of a thread made by C between two calls into Go. An entry that
// one such call left behind (it would be seen by the next call on that
// goroutine, which is a bug of its own) is dropped, even if the next call
// has just started to use it. Finalizers, cleanups and cgo callbacks that
// use Scope or Release leave no entry, and are safe.
//
// Cost: runtime.Stack stops the world while it formats the stack of every
// goroutine (not only those with entries), so a sweep takes time, and a
// pause, that grow with the number of goroutines and their depth: roughly
// a microsecond per goroutine plus half a microsecond per frame on its stack
// (10 000 goroutines ten calls deep: about 80 ms on a 2-core AMD EPYC), and
// a buffer of about 200 bytes plus 70 per frame per goroutine, allocated per
// sweep. The buffer's first size is guessed from the last sweep's dump, or
// from runtime.NumGoroutine on the first; a dump that does not fit is made
// again in a buffer twice as large. Call it at intervals (see SweepEvery
// and SweepOnGrowth), not per request.
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
