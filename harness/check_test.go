package harness_test

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/mapid"
	"github.com/stretchr/testify/assert"
)

func newMapid() strategies.Store { return mapid.New() }

// TestCheckOutcomes checks how Check records each way a case can end.
func TestCheckOutcomes(t *testing.T) {
	var after atomic.Bool // set if code after Fatalf or Skipf ran
	var first strategies.Store
	cases := []harness.Case{
		{Name: "pass", Contract: "passes", Run: func(t harness.T, s strategies.Store, _ func() strategies.Store) {
			t.Logf("a log line")
		}},
		{Name: "errorf", Contract: "fails twice", Run: func(t harness.T, s strategies.Store, _ func() strategies.Store) {
			t.Errorf("first %d", 1)
			t.Errorf("second")
		}},
		{Name: "fatalf", Contract: "fails once", Run: func(t harness.T, s strategies.Store, _ func() strategies.Store) {
			t.Fatalf("fatal")
			after.Store(true)
		}},
		{Name: "skipf", Contract: "skips", Run: func(t harness.T, s strategies.Store, _ func() strategies.Store) {
			t.Skipf("not today")
			after.Store(true)
		}},
		{Name: "not-applies", Contract: "never runs", Needs: "nothing this store has",
			Applies: func(strategies.Store) bool { return false },
			Run: func(t harness.T, s strategies.Store, _ func() strategies.Store) {
				after.Store(true)
			}},
		{Name: "panics", Contract: "panics", Run: func(t harness.T, s strategies.Store, _ func() strategies.Store) {
			panic("boom")
		}},
		{Name: "goroutine-errorf", Contract: "fails from another goroutine", Run: func(t harness.T, s strategies.Store, _ func() strategies.Store) {
			done := make(chan struct{})
			go func() {
				defer close(done)
				t.Errorf("from a goroutine")
			}()
			<-done
		}},
		{Name: "two-stores", Contract: "gets a second, fresh store", Run: func(t harness.T, s strategies.Store, newStore func() strategies.Store) {
			first = s
			if other := newStore(); other == s || other == nil {
				t.Errorf("newStore() = %p; want a fresh store, not %p", other, s)
			}
		}},
	}
	rep := harness.Checker{Cases: cases}.Check(newMapid)

	assert.Equal(t, "mapid", rep.Strategy)
	assert.NotNil(t, first, "case two-stores ran")
	assert.False(t, after.Load(), "code after Fatalf or Skipf, or in a case that does not apply, ran; want it never to")
	want := map[string]struct {
		outcome harness.Outcome
		errors  []string
		logs    []string
	}{
		"pass":             {outcome: harness.Pass, logs: []string{"a log line"}},
		"errorf":           {outcome: harness.Fail, errors: []string{"first 1", "second"}},
		"fatalf":           {outcome: harness.Fail, errors: []string{"fatal"}},
		"skipf":            {outcome: harness.Skip, logs: []string{"not today"}},
		"not-applies":      {outcome: harness.Skip, logs: []string{"needs nothing this store has"}},
		"goroutine-errorf": {outcome: harness.Fail, errors: []string{"from a goroutine"}},
		"two-stores":       {outcome: harness.Pass},
	}
	for name, w := range want {
		res, ok := rep.Result(name)
		if !assert.True(t, ok, "Result(%q) present", name) {
			continue
		}
		assert.Equal(t, w.outcome, res.Outcome, "Result(%q).Outcome", name)
		assert.Equal(t, w.errors, res.Errors, "Result(%q).Errors", name)
		assert.Equal(t, w.logs, res.Logs, "Result(%q).Logs", name)
	}
	res, _ := rep.Result("panics")
	assert.Equal(t, harness.Fail, res.Outcome, "Result(panics).Outcome")
	if assert.Len(t, res.Errors, 1, "Result(panics).Errors") {
		assert.Contains(t, res.Errors[0], "unexpected panic: boom")
	}
	assert.Equal(t, []string{"errorf", "fatalf", "panics", "goroutine-errorf"}, rep.Failed())
	assert.False(t, rep.OK())
	s := rep.String()
	for _, line := range []string{
		"mapid: 2 passed, 4 failed, 2 skipped\n",
		"FAIL errorf\n    first 1\n    second\n",
		"SKIP skipf\n    not today\n",
		"PASS pass\n",
	} {
		assert.Contains(t, s, line, "String()")
	}
}

