package harness

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/localbench/localbench/strategies"
)

// DefaultTimeout bounds each case, so that a store that deadlocks is
// reported as a failure rather than hanging the test.
const DefaultTimeout = 2 * time.Minute

// caseT is the T a case runs with. It forwards to a test (tb) or records
// (for Check), and drops whatever arrives after the case has ended, so that
// a straggling goroutine of a failed case cannot report into a finished
// test.
type caseT struct {
	tb      testing.TB // nil under Check
	isShort bool

	mu       sync.Mutex
	ended    bool
	failed   bool
	skipped  string // the reason given to Skipf; "" if not skipped
	errors   []string
	logs     []string
	cleanups []func()

	stop chan struct{} // closed when the case has ended
}

func newCaseT(tb testing.TB, short bool) *caseT {
	return &caseT{tb: tb, isShort: short, stop: make(chan struct{})}
}

func (c *caseT) short() bool { return c.isShort }

// Helper does nothing: a test's Helper marks its own caller, which would be
// this method, so it cannot be forwarded.
func (c *caseT) Helper() {}

func (c *caseT) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended {
		return
	}
	c.failed = true
	if c.tb != nil {
		c.tb.Helper()
		c.tb.Error(msg)
		return
	}
	c.errors = append(c.errors, msg)
}

func (c *caseT) Fatalf(format string, args ...any) {
	c.Errorf(format, args...)
	runtime.Goexit()
}

func (c *caseT) Logf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended {
		return
	}
	if c.tb != nil {
		c.tb.Helper()
		c.tb.Log(msg)
		return
	}
	c.logs = append(c.logs, msg)
}

func (c *caseT) Skipf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if msg == "" {
		msg = "skipped"
	}
	c.mu.Lock()
	if !c.ended {
		c.skipped = msg
	}
	c.mu.Unlock()
	runtime.Goexit()
}

func (c *caseT) Cleanup(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cleanups = append(c.cleanups, f)
}

func (c *caseT) Failed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failed
}

// skip returns the reason the case skipped itself, if it did and did not
// fail first.
func (c *caseT) skip() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.skipped, c.skipped != "" && !c.failed
}

// end stops forwarding.
func (c *caseT) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.ended {
		c.ended = true
		close(c.stop)
	}
}

// runCleanups runs the functions given to Cleanup, newest first.
func (c *caseT) runCleanups() {
	for {
		c.mu.Lock()
		n := len(c.cleanups)
		if n == 0 {
			c.mu.Unlock()
			return
		}
		f := c.cleanups[n-1]
		c.cleanups = c.cleanups[:n-1]
		c.mu.Unlock()
		f()
	}
}

// run runs cs against s on a new goroutine and waits at most timeout for
// it, making the stores the case asks for on the calling goroutine with
// newStore. It reports whether the case ended in time; either way the case
// has ended when run returns. The case's cleanups run only if it ended in
// time: a case still running may still use what they would tear down.
func (c *caseT) run(cs Case, s strategies.Store, newStore func() strategies.Store, timeout time.Duration) bool {
	// If newStore ends the calling goroutine (t.Fatal in TestStore's
	// factory), the case must end too.
	defer c.end()
	requests := make(chan chan strategies.Store)
	more := func() strategies.Store {
		reply := make(chan strategies.Store, 1)
		select {
		case requests <- reply:
		case <-c.stop:
			runtime.Goexit()
		}
		select {
		case s := <-reply:
			return s
		case <-c.stop:
			runtime.Goexit()
		}
		panic("unreachable")
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer guard(c)
		cs.Run(c, s, more)
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case <-done:
			c.runCleanups()
			return true
		case reply := <-requests:
			reply <- newStore()
		case <-timer.C:
			c.Errorf("the case did not end within %v (a store method blocked?): %s", timeout, cs.Contract)
			return false
		}
	}
}
