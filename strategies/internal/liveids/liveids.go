// Package liveids tells which goroutines are alive, by id, from a dump of
// every goroutine's stack made by runtime.Stack(buf, true).
//
// That dump is the only supported way for a Go program to list its
// goroutines' ids: the goroutine profile carries stacks but no ids. It is
// expensive: runtime.Stack stops the world for as long as it takes to format
// every goroutine's stack, which is proportional to the number of goroutines
// and to their stack depth: roughly a microsecond and 200 bytes per goroutine
// plus half a microsecond and 70 bytes per frame (the runtime prints at most
// 100 frames of each goroutine).
//
// What the dump leaves out, and so what Take does not report although it is
// alive (see runtime.Stack and the runtime's tracebackothers):
//
//   - System goroutines: those whose function is in package runtime (the
//     garbage collector's workers, the scavenger, …). User code never runs
//     on them, except on the two below.
//   - The finalizer goroutine (runtime.SetFinalizer) and the cleanup
//     goroutines (runtime.AddCleanup) while they wait for work. While they
//     run a user's finalizer or cleanup function, they are in the dump. Each
//     keeps its id from one call to the next.
//   - The goroutine of a thread created by C while it is not calling into
//     Go. While a cgo callback runs, its goroutine is in the dump; between
//     callbacks it is not, and every callback on that thread (and later on
//     another C thread that inherits its runtime M) runs with the same
//     goroutine id.
//
// Every other goroutine that has started and not yet exited is in the dump,
// whatever it is doing: running, runnable, blocked, in a system call, or in
// a call to C. Goroutine ids are never reused, except by the cgo callbacks
// above.
package liveids

import (
	"bytes"
	"runtime"
	"slices"
	"strconv"
)

// Set is the ids of the goroutines in one dump. The zero Set is empty.
type Set struct {
	ids []int64 // sorted, no duplicates
}

// Contains reports whether id is in the set. It costs a binary search.
func (s Set) Contains(id int64) bool {
	_, ok := slices.BinarySearch(s.ids, id)
	return ok
}

// Len returns the number of ids in the set.
func (s Set) Len() int { return len(s.ids) }

// header starts every goroutine's part of a dump: "goroutine 17 [chan
// receive]:". runtime.Stack writes it at the start of a line, and nothing
// else does: frame lines start with a function name (which has no space
// before its dot), file lines with a tab, and "created by … in goroutine N"
// with "created".
const header = "goroutine "

// Parse returns the ids in the goroutine headers of dump, a text in the
// format of runtime.Stack. Only complete headers count: an id must be
// followed by a space, so that a header cut short at the end of a truncated
// dump ("goroutine 12" of "goroutine 123 [") adds nothing. A truncated
// dump therefore gives a subset of the ids of the whole one, never a wrong
// id.
func Parse(dump []byte) Set {
	ids := make([]int64, 0, bytes.Count(dump, []byte("\n"+header))+1)
	for line := dump; len(line) > 0; {
		if id, ok := parseHeader(line); ok {
			ids = append(ids, id)
		}
		i := bytes.Index(line, []byte("\n"+header))
		if i < 0 {
			break
		}
		line = line[i+1:]
	}
	slices.Sort(ids)
	return Set{ids: slices.Compact(ids)}
}

// parseHeader returns the id of the goroutine header that line starts with.
func parseHeader(line []byte) (int64, bool) {
	rest, ok := bytes.CutPrefix(line, []byte(header))
	if !ok {
		return 0, false
	}
	digits, _, ok := bytes.Cut(rest, []byte(" "))
	if !ok {
		return 0, false // cut short: the id may be incomplete
	}
	id, err := strconv.ParseInt(string(digits), 10, 64)
	if err != nil || id <= 0 {
		return 0, false
	}
	return id, true
}

// minDump is the smallest buffer Take starts with, and perGoroutine the
// bytes per goroutine it expects when it has no better guess: a shallow
// stack takes a few hundred.
const (
	minDump      = 16 << 10
	perGoroutine = 1 << 10
)

// Take dumps every goroutine's stack with runtime.Stack and returns the ids
// in the dump, and the size of the dump. It starts with a buffer a quarter
// larger than sizeHint (the size Take returned last time, or 0) or than a
// guess from runtime.NumGoroutine, and doubles it until the dump fits; every
// try stops the world again, so a good hint saves whole dumps. The buffer is
// not kept.
//
// A goroutine that was alive before Take was called and is not in the
// returned set has exited, or is one of those the package doc lists.
func Take(sizeHint int) (live Set, size int) {
	n := max(sizeHint+sizeHint/4, runtime.NumGoroutine()*perGoroutine, minDump)
	for {
		buf := make([]byte, n)
		// A dump that fills the buffer may have been cut: runtime.Stack
		// does not say. Only one that leaves room is surely whole.
		if m := runtime.Stack(buf, true); m < len(buf) {
			return Parse(buf[:m]), m
		}
		n *= 2
	}
}
