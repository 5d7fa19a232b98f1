package shardedmap

import (
	"sync"
	"testing"

	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/internal/gstate"
)

// These tests drive one shard directly with made-up ids: a shard does not
// care which goroutine calls it, only the Store does.

func newShard() *shard {
	sh := new(shard)
	sh.table.Store(emptyTable)
	return sh
}

func (sh *shard) get(id int64) *gstate.State { return sh.table.Load().get(hash(id), id) }
func (sh *shard) put(id int64, st *gstate.State) {
	sh.store(hash(id), id, st)
}
func (sh *shard) del(id int64) { sh.remove(hash(id), id) }

// cycle is what a goroutine with id does for one top-level Scope that Sets:
// take back its parked entry, or insert one, then park it. It checks that
// the state it holds meanwhile is its own and was emptied when parked.
func (sh *shard) cycle(t *testing.T, id int64) {
	h := hash(id)
	st := sh.acquire(h, id)
	if st == nil {
		st = gstate.NewState()
		sh.store(h, id, st)
	}
	if v, ok := st.Get(parkKey); ok {
		t.Errorf("id %d: acquired state holds %v; want it empty", id, v)
	}
	st.Set(parkKey, id)
	if got := sh.get(id); got != st {
		t.Errorf("get(%d) = %p after acquire; want %p", id, got, st)
	}
	if v, _ := st.Get(parkKey); v != id {
		t.Errorf("id %d: its state holds %v; want its own id: another goroutine wrote it", id, v)
	}
	sh.park(h, id)
	if got := sh.get(id); got != nil {
		t.Errorf("get(%d) = %p after park; want nil", id, got)
	}
}

var parkKey = strategies.NewKey("park")

// check verifies a shard's invariants: counts match the table, the load is
// bounded, and every live entry is found by a probe from its home slot.
func (sh *shard) check(t *testing.T, want map[int64]*gstate.State) {
	t.Helper()
	tab := sh.table.Load()
	live, used := 0, 0
	for i := range tab.slots {
		switch id := tab.slots[i].id.Load(); id {
		case empty:
		case tombstone:
			used++
		default:
			if id > 0 {
				live++
			}
			used++ // live or parked
		}
	}
	if live != len(want) || int(sh.live.Load()) != live || sh.used != used {
		t.Fatalf("live entries %d, live count %d, used %d (counted %d); want %d live and counts that match the table", live, sh.live.Load(), sh.used, used, len(want))
	}
	if tab != emptyTable && 4*used > 3*len(tab.slots) {
		t.Fatalf("%d of %d slots used; want at most three quarters", used, len(tab.slots))
	}
	if tab.mask != uint64(len(tab.slots)-1) || len(tab.slots)&(len(tab.slots)-1) != 0 {
		t.Fatalf("table of %d slots has mask %#x; want a power of two and its mask", len(tab.slots), tab.mask)
	}
	if len(tab.slots) > minSlots {
		for i := range tab.small {
			if id := tab.small[i].id.Load(); id != empty {
				t.Fatalf("table of %d slots has id %d in small[%d]; want small empty (Store.Get tests it without looking at the size)", len(tab.slots), id, i)
			}
		}
	}
	for id, st := range want {
		if got := sh.get(id); got != st {
			t.Fatalf("get(%d) = %p; want %p", id, got, st)
		}
	}
}

func TestShardGrowAndShrink(t *testing.T) {
	sh := newShard()
	if got := sh.get(1); got != nil {
		t.Fatalf("get(1) = %p on an empty shard; want nil", got)
	}
	sh.del(1) // removing what is not there is harmless
	want := map[int64]*gstate.State{}
	const n = 3000
	for id := int64(1); id <= n; id++ {
		st := new(gstate.State)
		sh.put(id, st)
		want[id] = st
		if id%97 == 0 {
			sh.check(t, want)
		}
	}
	sh.check(t, want)
	if got := len(sh.table.Load().slots); got > 4*n {
		t.Errorf("table has %d slots for %d entries; want at most %d", got, n, 4*n)
	}
	for id := int64(1); id <= n; id++ {
		sh.del(id)
		delete(want, id)
		if id%89 == 0 {
			sh.check(t, want)
		}
	}
	sh.check(t, want)
	if got := len(sh.table.Load().slots); got != minSlots {
		t.Errorf("table has %d slots after every entry was removed; want %d: an emptied table shrinks", got, minSlots)
	}
}

func TestShardTombstones(t *testing.T) {
	// Goroutine ids are never reused: a shard that sees a long stream of
	// short-lived goroutines, a few at a time, must not fill up with
	// tombstones nor grow.
	sh := newShard()
	want := map[int64]*gstate.State{}
	for id := int64(1); id <= 20000; id++ {
		st := new(gstate.State)
		sh.put(id, st)
		want[id] = st
		if old := id - 3; old > 0 {
			sh.del(old)
			delete(want, old)
		}
	}
	sh.check(t, want)
	if got := len(sh.table.Load().slots); got != minSlots {
		t.Errorf("table has %d slots with at most 4 live entries at a time; want %d", got, minSlots)
	}
}

