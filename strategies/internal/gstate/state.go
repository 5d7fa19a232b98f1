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

import "github.com/localbench/localbench/strategies"

// unbound is the value of a slot whose key is not bound: a slot keeps its
// key once given one (see entry), so "unbound" needs a value of its own,
// and nil can mean nil. It has size zero: storing it in an interface
// allocates nothing.
type unbound struct{}

// none is the raw value of an unbound key.
var none any = unbound{}

// isNone reports whether the raw value v means unbound.
func isNone(v any) bool {
	_, ok := v.(unbound)
	return ok
}

// smallLen is how many slots a State holds inline. It is a power of two.
const smallLen = 4

// State is one goroutine's bindings.
//
// Bindings live in a small open-addressing hash table keyed by the key's
// pointer, hashed by its index (linear probing; keys created together fall
// in different slots): inline in small while at most smallLen keys have
// slots, in ext.big after that. Get and Set of a key in its home slot read
// or write one entry at an address known from the key alone. What they cost
// does not depend on how many keys the process has made, or on how far
// apart the bound keys' indexes are, only on whether a key shares its home
// slot (index modulo smallLen) with another bound key, which costs one more
// probe step; a State holds only the keys it binds. The zero State is empty
// and ready to use.
//
// A State is 112 bytes (one size class) and needs nothing more while it has
// at most smallLen keys and has never been in a scope; ext, allocated on
// first need, holds the rest.
type State struct {
	marks int32 // open scopes; while zero, Set and Delete record nothing
	// keys has k.Bit() set for every key k with a slot, so that
	// most Gets of a key with none end after one test, even when another
	// key holds its home slot.
	keys uint32
	ext  *ext // nil until needed
	// small is the table while ext.big is nil, and empty after.
	small [smallLen]entry
}

// entry is one slot. A slot, once given to a key, keeps it until the table
// is rebuilt: unbinding sets v to none, so that probes for other keys need
// not look past empty slots that were once used.
type entry struct {
	k *strategies.Key // nil: an empty slot, which ends a probe
	v any             // none: unbound; anything else, nil included: bound
}

// ext is the part of a State that most goroutines never need.
type ext struct {
	big  []entry // the table, when more keys than smallLen have slots; power-of-two length
	used int     // slots of big holding a key
	undo []change
	// undo[floor:] belongs to the innermost open scope.
	floor int
	// released is set by Release while a scope is open, so that the scope
	// puts the state back when it ends.
	released bool
}

// change records a key's raw value before its first change in an open
// scope.
type change struct {
	k   *strategies.Key
	old any
}

// Mark is what Rollback needs to close a scope opened by Mark.
type Mark struct{ undo, floor int }

// Home answers Get(k) where that takes no call, and reports whether it did:
// when k is in its home slot or the slot after it (where a goroutine's few
// keys are; a key whose home slot another key took is usually in the next
// one), and when the keys mask shows that k has no slot. It is small enough
// to be inlined, so that a store's Get pays for no call in those cases;
// when done is false, Get has the answer. A store's Get that can take more
// inlined calls writes it out with HomeSlot, Lacks and SlotAt, testing the
// mask before the next slot, which makes a miss cheaper and spares it the
// tests and moves of merging three results.
func (s *State) Home(k *strategies.Key) (v any, ok, done bool) {
	i := uint(k.Index())
	e := &s.small[i%smallLen]
	if e.k != k {
		e = &s.small[(i+1)%smallLen]
	}
	if e.k == k {
		if _, un := e.v.(unbound); !un {
			return e.v, true, true
		}
	}
	return nil, false, s.keys&k.Bit() == 0
}

// Slot is one slot of a State's inline table, as HomeSlot returns it.
type Slot = entry

// HomeSlot returns k's home slot: where k is when it has a slot of the
// inline table, unless another key took that slot first. It is empty while
// the State uses a large table.
func (s *State) HomeSlot(k *strategies.Key) *Slot {
	return &s.small[uint(k.Index())%smallLen]
}

