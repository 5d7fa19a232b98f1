package gstate

import (
	"maps"
	"testing"
	"time"

	"github.com/petermattis/goid"
)

// AppendEntries and Drop make mapTable a Sweepable.
func (t *mapTable) AppendEntries(dst []Entry) []Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, st := range t.m {
		dst = append(dst, Entry{id, st})
	}
	return dst
}

func (t *mapTable) Drop(dead []Entry) int {
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

// neverID returns ids no goroutine of this test has: goroutine ids are
// handed out in order from 1.
func neverID(i int) int64 { return 1<<62 + int64(i) }

func TestSweeperDropsOnlyDead(t *testing.T) {
	tab := newMapTable()
	me := goid.Get()
	set(tab, me, 0, "mine")
	const dead = 10
	before := map[int64]map[any]any{}
	for i := range dead {
		set(tab, neverID(i), 0, i)
		set(tab, neverID(i), 7, -i)
		before[neverID(i)] = snapshot(tab.m[neverID(i)])
	}
	states := maps.Clone(tab.m)
	var w Sweeper
	if got := w.Sweep(tab, nil); got != dead {
		t.Errorf("Sweep() = %d with %d entries of ids no goroutine has; want %d", got, dead, dead)
	}
	if v, ok := get(tab, me, 0); v != "mine" || !ok {
		t.Errorf("Get = %v, %t on the sweeping goroutine after Sweep; want mine, true: a live goroutine's entry is kept", v, ok)
	}
	if len(tab.m) != 1 {
		t.Errorf("table has %d entries after Sweep; want 1", len(tab.m))
	}
	// The dropped states are untouched: their owners are gone, and Sweep
	// only drops the table's reference.
	for id, want := range before {
		if got := snapshot(states[id]); !maps.Equal(got, want) {
			t.Errorf("state of dropped goroutine %d = %v after Sweep; want %v, untouched", id, got, want)
		}
	}
	if w.dumpSize == 0 {
		t.Errorf("Sweeper remembers a dump size of 0 after a sweep; want the size of the dump, for the next one")
	}
	if got := w.Sweep(tab, nil); got != 0 {
		t.Errorf("Sweep() again = %d; want 0", got)
	}
}

func snapshot(st *State) map[any]any {
	m := map[any]any{}
	for i, v := range st.all {
		m[i] = v
	}
	return m
}

// growthOwner is a table's owner for the Background tests, with a sweep
// that reports each run.
type growthOwner struct {
	w     Sweeper
	tab   *mapTable
	bg    *Background
	swept chan int
}

func (o *growthOwner) sweep() int {
	n := o.w.Sweep(o.tab, o.bg)
	o.swept <- n
	return n
}

func newGrowthOwner(c SweepConfig) *growthOwner {
	o := &growthOwner{tab: newMapTable(), swept: make(chan int, 100)}
	o.bg = NewBackground(o, (*growthOwner).sweep, c)
	o.bg.Start()
	return o
}

func TestBackgroundGrowth(t *testing.T) {
	o := newGrowthOwner(SweepConfig{OnGrowth: true})
	defer o.bg.Close()
	for i := range minGrowth - 1 {
		set(o.tab, neverID(i), 0, i)
		o.bg.Inserted()
	}
	if o.bg.pending.Load() {
		t.Fatalf("a growth sweep started after %d inserts; want none before %d", minGrowth-1, minGrowth)
	}
	set(o.tab, neverID(minGrowth), 0, 0)
	o.bg.Inserted()
	select {
	case n := <-o.swept:
		if n != minGrowth {
			t.Errorf("growth sweep dropped %d entries; want %d", n, minGrowth)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no growth sweep within 10s of the %dth insert", minGrowth)
	}
	// The sweep left nothing, and few goroutines were alive: the next
	// starts after minGrowth more inserts. A big table waits longer.
	if got := o.bg.threshold.Load(); got != minGrowth {
		t.Errorf("threshold = %d after a sweep that left an empty table; want %d", got, minGrowth)
	}
	o.bg.swept(5000, 10)
	if got := o.bg.threshold.Load(); got != 5000 {
		t.Errorf("threshold = %d after a sweep that kept 5000 entries; want 5000: sweep when the table may have doubled", got)
	}
	o.bg.swept(10, 7000)
	if got := o.bg.threshold.Load(); got != 7000 {
		t.Errorf("threshold = %d after a sweep that saw 7000 goroutines; want 7000: a dump is paid for by as many inserts", got)
	}
}

func TestBackgroundClose(t *testing.T) {
	o := newGrowthOwner(SweepConfig{OnGrowth: true, Every: time.Hour})
	o.bg.Close()
	o.bg.Close() // idempotent
	for range 2 * minGrowth {
		o.bg.Inserted()
	}
	o.bg.wg.Wait() // any sweep started would be waited for here
	if n := len(o.swept); n != 0 {
		t.Errorf("%d sweeps ran after Close; want none", n)
	}
	var nilBG *Background
	nilBG.Start()
	nilBG.Close()
	if b := NewBackground(o, (*growthOwner).sweep, SweepConfig{}); b != nil {
		t.Errorf("NewBackground with an empty config = %p; want nil", b)
	}
}
