// Package gstate holds one goroutine's bindings for the strategies keyed by
// goroutine id (mapid, shardedmap), the Scope and Wrap logic they share, and
// their Sweep: dropping the entries of goroutines that have exited.
//
// A State is owned by one goroutine: only that goroutine reads or writes it,
// so it needs no synchronisation of its own. The stores synchronise only the
// table that maps goroutine ids to States. A sweep, which runs on another
// goroutine, only drops a dead goroutine's entry from the table and never
// touches its State.
package gstate

import (
	"math"

	"github.com/localbench/localbench/strategies"
)

// boundNil marks a key bound to nil, so that a nil interface in a slot can
// mean "unbound". It has size zero: storing it in an interface allocates
// nothing.
type boundNil struct{}

// smallLen is how many consecutive key indexes a State holds inline.
const smallLen = 4

// State is one goroutine's bindings.
//
// Values live in a window of consecutive key indexes starting at lo: the
// first smallLen inline in small, the rest in ext.more. Keys are usually
// created together at start-up, so their indexes are consecutive and a
// goroutine's few bindings fit in small whatever the indexes are. The zero
// State is empty and ready to use.
//
// A State is 80 bytes (one size class) and needs nothing more while its
// bindings fit in the window and it has never been in a scope; ext,
// allocated on first need, holds the rest. Get and Set of a key in the
// window read or write one word pair at an address known from the key alone,
// with no further pointer to follow.
//
// Keys far apart (index 0 and index 1000) make more as long as the distance
// between them; that is why keys should be created once, at start-up.
type State struct {
	lo    int32 // first key index of the window
	marks int32 // open scopes; while zero, Set and Delete record nothing
	ext   *ext  // nil until needed
	// small holds key indexes lo … lo+smallLen-1, index i at i%smallLen,
	// so that its address does not wait for lo to be loaded.
	small [smallLen]any
}

// ext is the part of a State that most goroutines never need.
type ext struct {
	more  []any    // key indexes lo+smallLen, lo+smallLen+1, …
	undo  []change // first change of each slot per open scope, oldest first
	floor int      // undo[floor:] belongs to the innermost open scope
	// released is set by Release while a scope is open, so that the scope
	// puts the state back when it ends.
	released bool
}

// change records a slot's value before its first change in an open scope.
type change struct {
	index int
	old   any
}

// Mark is what Rollback needs to close a scope opened by Mark.
type Mark struct{ undo, floor int }

// Get returns the value at key index i and whether it is bound.
func (s *State) Get(i int) (any, bool) {
	v := s.small[uint(i)%smallLen]
	if j := uint(i) - uint(s.lo); j >= smallLen {
		v = s.getMore(j)
	}
	if v == nil {
		return nil, false
	}
	if _, ok := v.(boundNil); ok {
		return nil, true
	}
	return v, true
}

// getMore returns the raw value at window offset j ≥ smallLen, or nil.
func (s *State) getMore(j uint) any {
	if s.ext == nil {
		return nil
	}
	j -= smallLen
	if j >= uint(len(s.ext.more)) {
		return nil
	}
	return s.ext.more[j]
}

// Set binds key index i to v.
func (s *State) Set(i int, v any) {
	if v == nil {
		v = boundNil{}
	}
	if uint(i)-uint(s.lo) < smallLen && s.marks == 0 {
		s.small[uint(i)%smallLen] = v
		return
	}
	s.change(i, v)
}

// Delete unbinds key index i.
func (s *State) Delete(i int) {
	if uint(i)-uint(s.lo) < smallLen && s.marks == 0 {
		s.small[uint(i)%smallLen] = nil
		return
	}
	if s.raw(i) != nil {
		s.change(i, nil)
	}
}

// change sets the raw value at key index i (nil unbinds), recording the old
// value if a scope is open.
func (s *State) change(i int, v any) {
	if s.marks > 0 {
		s.record(i)
	}
	s.put(i, v)
}

// raw returns the raw value at key index i: nil, boundNil{} or a value.
func (s *State) raw(i int) any {
	if j := uint(i) - uint(s.lo); j < smallLen {
		return s.small[uint(i)%smallLen]
	}
	return s.getMore(uint(i) - uint(s.lo))
}

// put stores the raw value v at key index i, moving the window if i is
// below it, or if nothing is bound and i is above it.
func (s *State) put(i int, v any) {
	if v != nil && !s.inWindow(i) && (i < int(s.lo) || s.empty()) {
		s.rebase(i)
	}
	s.place(i, v)
}

// inWindow reports whether key index i is held in small.
func (s *State) inWindow(i int) bool {
	return uint(i)-uint(s.lo) < smallLen
}

