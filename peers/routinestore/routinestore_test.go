package routinestore_test

import (
	"context"
	"slices"
	"testing"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/peers/routinestore"
	"github.com/localbench/localbench/strategies"
)

func newStore() strategies.Store { return routinestore.New() }

// TestConformance runs the shared conformance suite on the adapter and
// pins what it found: one failure, wrap-every-call (routine's tasks run
// once, and a panic inside one is recovered and printed by routine instead
// of reaching the caller; the tests below pin each half), and three cases
// skipped because the adapter is no strategies.Counter (routine cannot list
// the goroutines that hold values), so the suite cannot count what is left
// behind.
func TestConformance(t *testing.T) {
	rep := harness.Checker{Short: testing.Short()}.Check(newStore)
	t.Logf("%s", rep)
	wantFailed := []string{"wrap-every-call"}
	if got := rep.Failed(); !slices.Equal(got, wantFailed) {
		t.Errorf("failed cases = %q; want %q", got, wantFailed)
	}
	wantSkipped := []string{"missing-creates-nothing", "no-residue", "leaks"}
	if got := rep.Skipped(); !slices.Equal(got, wantSkipped) {
		t.Errorf("skipped cases = %q; want %q", got, wantSkipped)
	}
}

func TestInfo(t *testing.T) {
	got := routinestore.New().Info()
	want := strategies.Info{Name: "routine", Implicit: true}
	if got != want {
		t.Errorf("Info() = %+v; want %+v", got, want)
	}
}

// TestWrapRunsOnce pins the first half of the wrap-every-call failure: routine.WrapTask makes a task that runs once, so
// calling the func Wrap returned a second time does nothing.
func TestWrapRunsOnce(t *testing.T) {
	s := routinestore.New()
	runs := 0
	f := s.Wrap(context.Background(), func(context.Context) { runs++ })
	f()
	f()
	if runs != 1 {
		t.Errorf("a Wrap'd func called twice ran %d times; want 1 (routine's tasks run once)", runs)
	}
}

// TestWrapSwallowsPanic pins the second half: routine recovers a panic inside a
// task (and prints it) instead of letting it reach the caller.
func TestWrapSwallowsPanic(t *testing.T) {
	s := routinestore.New()
	f := s.Wrap(context.Background(), func(context.Context) { panic("boom") })
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("a panic in a Wrap'd func reached the caller (%v); want it recovered by routine", r)
		}
	}()
	f()
}
