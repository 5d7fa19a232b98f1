package gstate

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/localbench/localbench/strategies"
)

// testKeys are the keys the State tests use, by number: key(i) is the i-th.
var testKeys = func() []*strategies.Key {
	ks := make([]*strategies.Key, 1100)
	for i := range ks {
		ks[i] = strategies.NewKey(fmt.Sprint("test", i))
	}
	return ks
}()

func key(i int) *strategies.Key { return testKeys[i] }

func TestStateSize(t *testing.T) {
	// 112 bytes is a size class: a goroutine with a few bindings costs one
	// small allocation. A field added carelessly shows up here.
	if got, want := unsafe.Sizeof(State{}), uintptr(16+smallLen*3*unsafe.Sizeof(uintptr(0))); got != want {
		t.Errorf("unsafe.Sizeof(State{}) = %d; want %d: a State is marks, keys, ext and the inline entries", got, want)
	}
}

func TestStateGetSetDelete(t *testing.T) {
	// Keys far apart, colliding in small, and more than fit inline,
	// exercise probing, growing into big and rebuilding.
	for _, idx := range [][]int{
		{0, 1, 2, 3},
		{100, 101, 102, 103},
		{103, 102, 101, 100},
		{7, 3, 40, 0, 1000, 5},
		{50, 60, 70, 49, 48, 47},
		{0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 76},
	} {
		t.Run(fmt.Sprint(idx), func(t *testing.T) {
			var s State
			for _, i := range idx {
				if v, ok := s.Get(key(i)); ok {
					t.Fatalf("Get(%d) = %v, %v before any Set; want nil, false", i, v, ok)
				}
			}
			for n, i := range idx {
				s.Set(key(i), n)
				for m, j := range idx[:n+1] {
					if v, ok := s.Get(key(j)); v != m || !ok {
						t.Fatalf("after Set(%d): Get(%d) = %v, %v; want %d, true: a Set must not disturb other bindings", i, j, v, ok, m)
					}
				}
			}
			s.Set(key(idx[0]), nil)
			if v, ok := s.Get(key(idx[0])); v != nil || !ok {
				t.Errorf("Get(%d) = %v, %v after Set(nil); want nil, true: a key bound to nil is bound", idx[0], v, ok)
			}
			for _, i := range idx {
				s.Delete(key(i))
				if v, ok := s.Get(key(i)); ok {
					t.Errorf("Get(%d) = %v, %v after Delete; want nil, false", i, v, ok)
				}
			}
			if !s.empty() {
				t.Errorf("empty() = false after deleting every key; want true")
			}
		})
	}
}

func TestStateCompact(t *testing.T) {
	// Four keys created together fit inline whichever is set first, so
	// they allocate nothing beyond the State; so do four keys far apart.
	for first := range smallLen {
		var s State
		base := 200
		s.Set(key(base+first), 1)
		for i := range smallLen {
			s.Set(key(base+i), i)
		}
		if s.ext != nil {
			t.Errorf("first Set at offset %d: ext allocated for %d consecutive keys; want them all inline", first, smallLen)
		}
	}
	var far State
	for _, i := range []int{0, 1000, 4, 333} {
		far.Set(key(i), i)
	}
	if far.ext != nil {
		t.Errorf("ext allocated for %d keys far apart; want them all inline", smallLen)
	}
	allocs := testing.AllocsPerRun(100, func() {
		s := new(State)
		for i := range smallLen {
			s.Set(key(300+i), &i)
		}
	})
	// The State itself, and the &i escaping.
	if allocs > 1+smallLen {
		t.Errorf("binding %d keys allocated %v times; want at most %d", smallLen, allocs, 1+smallLen)
	}
}

