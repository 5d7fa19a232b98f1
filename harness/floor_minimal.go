package harness

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/localbench/localbench/harness/benchkit"
	"github.com/petermattis/goid"
)

// minimalFloor is the least a store keyed by goroutine id can do to find a
// goroutine's values: goid.Get, one atomic load of the table pointer, and
// one probe of an open-addressing table (more only on a collision). It is
// written for the benchmarks only, and is correct for what they do: values
// are found by key position in a slice of the goroutine's own; Enter makes
// that slice and empties the goroutine's slot when fn returns; nothing is
// ever bound to nil. A goroutine's slot is never freed (goroutine ids are
// not reused, so it stays the goroutine's); a real store must free them.
//
// Reads take no lock. Every write of a slot, and the table's growth, holds
// mu; a goroutine's values slice is written only by that goroutine.
type minimalFloor struct {
	table atomic.Pointer[minimalTable]
	mu    sync.Mutex
	used  int // slots with an id, under mu
}

// minimalTable is a power-of-two array of slots found by Fibonacci hashing
// of the goroutine id and linear probing.
type minimalTable struct {
	shift uint // 64 - log2(len(slots))
	slots []minimalSlot
}

type minimalSlot struct {
	id   atomic.Int64          // 0: free
	vals atomic.Pointer[[]any] // by key position; nil outside Enter
}

func newMinimalFloor() *minimalFloor {
	f := new(minimalFloor)
	f.table.Store(newMinimalTable(6))
	return f
}

func newMinimalTable(bits uint) *minimalTable {
	return &minimalTable{shift: 64 - bits, slots: make([]minimalSlot, 1<<bits)}
}

// home is the first slot to probe for goroutine id.
func (t *minimalTable) home(id int64) uint64 {
	return uint64(id) * 0x9e3779b97f4a7c15 >> t.shift
}

// values returns the calling goroutine's values, or nil.
func (f *minimalFloor) values(id int64) *[]any {
	t := f.table.Load()
	mask := uint64(len(t.slots) - 1)
	for i := t.home(id); ; i = (i + 1) & mask {
		s := &t.slots[i]
		switch s.id.Load() {
		case id:
			return s.vals.Load()
		case 0:
			return nil
		}
	}
}

// slot returns goroutine id's slot in the current table, taking a free one
// (and growing the table first if it is half full) if it has none. The
// caller holds mu.
func (f *minimalFloor) slot(id int64) *minimalSlot {
	t := f.table.Load()
	if s := t.find(id); s != nil {
		return s
	}
	if 2*(f.used+1) > len(t.slots) {
		bigger := newMinimalTable(64 - t.shift + 1)
		for i := range t.slots {
			if old := &t.slots[i]; old.id.Load() != 0 {
				s := bigger.free(old.id.Load())
				s.vals.Store(old.vals.Load())
				s.id.Store(old.id.Load())
			}
		}
		f.table.Store(bigger)
		t = bigger
	}
	f.used++
	s := t.free(id)
	s.id.Store(id)
	return s
}

// find returns id's slot, or nil.
func (t *minimalTable) find(id int64) *minimalSlot {
	mask := uint64(len(t.slots) - 1)
	for i := t.home(id); ; i = (i + 1) & mask {
		switch s := &t.slots[i]; s.id.Load() {
		case id:
			return s
		case 0:
			return nil
		}
	}
}

// free returns the slot where id goes: the first free one from its home.
func (t *minimalTable) free(id int64) *minimalSlot {
	mask := uint64(len(t.slots) - 1)
	for i := t.home(id); ; i = (i + 1) & mask {
		if s := &t.slots[i]; s.id.Load() == 0 {
			return s
		}
	}
}

func (*minimalFloor) Key(i int) int { return i }

func (f *minimalFloor) Enter(_ context.Context, vals []any, fn func(struct{})) {
	id := goid.Get()
	own := make([]any, max(len(vals), 1))
	copy(own, vals)
	f.mu.Lock()
	f.slot(id).vals.Store(&own)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.slot(id).vals.Store(nil)
		f.mu.Unlock()
	}()
	fn(struct{}{})
}

func (*minimalFloor) Bound(c struct{}, _ []any) struct{} { return c }

func (f *minimalFloor) Get(_ struct{}, k int) (any, bool) {
	if p := f.values(goid.Get()); p != nil && k < len(*p) {
		v := (*p)[k]
		return v, v != nil
	}
	return nil, false
}

// Set binds k inside Enter (the workloads set nothing outside one).
func (f *minimalFloor) Set(c struct{}, k int, v any) struct{} {
	id := goid.Get()
	p := f.values(id)
	if k >= len(*p) {
		grown := make([]any, benchkit.MissKey+1)
		copy(grown, *p)
		p = &grown
		f.mu.Lock()
		f.slot(id).vals.Store(p)
		f.mu.Unlock()
	}
	(*p)[k] = v
	return c
}

func (f *minimalFloor) Delete(c struct{}, k int) struct{} {
	if p := f.values(goid.Get()); p != nil && k < len(*p) {
		(*p)[k] = nil
	}
	return c
}

func (*minimalFloor) Close() {}
