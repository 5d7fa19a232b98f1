package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

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
	// Each benchmark run gets its own, and its Close (if set) is called
	// afterwards.
	Raw func() *Raw
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

// Raw is a contestant that is not a Store: a floor (the least a program could
// pay for the same effect) or a peer library called directly, without an
// adapter. It provides only the operations it supports, as func values, and
// the harness runs a workload for it only when the operations that workload
// needs are set and the workload is not in Skip. The harness owns everything
// else (names, sizes, loops, timers, checks), so a raw contestant runs
// exactly the same workload as the stores.
//
// Operations name a key by its position in WorkloadKeys rather than by the
// key, so that a contestant may keep per-key objects (a ThreadLocal per key)
// in a slice. Every operation is reached through one func value call, as a
// store's are through one interface method call, so the two are measured
// with the same call overhead.
type Raw struct {
	// Bind binds the first len(vals) workload keys to vals on the calling
	// goroutine, in the contestant's own way, and calls fn with the Carrier
	// that code below it reads them through. The bindings end when fn
	// returns. Every workload needs Bind and Get.
	Bind func(ctx context.Context, vals []any, fn func(Carrier))

	// Get returns the value of workload key i as seen through c, and whether
	// it is bound.
	Get func(c Carrier, i int) (any, bool)

	// Set binds workload key i to v and returns the context to continue
	// with (c.Ctx where the contestant keeps its values elsewhere), as
	// strategies.Store's Set does; c.Vals never changes. Inside Bind it
	// overwrites; outside any Bind it binds with nothing to undo it (the
	// leak workload). Needed by set, delete, the mixed parallel workload and
	// leak.
	//
	// It returns a context rather than a whole Carrier so that a contestant
	// that changes nothing pays what a store pays: returning c meant keeping
	// five words alive across the contestant's own call, and the copy back
	// cost timandy/routine's Set about 12 ns, a third of it.
	Set func(c Carrier, i int, v any) context.Context

	// Delete unbinds workload key i and returns the context to continue
	// with, as Set does. Needed by delete.
	Delete func(c Carrier, i int) context.Context

	// Go runs fn on a new goroutine that starts with c's bindings. Needed by
	// spawn.
	Go func(c Carrier, fn func(Carrier))

	// Wrap returns a func that runs fn with c's bindings on whatever
	// goroutine calls it. Needed by wrap.
	Wrap func(c Carrier, fn func(Carrier)) func()

	// Skip lists workloads (Workload* names) not to run although the
	// operations they need are set, because they measure nothing for this
	// contestant (live for a contestant that keeps no shared state).
	Skip []string

	// Close, if set, releases what the contestant registered globally.
	Close func()
}

// Carrier is what a raw contestant hands to the code that reads its
// bindings: the context and, for a contestant that passes values explicitly,
// the values themselves. It is small and passed by value.
type Carrier struct {
	Ctx  context.Context
	Vals []any
}

// WorkloadKeys returns the keys the workloads bind, in position order; raw
// contestants' operations name keys by position in it. The last key,
// WorkloadKeys()[WorkloadMissKey], is never bound. The slice is shared: do
// not modify it.
func WorkloadKeys() []*strategies.Key { return workloadKeys() }

// WorkloadMissKey is the position in WorkloadKeys of the key that no
// workload ever binds, which get-miss reads.
const WorkloadMissKey = workloadMaxBindings

// workloadMaxBindings is the largest number of keys a workload binds at once.
const workloadMaxBindings = 64

// workloadKeys returns the keys the workloads bind, created on first use
// (once, as package variables would be) so that a program that only runs
// the conformance suite never makes them.
var workloadKeys = sync.OnceValue(func() []*strategies.Key {
	keys := make([]*strategies.Key, workloadMaxBindings+1)
	for i := range keys {
		keys[i] = strategies.NewKey("workload")
	}
	return keys
})

// workloadValues returns n distinct values to bind, allocated once: pointers,
// so that storing them in an interface allocates nothing and a benchmark
// counts only a contestant's own allocations and bytes.
func workloadValues(n int) []any {
	vals := make([]any, n)
	for i := range vals {
		vals[i] = new(int)
	}
	return vals
}
