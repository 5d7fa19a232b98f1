package bindings

import (
	"maps"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/localbench/localbench/strategies"
)

// newKeys makes n keys for one test.
func newKeys(n int) []*strategies.Key {
	ks := make([]*strategies.Key, n)
	for i := range ks {
		ks[i] = strategies.NewKey("bindings-test")
	}
	return ks
}

// form names the representation s holds now, for failure messages and for
// checking that a test reached the form it means to test.
func form(s *State) string {
	if s.big != nil {
		return "map"
	}
	return "slice"
}

func TestScopeUndo(t *testing.T) {
	k := newKeys(2)
	var s State
	s.Set(k[0], "outer")
	m := s.Mark()
	s.Set(k[0], "inner")
	s.Set(k[1], nil)
	s.Delete(k[0])
	if v, ok := s.Get(k[0]); ok {
		t.Errorf("Get(k0) in scope after Delete = %v, true; want nil, false", v)
	}
	if v, ok := s.Get(k[1]); !ok || v != nil {
		t.Errorf("Get(k1) = %v, %t; want nil, true (bound to nil)", v, ok)
	}
	c := s.Clone()
	s.Rollback(m)
	if v, ok := s.Get(k[0]); !ok || v != "outer" {
		t.Errorf("Get(k0) after the scope = %v, %t; want outer, true", v, ok)
	}
	if _, ok := s.Get(k[1]); ok {
		t.Error("Get(k1) after the scope found a binding made inside it")
	}
	if v, ok := c.Get(k[1]); !ok || v != nil {
		t.Errorf("clone Get(k1) = %v, %t; want nil, true: a clone keeps what was visible", v, ok)
	}
	if s.Empty() {
		t.Error("Empty() = true with a binding left")
	}
	s.Delete(k[0])
	if !s.Empty() {
		t.Error("Empty() = false with nothing bound and no scope open")
	}
}

// TestGrowPastList binds more keys than the slice holds: every binding,
// a bound nil among them, must survive the move to the map, and Delete
// and Set must keep working there.
func TestGrowPastList(t *testing.T) {
	k := newKeys(3 * maxList)
	var s State
	for i, key := range k {
		if i == 1 {
			s.Set(key, nil)
			continue
		}
		s.Set(key, i)
	}
	if form(&s) != "map" {
		t.Fatalf("after %d bindings the State is in its %s form; want map", len(k), form(&s))
	}
	if v, ok := s.Get(k[1]); !ok || v != nil {
		t.Errorf("Get(k1) = %v, %t; want nil, true: a bound nil stays bound in the map", v, ok)
	}
	for i := 2; i < len(k); i++ {
		if v, ok := s.Get(k[i]); !ok || v != i {
			t.Errorf("Get(k%d) = %v, %t; want %d, true", i, v, ok, i)
		}
	}
	s.Delete(k[0])
	s.Set(k[2], "again")
	if v, ok := s.Get(k[0]); ok {
		t.Errorf("Get(k0) after Delete = %v, true; want nil, false", v)
	}
	if v, ok := s.Get(k[2]); !ok || v != "again" {
		t.Errorf("Get(k2) after a second Set = %v, %t; want again, true", v, ok)
	}
	if got := len(s.Snapshot()); got != len(k)-1 {
		t.Errorf("len(Snapshot()) = %d; want %d", got, len(k)-1)
	}
	for _, key := range k {
		s.Delete(key)
	}
	if !s.Empty() {
		t.Errorf("Empty() = false after deleting every binding (form %s)", form(&s))
	}
}

// TestRollbackAcrossSwitch opens scopes while the bindings are in the
// slice and binds enough inside them to move to the map: closing the scopes
// must bring back exactly the bindings each one started with.
func TestRollbackAcrossSwitch(t *testing.T) {
	k := newKeys(2*maxList + 2)
	var s State
	s.Set(k[0], "a")
	s.Set(k[1], nil)
	s.Set(k[2], "c")
	outer := s.Snapshot()

	m1 := s.Mark()
	s.Delete(k[0])
	s.Set(k[1], "was nil")
	for i := 3; i <= maxList+1; i++ {
		s.Set(k[i], i)
	}
	if form(&s) != "map" {
		t.Fatalf("after binding %d keys in a scope the State is in its %s form; want map", s.count(), form(&s))
	}
	middle := s.Snapshot()

	m2 := s.Mark()
	s.Set(k[0], "inner")
	s.Delete(k[3])
	s.Set(k[3], "rebound")
	for i := maxList + 2; i < len(k); i++ {
		s.Set(k[i], nil)
	}
	s.Rollback(m2)
	if got := s.Snapshot(); !maps.Equal(got, middle) {
		t.Errorf("after the inner scope Snapshot() = %v; want %v", got, middle)
	}

	s.Rollback(m1)
	if got := s.Snapshot(); !maps.Equal(got, outer) {
		t.Errorf("after the outer scope Snapshot() = %v; want %v", got, outer)
	}
	if v, ok := s.Get(k[1]); !ok || v != nil {
		t.Errorf("Get(k1) after the scopes = %v, %t; want nil, true: the bound nil comes back", v, ok)
	}
	if s.Empty() {
		t.Error("Empty() = true with three bindings")
	}
}

