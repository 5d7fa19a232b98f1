package harness_test

import (
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/strategies"
	"github.com/localbench/localbench/strategies/mapid"
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

	if rep.Strategy != "mapid" {
		t.Errorf("Strategy = %q; want %q", rep.Strategy, "mapid")
	}
	if first == nil {
		t.Errorf("case two-stores did not run")
	}
	if after.Load() {
		t.Errorf("code after Fatalf or Skipf, or in a case that does not apply, ran; want it never to")
	}
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
		if !ok {
			t.Errorf("Result(%q) missing", name)
			continue
		}
		if res.Outcome != w.outcome || !slices.Equal(res.Errors, w.errors) || !slices.Equal(res.Logs, w.logs) {
			t.Errorf("Result(%q) = %v, errors %q, logs %q; want %v, errors %q, logs %q",
				name, res.Outcome, res.Errors, res.Logs, w.outcome, w.errors, w.logs)
		}
	}
	res, _ := rep.Result("panics")
	if res.Outcome != harness.Fail || len(res.Errors) != 1 || !strings.Contains(res.Errors[0], "unexpected panic: boom") {
		t.Errorf("Result(panics) = %v, errors %q; want FAIL with one error about the panic", res.Outcome, res.Errors)
	}
	if got, want := rep.Failed(), []string{"errorf", "fatalf", "panics", "goroutine-errorf"}; !slices.Equal(got, want) {
		t.Errorf("Failed() = %q; want %q", got, want)
	}
	if rep.OK() {
		t.Errorf("OK() = true; want false")
	}
	s := rep.String()
	for _, line := range []string{
		"mapid: 2 passed, 4 failed, 2 skipped\n",
		"FAIL errorf\n    first 1\n    second\n",
		"SKIP skipf\n    not today\n",
		"PASS pass\n",
	} {
		if !strings.Contains(s, line) {
			t.Errorf("String() = %q; want it to contain %q", s, line)
		}
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
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Check took %v; want about the 20ms timeout", d)
	}
	close(block)
	<-late
	res, _ := rep.Result("blocks")
	if res.Outcome != harness.Fail || len(res.Errors) != 1 || !strings.Contains(res.Errors[0], "did not end within 20ms") {
		t.Errorf("Result(blocks) = %v, errors %q; want FAIL with one error about the timeout", res.Outcome, res.Errors)
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
	if !slices.Equal(order, []int{2, 1}) {
		t.Errorf("cleanups ran in order %v; want [2 1]", order)
	}
	if res := rep.Results[0]; res.Outcome != harness.Fail || !slices.Equal(res.Errors, []string{"from a cleanup"}) {
		t.Errorf("Result(cleanup) = %v, errors %q; want FAIL with the cleanup's error", res.Outcome, res.Errors)
	}
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
	if n := closed.Load(); n != 2 || !rep.OK() {
		t.Errorf("Close called %d times, report:\n%s; want 2 times and every case passed", n, rep)
	}
	rep = harness.Checker{Cases: cases}.Check(func() strategies.Store {
		return closingStore{Store: mapid.New(), closed: &closed, err: errClose}
	})
	if res, _ := rep.Result("two"); res.Outcome != harness.Fail || len(res.Errors) != 2 {
		t.Errorf("Result(two) = %v, errors %q; want FAIL with an error for each Close", res.Outcome, res.Errors)
	}
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
