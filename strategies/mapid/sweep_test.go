package mapid_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/internal/gstate/sweeptest"
	"github.com/localbench/localbench/strategies/mapid"
)

func TestSweep(t *testing.T) {
	sweeptest.Run(t, sweeptest.Factory[*mapid.Store]{
		New:      func() *mapid.Store { return mapid.New() },
		Every:    func(d time.Duration) *mapid.Store { return mapid.New(mapid.SweepEvery(d)) },
		OnGrowth: func() *mapid.Store { return mapid.New(mapid.SweepOnGrowth()) },
	})
}

// TestConformanceWithSweeper runs the conformance suite on stores with
// both background sweeps on (neither fires in it: an hour is long, and the
// suite makes far fewer than 1024 entries), so that the options change
// nothing else, and the suite closes every store.
func TestConformanceWithSweeper(t *testing.T) {
	harness.TestStore(t, func(*testing.T) strategies.Store {
		return mapid.New(mapid.SweepEvery(time.Hour), mapid.SweepOnGrowth())
	})
}

func TestSweepCapabilities(t *testing.T) {
	var s strategies.Store = mapid.New()
	if _, ok := s.(interface{ Sweep() int }); !ok {
		t.Errorf("%T has no Sweep() int; want it: the way out of the leak for code that cannot call Release", s)
	}
	if _, ok := s.(io.Closer); !ok {
		t.Errorf("%T does not implement io.Closer; want it to: Close stops the background sweeps", s)
	}
}

func TestSweepEveryNotPositive(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second} {
		err, _ := catchPanic(func() { mapid.SweepEvery(d) }).(error)
		if !errors.Is(err, strategies.ErrBadOption) || !strings.Contains(err.Error(), "mapid.SweepEvery") {
			t.Errorf("SweepEvery(%v) panicked with %v; want an error wrapping strategies.ErrBadOption naming mapid.SweepEvery", d, err)
		}
	}
}

func catchPanic(fn func()) (v any) {
	defer func() { v = recover() }()
	fn()
	return nil
}
