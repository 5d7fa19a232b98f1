package bindings

import "testing"

func TestScopeUndo(t *testing.T) {
	var s State
	s.Set(1, "outer")
	m := s.Mark()
	s.Set(1, "inner")
	s.Set(2, nil)
	s.Delete(1)
	if v, ok := s.Get(1); ok {
		t.Errorf("Get(1) in scope after Delete = %v, true; want nil, false", v)
	}
	if v, ok := s.Get(2); !ok || v != nil {
		t.Errorf("Get(2) = %v, %t; want nil, true (bound to nil)", v, ok)
	}
	c := s.Clone()
	s.Rollback(m)
	if v, ok := s.Get(1); !ok || v != "outer" {
		t.Errorf("Get(1) after the scope = %v, %t; want outer, true", v, ok)
	}
	if _, ok := s.Get(2); ok {
		t.Error("Get(2) after the scope found a binding made inside it")
	}
	if v, ok := c.Get(2); !ok || v != nil {
		t.Errorf("clone Get(2) = %v, %t; want nil, true: a clone keeps what was visible", v, ok)
	}
	if s.Empty() {
		t.Error("Empty() = true with a binding left")
	}
	s.Delete(1)
	if !s.Empty() {
		t.Error("Empty() = false with nothing bound and no scope open")
	}
}
