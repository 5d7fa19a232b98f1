package harness_test

import (
	"testing"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/mapid"
)

// TestSuiteOnMapid runs the suite on the reference strategy, so that the
// suite itself is exercised by the package's own tests.
func TestSuiteOnMapid(t *testing.T) {
	harness.TestStore(t, func(*testing.T) strategies.Store { return mapid.New() })
}

// TestSuiteOnExplicitStore runs the suite through TestStore on an explicit
// store, which skips the cases that need a strategies.Counter.
func TestSuiteOnExplicitStore(t *testing.T) {
	harness.TestStore(t, func(*testing.T) strategies.Store { return new(ctxToy) })
}
