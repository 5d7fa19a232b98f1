package harness_test

import (
	"fmt"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/mapid"
)

// A store in any module runs the conformance suite from its own test with
// TestStore, one subtest per case:
//
//	func TestConformance(t *testing.T) {
//		harness.TestStore(t, func(*testing.T) strategies.Store { return mystore.New() })
//	}
//
// Check runs the same cases outside a test and reports how each went.
func ExampleCheck() {
	var cases []harness.Case
	for _, c := range harness.Cases() {
		switch c.Name {
		case "set-get-delete", "isolation", "pull-keeps-bindings", "leaks":
			cases = append(cases, c)
		}
	}
	rep := harness.Checker{Cases: cases, Short: true}.Check(func() strategies.Store { return mapid.New() })
	fmt.Print(rep)
	// Output:
	// mapid: 4 passed, 0 failed, 0 skipped
	// PASS set-get-delete
	// PASS isolation
	// PASS pull-keeps-bindings
	// PASS leaks
}