// SlotAt returns slot i modulo the inline table's length: HomeSlot(k) is
// SlotAt(k.Index()), and SlotAt(k.Index()+1) is the next slot, where k is
// when another key took its home slot first (the keys mask then has k's
// bit set). A caller that has k.Index() at hand passes it, which spares an
// instruction that HomeSlot's own call of Index would cost there.
func (s *State) SlotAt(i int) *Slot {
	return &s.small[uint(i)%smallLen]
}

// Holds reports whether e holds k, bound.
func (e *Slot) Holds(k *strategies.Key) bool {
	if e.k != k {
		return false
	}
	_, un := e.v.(unbound)
	return !un
}

// Value returns the value e holds.
func (e *Slot) Value() any { return e.v }

// Lacks reports whether k certainly has no slot, by the keys mask: a
// single test, true for most keys that are not bound, even when another
// key holds k's home slot.
func (s *State) Lacks(k *strategies.Key) bool {
	return s.keys&k.Bit() == 0
}

// Get returns the value bound to k and whether it is bound.
func (s *State) Get(k *strategies.Key) (any, bool) {
	i := uint(k.Index())
	e := &s.small[i%smallLen]
	v := e.v
	if e.k != k {
		if s.keys&k.Bit() == 0 {
			return nil, false
		}
		v = s.find(k)
	}
	if isNone(v) {
		return nil, false
	}
	return v, true
}

// SetHome binds k to v, as Set does, where that takes no call: when k is in
// its home slot and no scope is open (so there is nothing to record). It
// reports whether it did; if not, SetNext or Set must. It is small enough
// to be inlined.
func (s *State) SetHome(k *strategies.Key, v any) bool {
	if e := &s.small[uint(k.Index())%smallLen]; e.k == k && s.marks == 0 {
		e.v = v
		return true
	}
	return false
}

// SetNext is SetHome for a key in the slot after its home slot (one whose
// home slot another key took first).
func (s *State) SetNext(k *strategies.Key, v any) bool {
	if e := &s.small[(uint(k.Index())+1)%smallLen]; e.k == k && s.marks == 0 {
		e.v = v
		return true
	}
	return false
}

// Set binds k to v.
func (s *State) Set(k *strategies.Key, v any) {
	i := uint(k.Index())
	home := &s.small[i%smallLen]
	e := home
	if e.k != k {
		e = &s.small[(i+1)%smallLen]
	}
	if e.k == k && s.marks == 0 {
		e.v = v
		return
	}
	if s.marks == 0 && s.ext == nil {
		// small is in use (no ext, so no big), and k has no slot if
		// its home slot is empty, or if another key holds it and the
		// next slot is empty: a key takes the first empty slot from
		// its home, and slots are emptied only by a rebuild, which
		// places every key again. Then k takes that empty slot, with
		// nothing to record: a goroutine's first Sets, whether or not
		// their keys share a home slot.
		if home.k == nil {
			e = home
		}
		if e.k == nil {
			e.k, e.v = k, v
			s.keys |= k.Bit()
			return
		}
	}
	s.change(k, v)
}

// Delete unbinds k.
func (s *State) Delete(k *strategies.Key) {
	if e := &s.small[uint(k.Index())%smallLen]; e.k == k && s.marks == 0 {
		e.v = none
		return
	}
	if !isNone(s.find(k)) {
		s.change(k, none)
	}
}

// probe returns the entry of tab holding k and true, or, if there is none,
// the empty slot where k would go (nil if tab has none) and false.
func probe(tab []entry, k *strategies.Key) (*entry, bool) {
	mask := uint(len(tab) - 1)
	i := uint(k.Index())
	for range tab {
		e := &tab[i&mask]
		if e.k == k {
			return e, true
		}
		if e.k == nil {
			return e, false
		}
		i++
	}
	return nil, false
}

// find returns the raw value of k: none, or the value it is bound to.
func (s *State) find(k *strategies.Key) any {
	if e := &s.small[uint(k.Index())%smallLen]; e.k == k {
		return e.v
	}
	tab := s.small[:]
	if s.ext != nil && s.ext.big != nil {
		tab = s.ext.big
	}
	if e, ok := probe(tab, k); ok {
		return e.v
	}
	return none
}

