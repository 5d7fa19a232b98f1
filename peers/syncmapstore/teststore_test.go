package syncmapstore_test

import (
	"testing"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/peers/syncmapstore"
	"github.com/localbench/localbench/strategies"
)

// TestStore runs the conformance suite with harness.TestStore, as a store
// in a module other than localbench's would: syncmap passes every case.
func TestStore(t *testing.T) {
	harness.TestStore(t, func(*testing.T) strategies.Store { return syncmapstore.New() })
}