func TestShardEmptiedInPlace(t *testing.T) {
	// One short-lived goroutine at a time (strategies.Go in a loop): a
	// removed entry's slot becomes empty, not a tombstone, so the table is
	// never rebuilt and no tombstones pile up.
	sh := newShard()
	sh.put(1, new(gstate.State))
	tab := sh.table.Load()
	for id := int64(2); id <= 1000; id++ {
		sh.del(id - 1)
		sh.check(t, map[int64]*gstate.State{})
		if sh.used != 0 {
			t.Fatalf("used = %d with the table empty; want 0: the last removal empties it", sh.used)
		}
		st := new(gstate.State)
		sh.put(id, st)
		sh.check(t, map[int64]*gstate.State{id: st})
	}
	if sh.table.Load() != tab {
		t.Errorf("the table was rebuilt; want it reused: one entry at a time never needs a new table")
	}
}

func TestShardCollisions(t *testing.T) {
	// Find ids with one home slot in the first table, so that they probe
	// past each other, then remove the middle one.
	home := func(id int64) uint64 { return hash(id) >> (shardShift - minBits) & (minSlots - 1) }
	var ids []int64
	for id := int64(1); len(ids) < 3; id++ {
		if home(id) == home(1) {
			ids = append(ids, id)
		}
	}
	sh := newShard()
	want := map[int64]*gstate.State{}
	for _, id := range ids {
		st := new(gstate.State)
		sh.put(id, st)
		want[id] = st
	}
	sh.check(t, want)
	sh.del(ids[1])
	delete(want, ids[1])
	sh.check(t, want)
	if got := sh.get(ids[1]); got != nil {
		t.Errorf("get(%d) = %p after remove; want nil", ids[1], got)
	}
	// Updating in place keeps one entry.
	st := new(gstate.State)
	sh.put(ids[2], st)
	want[ids[2]] = st
	sh.check(t, want)
	// A new id with the same home reuses the tombstone.
	var next int64
	for id := ids[2] + 1; next == 0; id++ {
		if home(id) == home(1) {
			next = id
		}
	}
	used := sh.used
	sh.put(next, new(gstate.State))
	if sh.used != used {
		t.Errorf("used = %d after inserting over a tombstone; want %d", sh.used, used)
	}
}

func TestShardConcurrentReaders(t *testing.T) {
	// Readers, each looking up its own id, run while a writer grows and
	// shrinks the table under them. Each reader only ever finds its own
	// state; under -race this also checks that every shared word is read
	// atomically.
	sh := newShard()
	const readers = 8
	sts := make([]*gstate.State, readers)
	for r := range readers {
		sts[r] = new(gstate.State)
		sh.put(int64(1_000_000+r), sts[r])
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for r := range readers {
		id := int64(1_000_000 + r)
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if got := sh.get(id); got != sts[r] {
					t.Errorf("get(%d) = %p while the table changed; want %p", id, got, sts[r])
					return
				}
			}
		})
	}
	for round := range 20 {
		base := int64(round * 1000)
		for id := base + 1; id <= base+500; id++ {
			sh.put(id, new(gstate.State))
		}
		for id := base + 1; id <= base+500; id++ {
			sh.del(id)
		}
	}
	close(stop)
	wg.Wait()
}

func TestShardSweepHelpers(t *testing.T) {
	// Sweep lists a shard's entries and removes some of them, as
	// goroutines other than their owners: removeIf must remove an entry
	// only while it holds the listed state, follow remove's protocol
	// (tombstones, counts, shrinking), and report what it did.
	sh := newShard()
	want := map[int64]*gstate.State{}
	const n = 1000
	for id := int64(1); id <= n; id++ {
		st := new(gstate.State)
		if inserted := sh.store(hash(id), id, st); !inserted {
			t.Fatalf("store(%d) of a new id reported no insert", id)
		}
		want[id] = st
	}
	if inserted := sh.store(hash(1), 1, want[1]); inserted {
		t.Errorf("store(1) of an id that has an entry reported an insert")
	}
	listed := sh.appendEntries(nil)
	if len(listed) != n {
		t.Fatalf("appendEntries listed %d entries; want %d", len(listed), n)
	}
	for _, e := range listed {
		if want[e.ID] != e.State {
			t.Fatalf("appendEntries listed %d with state %p; want %p", e.ID, e.State, want[e.ID])
		}
	}
	if sh.removeIf(hash(1), 1, new(gstate.State)) {
		t.Errorf("removeIf(1) with another state removed the entry; want it kept: the entry changed since it was listed")
	}
	if sh.removeIf(hash(n+1), n+1, nil) {
		t.Errorf("removeIf of an id with no entry reported a removal")
	}
	sh.check(t, want)
	for _, e := range listed {
		if e.ID == 1 {
			continue
		}
		if !sh.removeIf(hash(e.ID), e.ID, e.State) {
			t.Errorf("removeIf(%d) with its listed state did not remove it", e.ID)
		}
		delete(want, e.ID)
	}
	sh.check(t, want)
	if got := len(sh.table.Load().slots); got != minSlots {
		t.Errorf("table has %d slots with one entry left; want %d: removeIf shrinks as remove does", got, minSlots)
	}
}

