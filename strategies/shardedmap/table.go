package shardedmap

import (
	"sync"
	"sync/atomic"

	"github.com/localbench/localbench/strategies/internal/gstate"
)

// cacheLine is the padding unit that keeps shards apart. 64 bytes is the
// line size of current amd64 and arm64 cores; a shard takes two lines.
const cacheLine = 64

const (
	// empty marks a slot never used since its table was built: a probe
	// for any id stops there.
	empty = 0
	// tombstone marks a slot whose goroutine removed its entry: probes
	// go on past it. Goroutine ids start at 1 and are never reused, so
	// neither value is an id, nor a parked id (see parked).
	tombstone = -1

	// minSlots is the smallest table, and the size of a shard's first.
	minBits  = 3
	minSlots = 1 << minBits
)

// shardBits is log2 of the number of shards. A fixed count keeps the shard
// array inside the Store, one pointer fewer to follow on every Get; 64
// shards keep first Sets and Releases from contending on the machines this
// is for, at 8 KiB per Store.
const (
	shardBits  = 6
	numShards  = 1 << shardBits
	shardShift = 64 - shardBits // hash(id) >> shardShift is id's shard
)

// parked returns what a slot holds in place of goroutine id while it is
// parked: below tombstone, so that it is neither an id nor empty, and a
// probe goes on past it as past a tombstone.
//
// A top-level Scope parks its goroutine's entry when it ends rather than
// removing it: the slot keeps the goroutine's State, emptied, so that the
// goroutine's next top-level Scope takes slot and State back with one
// compare-and-swap, without the shard's lock or the state pool (see
// shard.acquire and shard.park). Live does not count parked entries. A
// parked slot is its goroutine's only while its id stays parked: a writer
// holding the shard's lock may seize it (compare-and-swap it to tombstone,
// see seize), which any insert does to the parked slots its probe passes
// and a rebuild to all of them, and the goroutine's next acquire then
// fails and inserts anew. So the slots and States of goroutines that have
// exited go back to use at the next insert that passes them, or the next
// rebuild of the table.
func parked(id int64) int64 { return -1 - id }

// hashMul is 2⁶⁴/φ, rounded to odd: multiplying by it spreads sequential
// goroutine ids evenly over the high bits (Fibonacci hashing).
const hashMul = 0x9e3779b97f4a7c15

// slot is one entry of a table. Every field is atomic because goroutines
// probing for other ids read id while the shard's writer changes it; st is
// read only by the goroutine whose id is in the slot, and by writers holding
// the shard's lock.
type slot struct {
	id atomic.Int64
	st atomic.Pointer[gstate.State]
}

// table is an open-addressing hash table with linear probing. Its length is
// a power of two; once published, a table's shift and slots never change,
// only the slots' contents do: under the shard's lock, except that a
// goroutine parks its own entry and takes it back without it (see parked).
//
// A table of minSlots keeps its slots in small, inside the table itself, so
// that Get finds them one pointer sooner (see getSmall). Most shards never
// need more: 64 shards of 8 slots hold a few hundred goroutines.
type table struct {
	// small comes first, so that a slot's address is the table's plus
	// the slot's offset, one instruction fewer for each of the two words
	// that home loads.
	small [minSlots]slot // never written in a larger table, so its ids stay empty
	// (hash >> shift) & mask is the home slot: the log2(len(slots)) bits
	// just below the shard bits.
	shift uint
	mask  uint64 // len(slots) - 1
	slots []slot // small[:] in a table of minSlots
	// frozen is set by the rebuild that replaces this table, before it
	// reads the slots. A goroutine that parks its entry here without the
	// lock reads it after: if it is set, the rebuild may have copied the
	// entry as live, and the goroutine settles it under the lock (see
	// shard.park).
	frozen atomic.Bool
}

// emptyTable is every shard's table until its first insert, so that readers
// need no nil check. It is never written.
var emptyTable = newTable(0)

// shard is one part of a Store. Readers touch only the first cache line
// (the table pointer); writers hold mu and keep the counts on the second, so
// that inserting or removing an entry does not evict the line every reader
// of the shard needs.
type shard struct {
	table atomic.Pointer[table]
	_     [cacheLine - 8]byte

	mu   sync.Mutex
	used int          // non-empty slots (live and tombstones), under mu
	live atomic.Int64 // live entries; written under mu, read by Live
	_    [cacheLine - 24]byte
}

// newTable returns a table with room for n entries at a load of at most one
// half, and at least minSlots slots.
func newTable(n int) *table {
	size, shift := minSlots, uint(shardShift-minBits)
	for size < 2*n {
		size *= 2
		shift--
	}
	t := &table{shift: shift, mask: uint64(size - 1)}
	if size == minSlots {
		t.slots = t.small[:]
	} else {
		t.slots = make([]slot, size)
	}
	return t
}

