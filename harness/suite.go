package harness

import (
	"io"
	"testing"

	"github.com/localbench/localbench/strategies"
)

// TestStore runs the conformance suite against the stores newStore makes:
// one subtest per Case, each with a fresh store. A store that implements
// io.Closer is closed when its subtest ends. Cases that do not apply to the
// store (see Case.Applies) are skipped, saying what they need.
//
// newStore is called on the subtest's goroutine, once per subtest and again
// for cases that need a second store; it may call t.Fatal.
//
// In short mode (go test -short) the cases that start thousands of
// goroutines or run thousands of operations do a fifth of the work.
func TestStore(t *testing.T, newStore func(t *testing.T) strategies.Store) {
	t.Helper()
	for _, c := range Cases() {
		t.Run(c.Name, func(t *testing.T) {
			mk := func() strategies.Store {
				s := newStore(t)
				if s == nil {
					t.Fatal("newStore returned nil")
				}
				if cl, ok := s.(io.Closer); ok {
					t.Cleanup(func() {
						if err := cl.Close(); err != nil {
							t.Errorf("Close() = %v; want nil", err)
						}
					})
				}
				return s
			}
			s := mk()
			if c.Applies != nil && !c.Applies(s) {
				t.Skipf("needs %s: %s", c.Needs, c.Contract)
			}
			ct := newCaseT(t, testing.Short())
			ct.run(c, s, mk, DefaultTimeout)
			if why, ok := ct.skip(); ok {
				t.Skip(why)
			}
		})
	}
}
