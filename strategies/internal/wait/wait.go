// Package wait has the one polling helper the strategies' tests share.
package wait

import (
	"testing"
	"time"
)

// Until polls cond, on a millisecond ticker, until it holds or ten seconds
// have passed; then it fails the test. It is a wait for a condition with a
// deadline (a goroutine that has signalled may still be returning from the
// store), not a sleep for ordering.
func Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		<-tick.C
	}
}