// place stores the raw value v at key index i ≥ lo without moving the
// window, growing more if needed.
func (s *State) place(i int, v any) {
	j := uint(i) - uint(s.lo)
	if j < smallLen {
		s.small[uint(i)%smallLen] = v
		return
	}
	k := int(j - smallLen)
	if s.ext == nil || k >= len(s.ext.more) {
		if v == nil {
			return // unbinding what was never bound
		}
		x := s.extra()
		more := make([]any, max(k+1, 2*len(x.more), smallLen))
		copy(more, x.more)
		x.more = more
	}
	s.ext.more[k] = v
}

// extra returns s.ext, allocating it on first use.
func (s *State) extra() *ext {
	if s.ext == nil {
		s.ext = new(ext)
	}
	return s.ext
}

// empty reports whether nothing is bound.
func (s *State) empty() bool {
	for _, v := range s.all {
		if v != nil {
			return false
		}
	}
	return true
}

// all yields every bound key index and its raw value, in index order.
func (s *State) all(yield func(int, any) bool) {
	for i := int(s.lo); i < int(s.lo)+smallLen; i++ {
		if v := s.small[uint(i)%smallLen]; v != nil && !yield(i, v) {
			return
		}
	}
	if s.ext == nil {
		return
	}
	for k, v := range s.ext.more {
		if v != nil && !yield(int(s.lo)+smallLen+k, v) {
			return
		}
	}
}

// rebase moves the window to start at key index i, which must not be above
// any bound index.
func (s *State) rebase(i int) {
	if i > math.MaxInt32 {
		// Not representable as lo. Such an index (two billion keys) is
		// placed in more instead, which is still correct.
		return
	}
	type binding struct {
		i int
		v any
	}
	var bound []binding
	for j, v := range s.all {
		bound = append(bound, binding{j, v})
	}
	s.lo = int32(i)
	s.small = [smallLen]any{}
	if s.ext != nil {
		s.ext.more = nil
	}
	for _, b := range bound {
		s.place(b.i, b.v)
	}
}

// record saves key index i's value in the undo log unless the innermost
// scope already saved it. The scan is bounded by the number of distinct keys
// changed in the innermost scope, so a loop of Sets keeps the log small.
func (s *State) record(i int) {
	x := s.extra()
	for j := len(x.undo) - 1; j >= x.floor; j-- {
		if x.undo[j].index == i {
			return
		}
	}
	x.undo = append(x.undo, change{index: i, old: s.raw(i)})
}

// Mark opens a scope; Rollback(m) closes it, undoing every change since.
func (s *State) Mark() Mark {
	s.marks++
	if s.ext == nil {
		// No undo log yet: it is empty and its floor is 0.
		return Mark{}
	}
	m := Mark{undo: len(s.ext.undo), floor: s.ext.floor}
	s.ext.floor = len(s.ext.undo)
	return m
}

// Rollback undoes every Set and Delete made since m was taken, newest first,
// and closes the scope.
func (s *State) Rollback(m Mark) {
	s.marks--
	x := s.ext
	if x == nil {
		return
	}
	for j := len(x.undo) - 1; j >= m.undo; j-- {
		c := x.undo[j]
		s.put(c.index, c.old)
		x.undo[j] = change{} // drop the reference for the GC
	}
	x.undo = x.undo[:m.undo]
	x.floor = m.floor
}

// Clone returns a copy of the bindings, with no open scopes, or nil if
// nothing is bound. The copy's window starts at its lowest bound index.
func (s *State) Clone() *State {
	var c State
	if !s.cloneTo(&c) {
		return nil
	}
	p := new(State)
	*p = c
	return p
}

// cloneTo makes c, which must be the zero State, a copy of the bindings, as
// Clone does, and reports whether anything is bound.
func (s *State) cloneTo(c *State) bool {
	if s == nil {
		return false
	}
	if s.ext == nil || len(s.ext.more) == 0 {
		// Everything bound is in small (the usual case, and what
		// strategies.Go pays for on every spawn): copy it whole. A slot's
		// place in small depends on its key index alone, so moving lo up
		// to the lowest bound index keeps every binding where it is.
		for i := int(s.lo); i < int(s.lo)+smallLen; i++ {
			if s.small[uint(i)%smallLen] != nil {
				c.lo = int32(min(i, math.MaxInt32))
				c.small = s.small
				return true
			}
		}
		return false
	}
	bound := false
	for i, v := range s.all {
		if !bound {
			c.lo = int32(min(i, math.MaxInt32))
			bound = true
		}
		c.place(i, v)
	}
	return bound
}

// Snapshot returns every binding as a map.
func (s *State) Snapshot() map[*strategies.Key]any {
	m := make(map[*strategies.Key]any)
	if s == nil {
		return m
	}
	for i, v := range s.all {
		if _, ok := v.(boundNil); ok {
			v = nil
		}
		m[strategies.KeyByIndex(i)] = v
	}
	return m
}
