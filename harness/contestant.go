package harness

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/localbench/localbench/harness/benchkit"
	"github.com/localbench/localbench/strategies"
)

// Contestant is one column of the benchmark tables: the value of the
// strategy= segment of every benchmark it runs in.
//
// A contestant is either a Store (New is set: one of localbench's strategies,
// or a peer library behind a Store adapter), which runs every workload, or a
// raw contestant (Raw is set: a floor, or a library called directly), which
// runs only the workloads its operations allow. The Bench functions take a
// list of contestants and run each on the same workload body.
type Contestant struct {
	// Name is the strategy= value. It must be a plain word: no "/", no
	// spaces, not ending in a dash and digits.
	Name string

	// New returns a fresh, empty store. Each benchmark run gets its own
	// store, closed afterwards if it implements io.Closer.
	New func() strategies.Store

	// Raw returns a fresh raw contestant. It is used only when New is nil.
	// Each benchmark run gets its own, closed afterwards.
	Raw func() Raw

	// Skip lists workloads (Workload* names) not to run although the
	// contestant can, because they measure nothing for it (live for a
	// contestant that keeps no shared state).
	Skip []string
}

// StoreContestants returns one contestant per store constructor, each named
// by its store's Info().Name.
func StoreContestants(news ...func() strategies.Store) []Contestant {
	cs := make([]Contestant, len(news))
	for i, newStore := range news {
		s := newStore()
		name := s.Info().Name
		closeStore(s)
		cs[i] = Contestant{Name: name, New: newStore}
	}
	return cs
}

// CheckContestants returns an error describing the first problem with cs as
// a list of benchmark contestants, or nil: a contestant with neither or both
// of New and Raw, or a name that is empty, repeated, or unfit for a
// key=value benchmark name segment (a "/", "=", space, or a trailing dash and
// digits, which go test's -N suffix would be taken for).
func CheckContestants(cs []Contestant) error {
	seen := make(map[string]bool)
	for _, c := range cs {
		switch {
		case (c.New == nil) == (c.Raw == nil):
			return fmt.Errorf("contestant %q: want exactly one of New and Raw", c.Name)
		case c.Name == "":
			return errors.New("contestant with no name")
		case strings.ContainsAny(c.Name, "/= \t\n"):
			return fmt.Errorf("contestant %q: name has a /, = or space", c.Name)
		case trailingProcs.MatchString(c.Name):
			return fmt.Errorf("contestant %q: name ends in a dash and digits", c.Name)
		case seen[c.Name]:
			return fmt.Errorf("contestant %q: name used twice", c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// trailingProcs matches what go test appends to benchmark names: -GOMAXPROCS.
var trailingProcs = regexp.MustCompile(`-[0-9]+$`)

func closeStore(s strategies.Store) {
	if c, ok := s.(io.Closer); ok {
		_ = c.Close()
	}
}

// WorkloadKeys returns the keys the workloads bind, in position order; raw
// contestants' operations name keys by position in it. The last key,
// WorkloadKeys()[WorkloadMissKey], is never bound. The slice is shared: do
// not modify it.
func WorkloadKeys() []*strategies.Key { return workloadKeys() }

// WorkloadMissKey is the position in WorkloadKeys of the key that no
// workload ever binds, which get-miss reads.
const WorkloadMissKey = benchkit.MissKey

// workloadKeys returns the keys the workloads bind, created on first use
// (once, as package variables would be) so that a program that only runs
// the conformance suite never makes them.
var workloadKeys = sync.OnceValue(func() []*strategies.Key {
	keys := make([]*strategies.Key, benchkit.MaxBindings+1)
	for i := range keys {
		keys[i] = strategies.NewKey("workload")
	}
	return keys
})
