//go:build !cgo

package cgocheck_test

import "testing"

// TestCgo reports that the tests of this package need cgo: they start C
// threads that call back into Go.
func TestCgo(t *testing.T) {
	t.Skip("cgo is not available (CGO_ENABLED=0 or no C compiler); the callback tests need it")
}