// TestCheckTimeout checks that a case that never ends fails after the
// timeout, and that what it reports after that is dropped.
func TestCheckTimeout(t *testing.T) {
	block, late := make(chan struct{}), make(chan struct{})
	cases := []harness.Case{{Name: "blocks", Contract: "never ends", Run: func(t harness.T, s strategies.Store, _ func() strategies.Store) {
		defer close(late)
		<-block
		t.Errorf("late")
	}}}
	start := time.Now()
	rep := harness.Checker{Cases: cases, Timeout: 20 * time.Millisecond}.Check(newMapid)
	assert.Less(t, time.Since(start), 5*time.Second, "Check took longer than the 20ms timeout by far")
	close(block)
	<-late
	res, _ := rep.Result("blocks")
	assert.Equal(t, harness.Fail, res.Outcome, "Result(blocks).Outcome")
	if assert.Len(t, res.Errors, 1, "Result(blocks).Errors: one error about the timeout, none late") {
		assert.Contains(t, res.Errors[0], "did not end within 20ms")
	}
}

// TestCheckCleanup checks that a case's cleanups run when it ends, newest
// first, and may still report.
func TestCheckCleanup(t *testing.T) {
	var order []int
	cases := []harness.Case{{Name: "cleanup", Contract: "cleans up", Run: func(t harness.T, s strategies.Store, _ func() strategies.Store) {
		t.Cleanup(func() { order = append(order, 1) })
		t.Cleanup(func() {
			order = append(order, 2)
			t.Errorf("from a cleanup")
		})
	}}}
	rep := harness.Checker{Cases: cases}.Check(newMapid)
	assert.Equal(t, []int{2, 1}, order, "cleanups run newest first")
	res := rep.Results[0]
	assert.Equal(t, harness.Fail, res.Outcome, "a cleanup's error fails the case")
	assert.Equal(t, []string{"from a cleanup"}, res.Errors)
}

// closingStore is a mapid store that implements io.Closer.
type closingStore struct {
	*mapid.Store
	closed *atomic.Int32
	err    error
}

func (s closingStore) Close() error {
	s.closed.Add(1)
	return s.err
}

// TestCheckCloses checks that every store a case gets is closed, and that
// an error from Close fails the case.
func TestCheckCloses(t *testing.T) {
	var closed atomic.Int32
	errClose := errors.New("close failed")
	cases := []harness.Case{{Name: "two", Contract: "uses two stores", Run: func(t harness.T, s strategies.Store, newStore func() strategies.Store) {
		newStore()
	}}}
	rep := harness.Checker{Cases: cases}.Check(func() strategies.Store {
		return closingStore{Store: mapid.New(), closed: &closed}
	})
	assert.EqualValues(t, 2, closed.Load(), "Close is called on every store a case got")
	assert.True(t, rep.OK(), "report:\n%s", rep)
	rep = harness.Checker{Cases: cases}.Check(func() strategies.Store {
		return closingStore{Store: mapid.New(), closed: &closed, err: errClose}
	})
	res, _ := rep.Result("two")
	assert.Equal(t, harness.Fail, res.Outcome, "an error from Close fails the case")
	assert.Len(t, res.Errors, 2, "an error for each Close")
}

// TestCasesWellFormed checks that every case has a unique name usable as a
// subtest name, a contract sentence and a body, and Needs when it has
// Applies.
func TestCasesWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range harness.Cases() {
		if c.Name == "" || strings.ContainsAny(c.Name, " /") || strings.ToLower(c.Name) != c.Name {
			t.Errorf("case name %q; want lower case words joined by '-'", c.Name)
		}
		if seen[c.Name] {
			t.Errorf("case name %q appears twice; want unique names", c.Name)
		}
		seen[c.Name] = true
		if c.Contract == "" || c.Run == nil {
			t.Errorf("case %q: Contract %q, Run set %t; want both", c.Name, c.Contract, c.Run != nil)
		}
		if (c.Applies != nil) != (c.Needs != "") {
			t.Errorf("case %q: Applies set %t, Needs %q; want Needs exactly when Applies is set", c.Name, c.Applies != nil, c.Needs)
		}
	}
}
