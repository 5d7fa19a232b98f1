package harness

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/localbench/localbench/strategies"
)

// Outcome is how a case ended.
type Outcome int

// The outcomes of a case.
const (
	Pass Outcome = iota
	Fail
	Skip
)

// String returns "PASS", "FAIL" or "SKIP", as go test prints them.
func (o Outcome) String() string {
	switch o {
	case Pass:
		return "PASS"
	case Fail:
		return "FAIL"
	case Skip:
		return "SKIP"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Result is how one case went.
type Result struct {
	Case     string   // the case's Name
	Contract string   // the sentence it checks
	Outcome  Outcome  // passed, failed or skipped
	Errors   []string // the failures, in the order reported
	Logs     []string // what the case logged, and why it was skipped
}

// Report is what Check found: one Result per case, in the order run.
type Report struct {
	Strategy string // Info().Name of the stores checked
	Results  []Result
}

// OK reports whether no case failed.
func (r Report) OK() bool { return len(r.Failed()) == 0 }

// Failed returns the names of the cases that failed.
func (r Report) Failed() []string { return r.names(Fail) }

// Passed returns the names of the cases that passed.
func (r Report) Passed() []string { return r.names(Pass) }

// Skipped returns the names of the cases that were skipped.
func (r Report) Skipped() []string { return r.names(Skip) }

func (r Report) names(o Outcome) []string {
	var names []string
	for _, res := range r.Results {
		if res.Outcome == o {
			names = append(names, res.Case)
		}
	}
	return names
}

// Result returns the result of the named case.
func (r Report) Result(name string) (Result, bool) {
	for _, res := range r.Results {
		if res.Case == name {
			return res, true
		}
	}
	return Result{}, false
}

// String formats the report as a summary line, then a line per case with
// its errors (and, for skipped cases, the reason) indented below it.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d passed, %d failed, %d skipped\n", r.Strategy, len(r.Passed()), len(r.Failed()), len(r.Skipped()))
	for _, res := range r.Results {
		fmt.Fprintf(&b, "%s %s\n", res.Outcome, res.Case)
		lines := res.Errors
		if res.Outcome == Skip {
			lines = res.Logs
		}
		for _, l := range lines {
			fmt.Fprintf(&b, "    %s\n", strings.ReplaceAll(l, "\n", "\n    "))
		}
	}
	return b.String()
}

// Checker runs conformance cases outside a test.
type Checker struct {
	// Cases are the cases to run; nil means Cases().
	Cases []Case

	// Timeout bounds each case; 0 means DefaultTimeout. A case that runs
	// longer fails, and whatever it left running is abandoned.
	Timeout time.Duration

	// Short runs the short form of the cases, as go test -short does.
	Short bool
}

// Check runs every case of the suite against the stores newStore makes,
// each case with a fresh store on a goroutine of its own, and reports how
// each went. See Checker.Check.
func Check(newStore func() strategies.Store) Report {
	return Checker{}.Check(newStore)
}

// Check runs c's cases one after another against the stores newStore
// makes. Each case gets a fresh store (more if it asks) and runs on a
// goroutine of its own; Fatalf and Skipf end it there. A case that does not
// end within the timeout fails. Stores that implement io.Closer are closed
// when their case has ended in time; an error from Close fails the case.
//
// newStore is called on the goroutine that called Check.
func (c Checker) Check(newStore func() strategies.Store) Report {
	cases := c.Cases
	if cases == nil {
		cases = Cases()
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	var rep Report
	for _, cs := range cases {
		rep.Results = append(rep.Results, c.checkOne(cs, newStore, timeout, &rep))
	}
	return rep
}

func (c Checker) checkOne(cs Case, newStore func() strategies.Store, timeout time.Duration, rep *Report) Result {
	res := Result{Case: cs.Name, Contract: cs.Contract}
	var closers []io.Closer
	mk := func() strategies.Store {
		s := newStore()
		if cl, ok := s.(io.Closer); ok {
			closers = append(closers, cl)
		}
		return s
	}
	s := mk()
	if rep.Strategy == "" {
		rep.Strategy = s.Info().Name
	}
	ct := newCaseT(nil, c.Short)
	inTime := true
	if cs.Applies == nil || cs.Applies(s) {
		inTime = ct.run(cs, s, mk, timeout)
	} else {
		ct.skipped = "needs " + cs.Needs
	}
	if inTime {
		for i := len(closers) - 1; i >= 0; i-- {
			if err := closers[i].Close(); err != nil {
				ct.mu.Lock()
				ct.failed = true
				ct.errors = append(ct.errors, fmt.Sprintf("Close() = %v; want nil", err))
				ct.mu.Unlock()
			}
		}
	}
	ct.mu.Lock()
	defer ct.mu.Unlock()
	res.Errors, res.Logs = ct.errors, ct.logs
	switch {
	case ct.failed:
		res.Outcome = Fail
	case ct.skipped != "":
		res.Outcome = Skip
		res.Logs = append(res.Logs, ct.skipped)
	default:
		res.Outcome = Pass
	}
	return res
}