// get returns id's state, or nil if it has none. h is hash(id).
func (t *table) get(h uint64, id int64) *gstate.State {
	for i := h >> t.shift; ; i++ {
		sl := &t.slots[i&t.mask]
		switch sl.id.Load() {
		case id:
			return sl.st.Load()
		case empty:
			return nil
		}
	}
}

// getSmall is get for a table of minSlots (t.mask == minSlots-1), whose
// slots are in small: their addresses follow from t and h alone, without
// waiting for t.slots and t.shift to be loaded.
func (t *table) getSmall(h uint64, id int64) *gstate.State {
	for i := h >> (shardShift - minBits); ; i++ {
		sl := &t.small[i%minSlots]
		switch sl.id.Load() {
		case id:
			return sl.st.Load()
		case empty:
			return nil
		}
	}
}

// find returns the index of the slot holding id, or -1 if there is none. h
// is hash(id).
func (t *table) find(h uint64, id int64) int {
	for i := h >> t.shift; ; i++ {
		j := i & t.mask
		switch t.slots[j].id.Load() {
		case id:
			return int(j)
		case empty:
			return -1
		}
	}
}

// store sets id's state, inserting an entry if it has none, and reports
// whether it inserted one. h is hash(id).
//
// One probe both looks for id and finds where to insert it: the first
// tombstone on the way, or the empty slot that ends the probe.
func (sh *shard) store(h uint64, id int64, st *gstate.State) (inserted bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	t := sh.table.Load()
	free := -1
	for i := h >> t.shift; ; i++ {
		j := int(i & t.mask)
		switch t.slots[j].id.Load() {
		case id:
			t.slots[j].st.Store(st)
			return false
		case tombstone:
			if free < 0 {
				free = j
			}
			continue
		case empty:
			if free < 0 {
				if t == emptyTable || 4*(sh.used+1) > 3*len(t.slots) {
					// Too full, counting tombstones: build a clean
					// table big enough for one more, and publish
					// it. Readers that loaded the old one still
					// find their own entries there.
					t = sh.rebuild(t, int(sh.live.Load())+1)
					free = t.emptySlot(h)
				} else {
					free = j
				}
				sh.used++
			}
		default:
			// A parked slot is free once seized. Seize this
			// goroutine's own even past a free slot: it is to have
			// one entry.
			if (free < 0 || t.slots[j].id.Load() == parked(id)) && t.seize(j) && free < 0 {
				free = j
			}
			continue
		}
		break
	}
	// Set st before id, so that the slot never holds this id with
	// another goroutine's state. Only this goroutine reads it, but the
	// order costs nothing.
	t.slots[free].st.Store(st)
	t.slots[free].id.Store(id)
	sh.live.Add(1)
	return true
}

// seize makes slot j of t, if it is parked, a tombstone, and reports
// whether it did; its goroutine's next acquire fails. Its State goes back to
// the pool. It is called with the shard's lock held.
func (t *table) seize(j int) bool {
	sl := &t.slots[j]
	id := sl.id.Load()
	if id >= tombstone || !sl.id.CompareAndSwap(id, tombstone) {
		return false
	}
	if st := sl.st.Swap(nil); st != nil {
		gstate.Free(st)
	}
	return true
}

// acquire returns goroutine id's state, making its entry live again if it
// is parked, or nil if it has neither. Only the goroutine with that id may
// call it. It takes no lock. h is hash(id).
func (sh *shard) acquire(h uint64, id int64) *gstate.State {
	t := sh.table.Load()
	p := parked(id)
	for i := h >> t.shift; ; i++ {
		sl := &t.slots[i&t.mask]
		switch sl.id.Load() {
		case id:
			return sl.st.Load()
		case p:
			// Seized meanwhile if the swap fails: the slot is no
			// longer this goroutine's, and it has no other.
			if !sl.id.CompareAndSwap(p, id) {
				return nil
			}
			// A rebuild that read this slot before the swap seized
			// it (and the swap failed); one that reads it after
			// copies it as live. Either way nothing is left to do.
			sh.live.Add(1)
			return sl.st.Load()
		case empty:
			return nil
		}
	}
}