func TestStateScopes(t *testing.T) {
	var s State
	s.Set(key(10), "a")
	s.Set(key(11), "b")
	m1 := s.Mark()
	s.Set(key(10), "a1")
	s.Delete(key(11))
	s.Set(key(12), "c1")
	s.Set(key(2), "low")
	s.Set(key(10), "a2") // a second change of one key records nothing more
	if n := len(s.ext.undo); n != 4 {
		t.Errorf("undo log has %d entries after changing 4 keys; want 4", n)
	}
	m2 := s.Mark()
	s.Set(key(12), "c2")
	s.Set(key(500), "far")
	s.Set(key(600), "grows into big inside a scope")
	s.Rollback(m2)
	if v, _ := s.Get(key(12)); v != "c1" {
		t.Errorf("Get(12) = %v after the inner scope; want c1", v)
	}
	if v, ok := s.Get(key(500)); ok {
		t.Errorf("Get(500) = %v, %v after the inner scope; want nil, false", v, ok)
	}
	s.Rollback(m1)
	want := map[int]any{10: "a", 11: "b"}
	for i := range 700 {
		v, ok := s.Get(key(i))
		if w, wok := want[i]; v != w || ok != wok {
			t.Errorf("Get(%d) = %v, %v after both scopes; want %v, %v", i, v, ok, w, wok)
		}
	}
	if s.marks != 0 || len(s.ext.undo) != 0 || s.ext.floor != 0 {
		t.Errorf("marks, undo, floor = %d, %d, %d after closing every scope; want 0, 0, 0", s.marks, len(s.ext.undo), s.ext.floor)
	}
	// A closed scope records nothing more.
	s.Set(key(10), "x")
	if len(s.ext.undo) != 0 {
		t.Errorf("Set outside a scope recorded an undo entry")
	}
}

func TestStateClone(t *testing.T) {
	var nilState *State
	if c := nilState.Clone(); c != nil {
		t.Errorf("(*State)(nil).Clone() = %v; want nil", c)
	}
	var s State
	s.Set(key(3), 1)
	s.Delete(key(3))
	if c := s.Clone(); c != nil {
		t.Errorf("Clone of a state with nothing bound = %v; want nil", c)
	}
	s.Set(key(0), "zero")
	s.Set(key(90), "x")
	s.Set(key(91), nil)
	s.Delete(key(0))
	m := s.Mark()
	c := s.Clone()
	s.Rollback(m)
	if c.ext != nil || c.marks != 0 {
		t.Errorf("Clone: ext %v, marks %d; want nil, 0: a clone is compact and has no scope", c.ext, c.marks)
	}
	if v, ok := c.Get(key(90)); v != "x" || !ok {
		t.Errorf("clone Get(90) = %v, %v; want x, true", v, ok)
	}
	if v, ok := c.Get(key(91)); v != nil || !ok {
		t.Errorf("clone Get(91) = %v, %v; want nil, true", v, ok)
	}
	c.Set(key(90), "y")
	if v, _ := s.Get(key(90)); v != "x" {
		t.Errorf("Get(90) = %v on the original after changing the clone; want x", v)
	}
}

func TestStateSnapshot(t *testing.T) {
	k1, k2, k3 := strategies.NewKey("a"), strategies.NewKey("b"), strategies.NewKey("c")
	var s State
	s.Set(k1, 1)
	s.Set(k2, nil)
	s.Set(k3, 3)
	s.Delete(k3)
	got := s.Snapshot()
	if len(got) != 2 || got[k1] != 1 || got[k2] != nil {
		t.Errorf("Snapshot() = %v; want map[a:1 b:<nil>]", got)
	}
	if _, ok := got[k2]; !ok {
		t.Errorf("Snapshot() has no entry for a key bound to nil")
	}
	var nilState *State
	if got := nilState.Snapshot(); got == nil || len(got) != 0 {
		t.Errorf("(*State)(nil).Snapshot() = %#v; want an empty, non-nil map", got)
	}
}

