// Package bindings holds one goroutine's bindings for the peer adapters:
// (key, value) pairs found by the key's pointer, and an undo log that makes
// scopes cheap to enter and leave.
//
// A goroutine binds few keys, so up to 8 bindings are kept in a small
// slice scanned linearly; past that they move to a map. No cost depends on
// how many keys exist in the process or on a key's index.
//
// A State is owned by one goroutine: only that goroutine reads or writes it,
// so it has no lock. The adapters find it in their library's own
// per-goroutine storage.
package bindings

import (
	"maps"

	"github.com/localbench/localbench/strategies"
)

// maxList is the most bindings a State keeps in its slice; one more moves
// them all to a map.
const maxList = 8

// entry is one binding of the slice form.
type entry struct {
	key *strategies.Key
	val any
}

// change records a key's binding before its first change in an open scope.
type change struct {
	key   *strategies.Key
	old   any
	bound bool // whether key was bound before the change
}

// State is one goroutine's bindings. The zero State is empty and ready to
// use. A State must not be copied; use Clone.
//
// Get, Set and Delete cost a scan of at most maxList pointers, or one map
// operation once more keys are bound; a Set or Delete inside a scope also
// scans the keys that scope has already changed. Once a State has moved to
// its map it stays there; Clone picks the form again by size.
type State struct {
	list  []entry                 // the bindings while big is nil
	big   map[*strategies.Key]any // the bindings once more than maxList were bound
	undo  []change                // first change of each key per open scope, oldest first
	floor int                     // undo[floor:] belongs to the innermost open scope
	marks int                     // open scopes
}

// Mark is what Rollback needs to close the scope Mark opened.
type Mark struct{ undo, floor int }

// Get returns the value bound to k and whether k is bound.
func (s *State) Get(k *strategies.Key) (any, bool) {
	if s.big != nil {
		v, ok := s.big[k]
		return v, ok
	}
	for i := range s.list {
		if s.list[i].key == k {
			return s.list[i].val, true
		}
	}
	return nil, false
}

// Set binds k to v; v may be nil.
func (s *State) Set(k *strategies.Key, v any) {
	if s.big != nil {
		if s.marks > 0 {
			old, ok := s.big[k]
			s.record(k, old, ok)
		}
		s.big[k] = v
		return
	}
	if i := s.index(k); i >= 0 {
		s.record(k, s.list[i].val, true)
		s.list[i].val = v
		return
	}
	s.record(k, nil, false)
	s.insert(k, v)
}

// Delete unbinds k.
func (s *State) Delete(k *strategies.Key) {
	if s.big != nil {
		if old, ok := s.big[k]; ok {
			s.record(k, old, true)
			delete(s.big, k)
		}
		return
	}
	if i := s.index(k); i >= 0 {
		s.record(k, s.list[i].val, true)
		s.removeAt(i)
	}
}

// index returns k's position in the slice form, or -1.
func (s *State) index(k *strategies.Key) int {
	for i := range s.list {
		if s.list[i].key == k {
			return i
		}
	}
	return -1
}

// insert binds k, which is not bound, to v, moving the bindings to the
// map if the slice is full.
func (s *State) insert(k *strategies.Key, v any) {
	if s.big == nil && len(s.list) < maxList {
		s.list = append(s.list, entry{k, v})
		return
	}
	if s.big == nil {
		s.big = make(map[*strategies.Key]any, 2*maxList)
		for _, e := range s.list {
			s.big[e.key] = e.val
		}
		s.list = nil
	}
	s.big[k] = v
}

// put binds k to v, with no record in the undo log.
func (s *State) put(k *strategies.Key, v any) {
	if s.big != nil {
		s.big[k] = v
	} else if i := s.index(k); i >= 0 {
		s.list[i].val = v
	} else {
		s.insert(k, v)
	}
}

// drop unbinds k, with no record in the undo log.
func (s *State) drop(k *strategies.Key) {
	if s.big != nil {
		delete(s.big, k)
	} else if i := s.index(k); i >= 0 {
		s.removeAt(i)
	}
}

// removeAt removes the slice form's entry i.
func (s *State) removeAt(i int) {
	last := len(s.list) - 1
	s.list[i] = s.list[last]
	s.list[last] = entry{}
	s.list = s.list[:last]
}

// record saves k's binding in the undo log, unless no scope is open or the
// innermost one already saved it.
func (s *State) record(k *strategies.Key, old any, bound bool) {
	if s.marks == 0 {
		return
	}
	for j := len(s.undo) - 1; j >= s.floor; j-- {
		if s.undo[j].key == k {
			return
		}
	}
	s.undo = append(s.undo, change{key: k, old: old, bound: bound})
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
		if c := s.undo[j]; c.bound {
			s.put(c.key, c.old)
		} else {
			s.drop(c.key)
		}
		s.undo[j] = change{}
	}
	s.undo = s.undo[:m.undo]
	s.floor = m.floor
	s.marks--
}

// count returns the number of bindings; a nil State has none.
func (s *State) count() int {
	if s == nil {
		return 0
	}
	if s.big != nil {
		return len(s.big)
	}
	return len(s.list)
}

// Empty reports whether nothing is bound and no scope is open; a nil State
// is empty.
func (s *State) Empty() bool {
	return s.count() == 0 && (s == nil || s.marks == 0)
}

// Clone returns a copy of the bindings with no open scope, or nil if s is
// nil or nothing is bound.
func (s *State) Clone() *State {
	n := s.count()
	if n == 0 {
		return nil
	}
	if s.big == nil {
		return &State{list: append([]entry(nil), s.list...)}
	}
	c := new(State)
	if n > maxList {
		c.big = maps.Clone(s.big)
		return c
	}
	c.list = make([]entry, 0, n)
	for k, v := range s.big {
		c.list = append(c.list, entry{k, v})
	}
	return c
}

// Snapshot returns every binding as a map; s may be nil.
func (s *State) Snapshot() map[*strategies.Key]any {
	if s != nil && s.big != nil {
		return maps.Clone(s.big)
	}
	m := make(map[*strategies.Key]any, s.count())
	if s != nil {
		for _, e := range s.list {
			m[e.key] = e.val
		}
	}
	return m
}
