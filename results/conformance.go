package results

import (
	"bytes"
	_ "embed" // for conformanceJSON
	"encoding/json"
	"fmt"
	"slices"
)

// ConformanceCommand regenerates conformance.json, run in the repository
// root. A test in the peers module, the only module that imports every
// store (localbench's and the peers'), runs the conformance suite on each
// and fails when the file differs from what it found.
const ConformanceCommand = "cd peers && go test -run '^TestConformanceRecord$' -update ."

// Conformance is how each Store contestant of the benchmarks fared in
// localbench's conformance suite (harness.Check, the cases of
// harness.TestStore), with the traits the suite checks: what a
// recommendation may rely on.
type Conformance struct {
	// Command regenerates the record: ConformanceCommand.
	Command string `json:"command"`
	// Cases are the suite's cases, in the order run.
	Cases []Case `json:"cases"`
	// Contestants are the stores checked, in the benchmarks' order.
	Contestants []Contestant `json:"contestants"`
}

// A Case is one conformance case: its name, the sentence of the contract
// it checks, and what a store needs for the case to apply (a skipped case
// did not apply), if anything.
type Case struct {
	Name     string `json:"name"`
	Contract string `json:"contract"`
	Needs    string `json:"needs,omitempty"`
}

// A Contestant is one store's record: its strategies.Info, the optional
// interfaces it implements, and the cases it failed or skipped (it passed
// every other).
type Contestant struct {
	Name       string `json:"name"`
	Implicit   bool   `json:"implicit"`
	NeedsScope bool   `json:"needsScope"`
	Leaks      bool   `json:"leaks"`
	Releaser   bool   `json:"releaser"` // strategies.Releaser
	Counter    bool   `json:"counter"`  // strategies.Counter
	Sweeper    bool   `json:"sweeper"`  // Sweep() int: drops the entries of exited goroutines

	Failed  []string `json:"failed"`
	Skipped []string `json:"skipped"`
}

// Passed reports whether c passed the named case: it was run and did not
// fail.
func (c Contestant) Passed(name string) bool {
	return !slices.Contains(c.Failed, name) && !slices.Contains(c.Skipped, name)
}

//go:embed conformance.json
var conformanceJSON []byte

// LoadConformance returns the recorded conformance of the stores, as
// shipped with this build.
func LoadConformance() (*Conformance, error) {
	return ParseConformance(conformanceJSON)
}

// ParseConformance parses a conformance record.
func ParseConformance(data []byte) (*Conformance, error) {
	var c Conformance
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("conformance record: %w", err)
	}
	return &c, nil
}

// Marshal returns the record as conformance.json holds it.
func (c *Conformance) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(c, "", "\t")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// Contestant returns the record of the named store.
func (c *Conformance) Contestant(name string) (Contestant, bool) {
	i := slices.IndexFunc(c.Contestants, func(x Contestant) bool { return x.Name == name })
	if i < 0 {
		return Contestant{}, false
	}
	return c.Contestants[i], true
}

// Case returns the named case.
func (c *Conformance) Case(name string) (Case, bool) {
	i := slices.IndexFunc(c.Cases, func(x Case) bool { return x.Name == name })
	if i < 0 {
		return Case{}, false
	}
	return c.Cases[i], true
}