// TestCloneForm checks that Clone copies both forms, picks the slice again
// when few bindings are left in a map, and shares nothing with s.
func TestCloneForm(t *testing.T) {
	k := newKeys(maxList + 4)
	var s State
	for i, key := range k {
		s.Set(key, i)
	}
	big := s.Clone()
	if form(big) != "map" || !maps.Equal(big.Snapshot(), s.Snapshot()) {
		t.Errorf("Clone of %d bindings: form %s, %v; want map, %v", len(k), form(big), big.Snapshot(), s.Snapshot())
	}
	for _, key := range k[2:] {
		s.Delete(key)
	}
	s.Set(k[1], nil)
	small := s.Clone()
	if form(small) != "slice" || !maps.Equal(small.Snapshot(), s.Snapshot()) {
		t.Errorf("Clone of 2 bindings held in a map: form %s, %v; want slice, %v", form(small), small.Snapshot(), s.Snapshot())
	}
	small.Set(k[0], "clone")
	big.Delete(k[0])
	if v, ok := s.Get(k[0]); !ok || v != 0 {
		t.Errorf("Get(k0) after changing the clones = %v, %t; want 0, true: a clone shares nothing", v, ok)
	}
	m := s.Mark()
	s.Set(k[0], "in scope")
	c := s.Clone()
	s.Rollback(m)
	if c.marks != 0 {
		t.Errorf("a clone made inside a scope has %d open scopes; want 0", c.marks)
	}
	if v, ok := c.Get(k[0]); !ok || v != "in scope" {
		t.Errorf("clone made in a scope: Get(k0) = %v, %t; want in scope, true", v, ok)
	}
	var empty State
	if empty.Clone() != nil || (*State)(nil).Clone() != nil {
		t.Error("Clone of an empty or nil State is not nil")
	}
}

// TestMissingLeavesNothing checks that Get and Delete of unbound keys leave
// nothing behind, inside a scope or not, and that a scope that binds a key
// and unbinds it again leaves nothing either.
func TestMissingLeavesNothing(t *testing.T) {
	k := newKeys(1)
	var s State
	if v, ok := s.Get(k[0]); ok {
		t.Errorf("Get of an unbound key = %v, true; want nil, false", v)
	}
	s.Delete(k[0])
	if !s.Empty() {
		t.Error("Empty() = false after Get and Delete of an unbound key")
	}
	m := s.Mark()
	s.Delete(k[0])
	if len(s.undo) != 0 {
		t.Errorf("Delete of an unbound key in a scope logged %d changes; want 0", len(s.undo))
	}
	s.Set(k[0], 1)
	s.Delete(k[0])
	s.Rollback(m)
	if !s.Empty() {
		t.Error("Empty() = false after a scope that bound and unbound a key")
	}
}

// TestDifferential runs one seeded random sequence of Set, Delete, Get,
// Mark, Rollback and Clone against a reference model (a stack of map
// copies), over twice as many keys as the slice holds, so that about half
// are bound and scopes open and close on both sides of the switch. With no
// scope open the sequence goes on with the Clone it made, which is in the
// slice form again whenever few keys are bound.
func TestDifferential(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	k := newKeys(2 * maxList)
	s := new(State)
	type frame struct {
		mark  Mark
		saved map[*strategies.Key]any
	}
	var stack []frame
	model := map[*strategies.Key]any{}
	forms := map[string]int{}
	for step := range 50000 {
		key := k[rng.IntN(len(k))]
		switch op := rng.IntN(10); {
		case op < 3:
			var v any
			if rng.IntN(4) > 0 {
				v = rng.IntN(100)
			}
			s.Set(key, v)
			model[key] = v
		case op < 6:
			s.Delete(key)
			delete(model, key)
		case op == 6 && len(stack) < 20:
			stack = append(stack, frame{s.Mark(), maps.Clone(model)})
		case op < 8:
			if len(stack) == 0 {
				break
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			s.Rollback(f.mark)
			model = f.saved
		default:
			c := s.Clone()
			if !maps.Equal(c.Snapshot(), model) {
				t.Fatalf("step %d (seed %d): Clone().Snapshot() = %v; want %v", step, seed, c.Snapshot(), model)
			}
			if len(stack) == 0 {
				if c == nil {
					c = new(State)
				}
				s = c
			}
		}
		forms[form(s)+"/"+map[bool]string{false: "top", true: "scope"}[len(stack) > 0]]++
		want, wantOK := model[key]
		if v, ok := s.Get(key); v != want || ok != wantOK {
			t.Fatalf("step %d (seed %d): Get = %v, %t; want %v, %t", step, seed, v, ok, want, wantOK)
		}
		if got := s.Snapshot(); !maps.Equal(got, model) {
			t.Fatalf("step %d (seed %d): Snapshot() = %v; want %v", step, seed, got, model)
		}
		if got, want := s.Empty(), len(model) == 0 && len(stack) == 0; got != want {
			t.Fatalf("step %d (seed %d): Empty() = %t; want %t", step, seed, got, want)
		}
	}
	t.Logf("steps by form: %v", forms)
	for _, f := range []string{"slice/top", "slice/scope", "map/top", "map/scope"} {
		if forms[f] == 0 {
			t.Errorf("no step ran with the State in form %s: the sequence does not test it", f)
		}
	}
}