// park empties goroutine id's state, if it has an entry, and parks the
// entry. Only the goroutine with that id may call it. It takes no lock
// unless a rebuild of the table runs meanwhile. h is hash(id).
func (sh *shard) park(h uint64, id int64) {
	t := sh.table.Load()
	i := t.find(h, id)
	if i < 0 {
		return
	}
	sl := &t.slots[i]
	st := sl.st.Load()
	st.Reset()
	sl.id.Store(parked(id))
	sh.live.Add(-1)
	if t.frozen.Load() {
		// A rebuild began before the store above. If it read the slot
		// after the store, it seized the slot and pooled st. If it read
		// it before, it copied the entry as live into the table it
		// published: remove it there, and st is this goroutine's to
		// pool.
		sh.mu.Lock()
		defer sh.mu.Unlock()
		cur := sh.table.Load()
		if j := cur.find(h, id); j >= 0 {
			sh.live.Add(1) // clear counts it out again
			sh.clear(cur, j)
			gstate.Free(st)
		}
	}
}

// emptySlot returns the first empty slot of a probe from hash h.
func (t *table) emptySlot(h uint64) int {
	for i := h >> t.shift; ; i++ {
		if j := int(i & t.mask); t.slots[j].id.Load() == empty {
			return j
		}
	}
}

// remove deletes id's entry, if it has one, and returns the state it held
// (nil if none). A table left mostly empty is rebuilt smaller. h is
// hash(id).
func (sh *shard) remove(h uint64, id int64) *gstate.State {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	t := sh.table.Load()
	i := t.find(h, id)
	if i < 0 {
		return nil
	}
	st := t.slots[i].st.Load()
	sh.clear(t, i)
	return st
}

// removeIf deletes id's entry, as remove does, if it holds st, and reports
// whether it did. It is for Sweep, which removes other goroutines' entries;
// it does not touch st.
func (sh *shard) removeIf(h uint64, id int64, st *gstate.State) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	t := sh.table.Load()
	i := t.find(h, id)
	if i < 0 || t.slots[i].st.Load() != st {
		return false
	}
	sh.clear(t, i)
	return true
}

// appendEntries appends every entry of the shard to dst.
func (sh *shard) appendEntries(dst []gstate.Entry) []gstate.Entry {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	t := sh.table.Load()
	for k := range t.slots {
		sl := &t.slots[k]
		if id := sl.id.Load(); id > 0 {
			dst = append(dst, gstate.Entry{ID: id, State: sl.st.Load()})
		}
	}
	return dst
}

// clear removes the entry in slot i of t (the shard's table), and rebuilds
// the table smaller if that leaves it mostly empty. It is called with mu
// held.
//
// The slot becomes empty, not a tombstone, when the slot after it is empty:
// no probe then goes through it to a later slot, so ending probes there
// loses nothing, and the tombstones just before it become empty for the
// same reason. Readers may be probing meanwhile, but each looks for its own
// id, which is not in any slot emptied here. Short-lived goroutines (one
// strategies.Go each) in a sparse table so leave no tombstones behind, which
// would otherwise fill it and make every few inserts build a new table.
func (sh *shard) clear(t *table, i int) {
	t.slots[i].st.Store(nil)
	live := int(sh.live.Add(-1))
	mask := int(t.mask)
	if t.slots[(i+1)&mask].id.Load() != empty {
		t.slots[i].id.Store(tombstone)
	} else {
		t.slots[i].id.Store(empty)
		sh.used--
		for j := (i - 1) & mask; j != i && t.slots[j].id.Load() == tombstone; j = (j - 1) & mask {
			t.slots[j].id.Store(empty)
			sh.used--
		}
	}
	if len(t.slots) > minSlots && 8*live < len(t.slots) {
		// Shrink to a load of at most one quarter, so that growing
		// again takes many inserts.
		sh.rebuild(t, 2*live)
	}
}

// rebuild publishes a new table with room for n entries holding old's live
// entries, and returns it. It is called with mu held.
func (sh *shard) rebuild(old *table, n int) *table {
	// The live count may lag behind entries taken back from parked
	// without the lock; every live or parked slot of old may end up live
	// in t, so t must have room for them all.
	occupied := 0
	for k := range old.slots {
		if id := old.slots[k].id.Load(); id != empty && id != tombstone {
			occupied++
		}
	}
	t := newTable(max(n, occupied))
	used := 0
	mask := t.mask
	if old != emptyTable {
		old.frozen.Store(true)
	}
	for k := range old.slots {
		o := &old.slots[k]
		if old.seize(k) {
			continue
		}
		id := o.id.Load()
		if id <= 0 {
			continue
		}
		i := hash(id) >> t.shift & mask
		for t.slots[i].id.Load() != empty {
			i = (i + 1) & mask
		}
		t.slots[i].st.Store(o.st.Load())
		t.slots[i].id.Store(id)
		used++
	}
	sh.used = used
	sh.table.Store(t)
	return t
}

// hash mixes a goroutine id. Its top bits choose the shard; the bits below
// them choose the home slot in the shard's table.
func hash(id int64) uint64 {
	return uint64(id) * hashMul
}