// change sets k's raw value (none unbinds), recording the old value if a
// scope is open.
func (s *State) change(k *strategies.Key, v any) {
	if s.marks > 0 {
		s.record(k)
	}
	s.put(k, v)
}

// put sets k's raw value v; none unbinds.
func (s *State) put(k *strategies.Key, v any) {
	i := uint(k.Index())
	if e := &s.small[i%smallLen]; e.k == k {
		// In its home slot (small is empty while big is in use).
		e.v = v
		return
	} else if e.k == nil && !isNone(v) && (s.ext == nil || s.ext.big == nil) {
		// Its home slot is empty, so it has no slot: take that one.
		e.k, e.v = k, v
		s.keys |= k.Bit()
		return
	}
	for {
		big := s.ext != nil && s.ext.big != nil
		tab := s.small[:]
		if big {
			tab = s.ext.big
		}
		e, ok := probe(tab, k)
		if ok {
			e.v = v
			return
		}
		if isNone(v) {
			return // unbinding what has no slot
		}
		if e != nil && (!big || 2*(s.ext.used+1) <= len(tab)) {
			e.k, e.v = k, v
			s.keys |= k.Bit()
			if big {
				s.ext.used++
			}
			return
		}
		s.rebuild()
	}
}

// rebuild rehashes the bound keys into a table with room for one more,
// dropping the slots of unbound keys: small if they fit, else a new big.
func (s *State) rebuild() {
	var bound []entry
	for k, v := range s.all {
		bound = append(bound, entry{k, v})
	}
	s.small = [smallLen]entry{}
	s.keys = 0
	if s.ext != nil {
		s.ext.big, s.ext.used = nil, 0
	}
	if len(bound) >= smallLen {
		n := 4 * smallLen
		for n < 2*(len(bound)+1) {
			n *= 2
		}
		x := s.extra()
		x.big = make([]entry, n)
	}
	for _, b := range bound {
		s.put(b.k, b.v)
	}
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
	for range s.all {
		return false
	}
	return true
}

// all yields every bound key and its raw value.
func (s *State) all(yield func(*strategies.Key, any) bool) {
	tab := s.small[:]
	if s.ext != nil && s.ext.big != nil {
		tab = s.ext.big
	}
	for i := range tab {
		if e := &tab[i]; e.k != nil && !isNone(e.v) && !yield(e.k, e.v) {
			return
		}
	}
}

// record saves k's value in the undo log unless the innermost scope already
// saved it. The scan is bounded by the number of distinct keys changed in
// the innermost scope, so a loop of Sets keeps the log small.
func (s *State) record(k *strategies.Key) {
	x := s.extra()
	for j := len(x.undo) - 1; j >= x.floor; j-- {
		if x.undo[j].k == k {
			return
		}
	}
	x.undo = append(x.undo, change{k: k, old: s.find(k)})
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
		s.put(c.k, c.old)
		x.undo[j] = change{} // drop the reference for the GC
	}
	x.undo = x.undo[:m.undo]
	x.floor = m.floor
}

// Clone returns a copy of the bindings, with no open scopes, or nil if
// nothing is bound.
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
	if s.ext == nil || s.ext.big == nil {
		// Everything is in small (the usual case, and what strategies.Go
		// pays for on every spawn): copy it whole, slots of unbound keys
		// included, which keeps every key in its slot.
		for i := range s.small {
			if s.small[i].k != nil && !isNone(s.small[i].v) {
				c.small, c.keys = s.small, s.keys
				return true
			}
		}
		return false
	}
	bound := false
	for k, v := range s.all {
		c.put(k, v)
		bound = true
	}
	return bound
}

// Snapshot returns every binding as a map.
func (s *State) Snapshot() map[*strategies.Key]any {
	m := make(map[*strategies.Key]any)
	if s == nil {
		return m
	}
	for k, v := range s.all {
		m[k] = v
	}
	return m
}
