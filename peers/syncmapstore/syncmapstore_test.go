package syncmapstore_test

import (
	"testing"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/peers/syncmapstore"
	"github.com/localbench/localbench/strategies"
)

// TestConformance runs the shared conformance suite on the adapter and
// pins what it found: every case passes.
func TestConformance(t *testing.T) {
	rep := harness.Checker{Short: testing.Short()}.Check(func() strategies.Store { return syncmapstore.New() })
	t.Logf("%s", rep)
	if !rep.OK() || len(rep.Skipped()) != 0 {
		t.Errorf("failed cases = %q, skipped = %q; want none", rep.Failed(), rep.Skipped())
	}
}

func TestInfo(t *testing.T) {
	got := syncmapstore.New().Info()
	want := strategies.Info{Name: "syncmap", Implicit: true, Leaks: true}
	if got != want {
		t.Errorf("Info() = %+v; want %+v", got, want)
	}
}
