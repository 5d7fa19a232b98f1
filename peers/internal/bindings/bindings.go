// Package bindings holds one goroutine's bindings for the peer adapters:
// values in a slice indexed by strategies.Key.Index, and an undo log that
// makes scopes cheap to enter and leave.
//
// A State is owned by one goroutine: only that goroutine reads or writes it,
// so it has no lock. The adapters find it in their library's own
// per-goroutine storage.
package bindings

import "github.com/localbench/localbench/strategies"

// boundNil marks a key bound to nil, so that a nil slot means "unbound".
type boundNil struct{}

// change records a slot's value before its first change in an open scope.
type change struct {
	index int
	old   any
}

// State is one goroutine's bindings. The zero State is empty and ready to
// use. A State must not be copied; use Clone.
type State struct {
	vals  []any    // by key index; nil is unbound
	undo  []change // first change of each slot per open scope, oldest first
	floor int      // undo[floor:] belongs to the innermost open scope
	marks int      // open scopes
}

// Mark is what Rollback needs to close the scope Mark opened.
type Mark struct{ undo, floor int }

// Get returns the value at index i and whether it is bound.
func (s *State) Get(i int) (any, bool) {
	if i >= len(s.vals) || s.vals[i] == nil {
		return nil, false
	}
	if _, ok := s.vals[i].(boundNil); ok {
		return nil, true
	}
	return s.vals[i], true
}

// Set binds index i to v.
func (s *State) Set(i int, v any) {
	if v == nil {
		v = boundNil{}
	}
	if i >= len(s.vals) {
		vals := make([]any, max(i+1, 2*len(s.vals), 4))
		copy(vals, s.vals)
		s.vals = vals
	}
	s.record(i)
	s.vals[i] = v
}

// Delete unbinds index i.
func (s *State) Delete(i int) {
	if i >= len(s.vals) || s.vals[i] == nil {
		return
	}
	s.record(i)
	s.vals[i] = nil
}

// record saves slot i's value in the undo log, unless no scope is open or
// the innermost one already saved it.
func (s *State) record(i int) {
	if s.marks == 0 {
		return
	}
	for j := len(s.undo) - 1; j >= s.floor; j-- {
		if s.undo[j].index == i {
			return
		}
	}
	s.undo = append(s.undo, change{index: i, old: s.vals[i]})
}

// Mark opens a scope; Rollback(m) closes it.
func (s *State) Mark() Mark {
	m := Mark{undo: len(s.undo), floor: s.floor}
	s.floor = len(s.undo)
	s.marks++
	return m
}

// Rollback undoes every change made since m was taken, newest first, and
// closes the scope.
func (s *State) Rollback(m Mark) {
	for j := len(s.undo) - 1; j >= m.undo; j-- {
		s.vals[s.undo[j].index] = s.undo[j].old
		s.undo[j] = change{}
	}
	s.undo = s.undo[:m.undo]
	s.floor = m.floor
	s.marks--
}

// Empty reports whether nothing is bound and no scope is open; a nil State
// is empty.
func (s *State) Empty() bool {
	if s == nil {
		return true
	}
	if s.marks > 0 {
		return false
	}
	for _, v := range s.vals {
		if v != nil {
			return false
		}
	}
	return true
}

// Clone returns a copy of the bindings with no open scope, or nil if s is
// nil or nothing is bound.
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
	return &State{vals: append([]any(nil), s.vals[:n]...)}
}

// Snapshot returns every binding as a map; s may be nil.
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
