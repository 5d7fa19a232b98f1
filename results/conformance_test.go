package results

import (
	"strings"
	"testing"
)

func TestLoadConformance(t *testing.T) {
	c, err := LoadConformance()
	if err != nil {
		t.Fatal(err)
	}
	if c.Command != ConformanceCommand {
		t.Errorf("command %q; want %q", c.Command, ConformanceCommand)
	}
	for _, name := range []string{"mapid", "shardedmap", "ctxvalue", "gls"} {
		s, ok := c.Contestant(name)
		if !ok {
			t.Errorf("no record of %s", name)
			continue
		}
		for _, f := range s.Failed {
			if _, ok := c.Case(f); !ok {
				t.Errorf("%s failed %q, which is no case of the record", name, f)
			}
		}
	}
	if len(c.Cases) == 0 {
		t.Errorf("the record has no cases")
	}
}

func TestParseConformanceStrict(t *testing.T) {
	if _, err := ParseConformance([]byte(`{"command": "x", "cases": [], "contestants": [], "extra": 1}`)); err == nil || !strings.Contains(err.Error(), "extra") {
		t.Errorf("ParseConformance accepted an unknown field: %v", err)
	}
	c, err := ParseConformance([]byte(`{"command": "x", "cases": [{"name": "a", "contract": "A"}], "contestants": [{"name": "s", "failed": ["a"], "skipped": []}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.Contestant("s")
	if s.Passed("a") || !s.Passed("b") {
		t.Errorf("Passed(a) = %v, Passed(b) = %v; want false, true", s.Passed("a"), s.Passed("b"))
	}
}