// TestStateReference runs one seeded random sequence of operations against
// State and a plain model (a map per open scope) and compares every index
// after each step.
func TestStateReference(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, seed))
	const indexes = 40
	pick := func() int {
		// Mostly a small cluster far from 0 (inline), sometimes anywhere
		// (big).
		if r.IntN(4) == 0 {
			return r.IntN(indexes)
		}
		return 20 + r.IntN(6)
	}
	var s State
	model := []map[int]any{{}} // model[len-1] is the current view
	var marks []Mark
	for step := range 5000 {
		cur := model[len(model)-1]
		var op string
		switch n := r.IntN(10); {
		case n < 4:
			i, v := pick(), any(step)
			if r.IntN(8) == 0 {
				v = nil
			}
			op = fmt.Sprintf("Set(%d, %v)", i, v)
			if r.IntN(2) == 0 {
				// The way the stores set: the inlined shortcut
				// first.
				op = fmt.Sprintf("SetHome(%d, %v)", i, v)
				if !s.SetHome(key(i), v) && !s.SetNext(key(i), v) {
					s.Set(key(i), v)
				}
			} else {
				s.Set(key(i), v)
			}
			cur[i] = v
		case n < 6:
			i := pick()
			op = fmt.Sprintf("Delete(%d)", i)
			s.Delete(key(i))
			delete(cur, i)
		case n < 8 && len(marks) < 6:
			op = "Mark"
			marks = append(marks, s.Mark())
			next := make(map[int]any, len(cur))
			for k, v := range cur {
				next[k] = v
			}
			model = append(model, next)
		case len(marks) > 0:
			op = "Rollback"
			s.Rollback(marks[len(marks)-1])
			marks = marks[:len(marks)-1]
			model = model[:len(model)-1]
		case r.IntN(2) == 0:
			op = "Clone"
			if c := s.Clone(); c != nil {
				s = *c
				marks = nil
				model = []map[int]any{model[len(model)-1]}
			}
		}
		cur = model[len(model)-1]
		for i := range indexes {
			v, ok := s.Get(key(i))
			w, wok := cur[i]
			if v != w || ok != wok {
				t.Fatalf("step %d (%s): Get(%d) = %v, %v; want %v, %v (seed %d)", step, op, i, v, ok, w, wok, seed)
			}
			checkShortcuts(t, &s, i, w, wok)
		}
	}
}

// checkShortcuts checks that the answers Home, HomeSlot, SlotAt and Lacks give
// without Get agree with Get's, w and wok, for key(i) in s.
func checkShortcuts(t *testing.T, s *State, i int, w any, wok bool) {
	t.Helper()
	k := key(i)
	if v, ok, done := s.Home(k); done && (v != w || ok != wok) {
		t.Fatalf("Home(%d) = %v, %v, true; want %v, %v", i, v, ok, w, wok)
	}
	if e := s.HomeSlot(k); e.Holds(k) && (!wok || e.Value() != w) {
		t.Fatalf("HomeSlot(%d) holds %v; want %v, %v", i, e.Value(), w, wok)
	}
	if s.Lacks(k) && wok {
		t.Fatalf("Lacks(%d) = true; want false: it is bound to %v", i, w)
	}
	if e := s.SlotAt(k.Index() + 1); e.Holds(k) && (!wok || e.Value() != w) {
		t.Fatalf("the slot after %d's home holds %v; want %v, %v", i, e.Value(), w, wok)
	}
}

func BenchmarkStateGet(b *testing.B) {
	var s State
	s.Set(key(5), &s)
	b.ReportAllocs()
	for b.Loop() {
		s.Get(key(5))
	}
}

func BenchmarkStateSet(b *testing.B) {
	var s State
	v := any(&s)
	b.ReportAllocs()
	for b.Loop() {
		s.Set(key(5), v)
	}
}

func TestStateCloneSmall(t *testing.T) {
	// Bindings only inline: Clone copies them whole.
	var s State
	s.Set(key(5), "five")
	s.Set(key(6), nil)
	s.Set(key(7), "seven")
	s.Delete(key(5))
	c := s.Clone()
	if c == nil || c.ext != nil || c.marks != 0 {
		t.Fatalf("Clone = %+v; want no ext, no marks", c)
	}
	for i, want := range map[int]any{5: nil, 6: nil, 7: "seven", 8: nil, 9: nil} {
		v, ok := c.Get(key(i))
		wantOK := i == 6 || i == 7
		if v != want || ok != wantOK {
			t.Errorf("clone Get(%d) = %v, %t; want %v, %t", i, v, ok, want, wantOK)
		}
	}
	c.Set(key(9), "nine")
	if _, ok := s.Get(key(9)); ok {
		t.Errorf("Get(9) = _, true on the original after setting it on the clone; want false")
	}
	if _, ok := c.Get(key(9)); !ok {
		t.Errorf("clone Get(9) = _, false after Set; want true")
	}
}
