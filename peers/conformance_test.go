package peers_test

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/localbench/localbench/harness"
	"github.com/localbench/localbench/results"
	"github.com/localbench/localbench/strategies"
)

var update = flag.Bool("update", false, "rewrite ../results/conformance.json with what the conformance suite finds")

// conformancePath is the record benchreport choose reads (embedded in
// package results).
var conformancePath = filepath.Join("..", "results", "conformance.json")

// TestConformanceRecord runs the conformance suite on every Store
// contestant of the benchmarks, localbench's strategies and the peers, and
// fails if results/conformance.json does not record exactly what it
// found; -update rewrites the file. benchreport choose ranks only the
// stores that pass the cases a user's needs depend on, from this record:
// benchreport cannot import the peers, which live in this module.
func TestConformanceRecord(t *testing.T) {
	got := &results.Conformance{Command: results.ConformanceCommand}
	for _, c := range harness.Cases() {
		got.Cases = append(got.Cases, results.Case{Name: c.Name, Contract: c.Contract, Needs: c.Needs})
	}
	for _, c := range contestants {
		if c.New == nil {
			continue // a floor or a library called directly: no Store to check
		}
		rep := harness.Check(c.New)
		if len(rep.Results) != len(got.Cases) {
			t.Fatalf("%s: %d results for %d cases", c.Name, len(rep.Results), len(got.Cases))
		}
		got.Contestants = append(got.Contestants, record(c.New, rep))
		if !rep.OK() {
			t.Logf("%s", rep)
		}
	}
	data, err := got.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(conformancePath, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(conformancePath)
	if err != nil {
		t.Fatalf("%v; run %s", err, results.ConformanceCommand)
	}
	if !bytes.Equal(want, data) {
		t.Errorf("%s does not record what the conformance suite finds; run %s\nfound:\n%s", conformancePath, results.ConformanceCommand, data)
	}
	if _, err := results.ParseConformance(want); err != nil {
		t.Error(err)
	}
}

// record is what a report says of one store.
func record(newStore func() strategies.Store, rep harness.Report) results.Contestant {
	s := newStore()
	defer func() {
		if c, ok := s.(io.Closer); ok {
			c.Close()
		}
	}()
	info := s.Info()
	_, releaser := s.(strategies.Releaser)
	_, counter := s.(strategies.Counter)
	_, sweeper := s.(interface{ Sweep() int })
	return results.Contestant{
		Name:       info.Name,
		Implicit:   info.Implicit,
		NeedsScope: info.NeedsScope,
		Leaks:      info.Leaks,
		Releaser:   releaser,
		Counter:    counter,
		Sweeper:    sweeper,
		Failed:     nonNil(rep.Failed()),
		Skipped:    nonNil(rep.Skipped()),
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
