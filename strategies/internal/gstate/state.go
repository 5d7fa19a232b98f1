// Package gstate holds one goroutine's bindings for the strategies keyed by
// goroutine id (mapid, shardedmap), and the Scope and Wrap logic they share.
//
// A State is owned by one goroutine: only that goroutine reads or writes it,
// so it needs no synchronisation of its own. The stores synchronise only the
// table that maps goroutine ids to States.
package gstate

import "github.com/localbench/localbench/strategies"

// boundNil marks a key bound to nil, so that a nil interface in a slot can
// mean "unbound".
type boundNil struct{}

// change records a slot's value before its first change in an open scope.
type change struct {
	index int
	old   any
}

// State is one goroutine's bindings: a slice indexed by Key.Index, and an
// undo log of the changes made inside open scopes.
type State struct {
	vals  []any    // by key index; nil means unbound
	undo  []change // first change of each slot per open scope, oldest first
	floor int      // undo[floor:] belongs to the innermost open scope
	marks int      // open scopes
	// released is set by Release, so that a scope still open on the owner
	// can put the state back when it ends.
	released bool
}

// Mark is what Rollback needs to close a scope opened by Mark.
type Mark struct{ undo, floor int }

// Get returns the value at index i and whether it is bound.
func (s *State) Get(i int) (any, bool) {
	if i >= len(s.vals) {
		return nil, false
	}
	v := s.vals[i]
	if v == nil {
		return nil, false
	}
	if _, ok := v.(boundNil); ok {
		return nil, true
	}
	return v, true
}

// Set binds index i to v.
func (s *State) Set(i int, v any) {
	if v == nil {
		v = boundNil{}
	}
	if i >= len(s.vals) {
		s.grow(i)
	}
	if s.marks > 0 {
		s.record(i)
	}
	s.vals[i] = v
}

// Delete unbinds index i.
func (s *State) Delete(i int) {
	if i >= len(s.vals) || s.vals[i] == nil {
		return
	}
	if s.marks > 0 {
		s.record(i)
	}
	s.vals[i] = nil
}

func (s *State) grow(i int) {
	vals := make([]any, max(i+1, 2*len(s.vals), 4))
	copy(vals, s.vals)
	s.vals = vals
}

// record saves slot i's value in the undo log unless the innermost scope
// already saved it. The scan is bounded by the number of distinct keys
// changed in the innermost scope, so a loop of Sets keeps the log small.
func (s *State) record(i int) {
	for j := len(s.undo) - 1; j >= s.floor; j-- {
		if s.undo[j].index == i {
			return
		}
	}
	s.undo = append(s.undo, change{index: i, old: s.vals[i]})
}

// Mark opens a scope; Rollback(m) closes it, undoing every change since.
func (s *State) Mark() Mark {
	m := Mark{undo: len(s.undo), floor: s.floor}
	s.floor = len(s.undo)
	s.marks++
	return m
}

// Rollback undoes every Set and Delete made since m was taken, newest first,
// and closes the scope.
func (s *State) Rollback(m Mark) {
	for j := len(s.undo) - 1; j >= m.undo; j-- {
		c := s.undo[j]
		s.vals[c.index] = c.old
		s.undo[j] = change{} // drop the reference for the GC
	}
	s.undo = s.undo[:m.undo]
	s.floor = m.floor
	s.marks--
}

// Clone returns a copy of the bindings, with no open scopes, or nil if
// nothing is bound.
func (s *State) Clone() *State {
	if s == nil {
		return nil
	}
	n := len(s.vals)
	for n > 0 && s.vals[n-1] == nil {
		n--
	}
	if n == 0 {
		return nil
	}
	vals := make([]any, n)
	copy(vals, s.vals)
	return &State{vals: vals}
}

// Snapshot returns every binding as a map.
func (s *State) Snapshot() map[*strategies.Key]any {
	m := make(map[*strategies.Key]any)
	if s == nil {
		return m
	}
	for i, v := range s.vals {
		if v == nil {
			continue
		}
		if _, ok := v.(boundNil); ok {
			v = nil
		}
		m[strategies.KeyByIndex(i)] = v
	}
	return m
}