func TestShardTombstonesCleared(t *testing.T) {
	// Three ids with one home slot: removing the middle one leaves a
	// tombstone (a probe for the third goes through it); removing the
	// third then empties its slot and the tombstone before it, since no
	// probe goes through either any more.
	home := func(id int64) uint64 { return hash(id) >> (shardShift - minBits) & (minSlots - 1) }
	var ids []int64
	for id := int64(1); len(ids) < 3; id++ {
		if home(id) == home(1) {
			ids = append(ids, id)
		}
	}
	sh := newShard()
	first := new(gstate.State)
	sh.put(ids[0], first)
	sh.put(ids[1], new(gstate.State))
	sh.put(ids[2], new(gstate.State))
	sh.del(ids[1])
	if sh.used != 3 {
		t.Errorf("used = %d after removing the middle of a probe chain; want 3: its slot must stay a tombstone", sh.used)
	}
	sh.del(ids[2])
	sh.check(t, map[int64]*gstate.State{ids[0]: first})
	if sh.used != 1 {
		t.Errorf("used = %d after removing the end of the chain; want 1: its slot and the tombstone before it become empty", sh.used)
	}
}

func TestShardPark(t *testing.T) {
	sh := newShard()
	a := new(gstate.State)
	sh.put(1, a)
	a.Set(parkKey, 1)
	sh.park(hash(1), 1)
	sh.check(t, map[int64]*gstate.State{})
	if _, ok := a.Get(parkKey); ok {
		t.Fatalf("a parked state still holds its binding; want it emptied")
	}
	if got := sh.acquire(hash(1), 1); got != a {
		t.Fatalf("acquire(1) = %p; want the parked state %p back", got, a)
	}
	sh.check(t, map[int64]*gstate.State{1: a})
	if got := sh.acquire(hash(1), 1); got != a {
		t.Fatalf("acquire(1) of a live entry = %p; want %p", got, a)
	}
	sh.park(hash(1), 1)
	sh.park(hash(1), 1) // nothing live: does nothing
	sh.check(t, map[int64]*gstate.State{})

	// An insert whose probe passes a parked slot seizes it: its goroutine
	// then has nothing to acquire.
	var other int64 = 2
	for hash(other)>>(shardShift-minBits)%minSlots != hash(1)>>(shardShift-minBits)%minSlots {
		other++
	}
	b := new(gstate.State)
	sh.put(other, b)
	sh.check(t, map[int64]*gstate.State{other: b})
	if got := sh.acquire(hash(1), 1); got != nil {
		t.Fatalf("acquire(1) after its slot was seized = %p; want nil", got)
	}

	// A rebuild drops parked entries: growing past the load limit parks
	// nothing live away and seizes every parked slot.
	want := map[int64]*gstate.State{other: b}
	for id := int64(100); id < 110; id++ {
		sh.cycle(t, id)
	}
	for id := int64(200); id < 230; id++ {
		st := new(gstate.State)
		sh.put(id, st)
		want[id] = st
	}
	sh.check(t, want)
	for id := int64(100); id < 110; id++ {
		if got := sh.acquire(hash(id), id); got != nil {
			t.Fatalf("acquire(%d) after a rebuild = %p; want nil: a rebuild drops parked entries", id, got)
		}
	}
}

func TestShardParkConcurrent(t *testing.T) {
	// Goroutines, each with an id of its own, park and take back their
	// entries while a writer inserts and removes other ids, which seizes
	// parked slots and rebuilds the table under them. Each finds only its
	// own state, emptied; under -race this also checks that a state
	// changes hands (parked, seized, pooled, reused) with a happens-before
	// edge each time.
	sh := newShard()
	const cyclers = 8
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for r := range cyclers {
		id := int64(1_000_000 + r)
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				sh.cycle(t, id)
			}
		})
	}
	for round := range 20 {
		base := int64(round * 1000)
		for id := base + 1; id <= base+300; id++ {
			sh.cycle(t, id) // leaves a parked slot, as an exited goroutine does
			sh.put(id+500, new(gstate.State))
		}
		for id := base + 1; id <= base+300; id++ {
			sh.del(id + 500)
		}
	}
	close(stop)
	wg.Wait()
	sh.check(t, map[int64]*gstate.State{})
}
