package mapid

import (
	"testing"

	"github.com/localbench/localbench/strategies/internal/gstate"
)

func TestSweepTableDrop(t *testing.T) {
	// Drop removes an entry only while it holds the state Sweep listed.
	s := New()
	listed, other := new(gstate.State), new(gstate.State)
	s.m[1<<62] = listed
	s.m[1<<62+1] = other
	tab := s.table()
	if got := tab.AppendEntries(nil); len(got) != 2 {
		t.Fatalf("AppendEntries listed %d entries; want 2", len(got))
	}
	n := tab.Drop([]gstate.Entry{{ID: 1 << 62, State: listed}, {ID: 1<<62 + 1, State: listed}, {ID: 7, State: listed}})
	if n != 1 {
		t.Errorf("Drop = %d; want 1: only the entry that still holds its listed state", n)
	}
	if s.m[1<<62+1] != other || len(s.m) != 1 {
		t.Errorf("after Drop the map is %v; want only the entry whose state changed", s.m)
	}
}
