package lifetime

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/localbench/localbench/harness"
)

// maxFuzzBytes caps a fuzz input: 256 ops. Longer inputs are cut, so that
// deep nestings (gls walks the whole stack on every call) stay quick.
const maxFuzzBytes = 512

// FuzzStoreOps decodes the input into a sequence of operations with
// harness.DecodeOps and runs it with harness.CheckOps, the differential
// check against the reference model, on a fresh store of each strategy.
func FuzzStoreOps(f *testing.F) {
	for i := range 3 {
		f.Add(encodeOps(harness.RandomOps(rand.New(rand.NewPCG(uint64(i), 0)), 64)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzBytes {
			data = data[:maxFuzzBytes]
		}
		ops := harness.DecodeOps(data)
		for _, st := range allStrategies() {
			s, _ := st.open()
			harness.CheckOps(named{t, st.name}, s, ops)
			if c, ok := s.(io.Closer); ok {
				if err := c.Close(); err != nil {
					t.Errorf("%s: Close() = %v; want nil", st.name, err)
				}
			}
		}
	})
}

// named is a *testing.T whose messages start with a strategy's name.
type named struct {
	*testing.T
	name string
}

func (n named) Errorf(format string, args ...any) {
	n.T.Helper()
	n.T.Errorf("%s: %s", n.name, fmt.Sprintf(format, args...))
}

func (n named) Fatalf(format string, args ...any) {
	n.T.Helper()
	n.T.Fatalf("%s: %s", n.name, fmt.Sprintf(format, args...))
}

// encodeOps is the inverse of harness.DecodeOps for ops with Key in
// [0, NumOpKeys) and Val in [0, 16): two bytes an op, the kind and the key
// in the first, the value in the second.
func encodeOps(ops []harness.Op) []byte {
	b := make([]byte, 0, 2*len(ops))
	for _, o := range ops {
		b = append(b, byte(o.Kind)+byte(harness.NumOpKinds)*byte(o.Key), byte(o.Val))
	}
	return b
}

func TestEncodeOps(t *testing.T) {
	ops := harness.RandomOps(rand.New(rand.NewPCG(1, 2)), 500)
	if got := harness.DecodeOps(encodeOps(ops)); !slices.Equal(got, ops) {
		t.Errorf("DecodeOps(encodeOps(ops)) differs from ops:\n got %v\nwant %v", got, ops)
	}
}

var update = flag.Bool("update", false, "rewrite the seed corpus in testdata/fuzz/FuzzStoreOps")

// op builds an Op for the seed corpus.
func op(kind harness.OpKind, key, val int) harness.Op {
	return harness.Op{Kind: kind, Key: key, Val: val}
}

// seedCorpus is the committed seed corpus of FuzzStoreOps, by file name:
// sequences that reach the corners the contract is about.
func seedCorpus() map[string][]harness.Op {
	const (
		get, set, del       = harness.OpGet, harness.OpSet, harness.OpDelete
		enter, leave, raise = harness.OpEnter, harness.OpLeave, harness.OpPanic
		snap, wrap, runWrap = harness.OpSnapshot, harness.OpWrap, harness.OpRunWrap
		callWrap, goChild   = harness.OpCallWrap, harness.OpGo
	)
	deep := []harness.Op{op(set, 0, 1)}
	for i := range 24 {
		deep = append(deep, op(enter, 0, 0), op(set, i%4, i%15+1), op(del, (i+1)%4, 0))
	}
	deep = append(deep, op(raise, 0, 0), op(get, 0, 0), op(snap, 0, 0), op(leave, 0, 0), op(raise, 0, 0), op(snap, 0, 0))
	return map[string][]harness.Op{
		// A panic unwinds two scopes at once; the enclosing ones must be intact.
		"nested-panic": {
			op(set, 0, 1), op(enter, 0, 0), op(set, 0, 2), op(del, 1, 0), op(enter, 0, 0),
			op(set, 2, 3), op(raise, 0, 0), op(get, 0, 0), op(get, 2, 0), op(snap, 0, 0),
			op(leave, 0, 0), op(get, 0, 0), op(snap, 0, 0),
		},
		// Missing and nil: a key bound to nil is bound; Delete unbinds.
		"nil-values": {
			op(get, 0, 0), op(set, 0, 0), op(get, 0, 0), op(snap, 0, 0), op(del, 0, 0),
			op(get, 0, 0), op(enter, 0, 0), op(set, 1, 0), op(del, 1, 0), op(set, 0, 0),
			op(leave, 0, 0), op(get, 0, 0), op(get, 1, 0), op(del, 2, 0), op(snap, 0, 0),
		},
		// Wrap copies at capture time; tasks run on a worker and here.
		"wrap-run-call": {
			op(set, 0, 1), op(wrap, 1, 0), op(set, 0, 2), op(enter, 0, 0), op(del, 0, 0),
			op(wrap, 2, 0), op(runWrap, 0, 0), op(callWrap, 0, 0), op(get, 0, 0), op(get, 1, 0),
			op(leave, 0, 0), op(callWrap, 0, 0), op(snap, 0, 0),
		},
		// Tasks captured in scopes that end before they run.
		"wrap-outlives-scope": {
			op(enter, 0, 0), op(set, 0, 5), op(set, 3, 0), op(wrap, 0, 0), op(enter, 0, 0),
			op(del, 0, 0), op(wrap, 3, 0), op(raise, 0, 0), op(wrap, 1, 0), op(leave, 0, 0),
			op(runWrap, 0, 0), op(snap, 0, 0),
		},
		// Children started by Go at several depths, one from a scope that panics.
		"go-children": {
			op(set, 0, 1), op(goChild, 0, 0), op(enter, 0, 0), op(set, 1, 2), op(goChild, 1, 0),
			op(enter, 0, 0), op(set, 2, 3), op(goChild, 2, 0), op(raise, 0, 0), op(goChild, 3, 0),
			op(leave, 0, 0), op(goChild, 0, 0), op(snap, 0, 0),
		},
		// Deep nesting with changes at every level, ended by panics.
		"deep-nesting": deep,
		"random-1":     harness.RandomOps(rand.New(rand.NewPCG(1, 1)), 200),
		"random-2":     harness.RandomOps(rand.New(rand.NewPCG(2, 2)), 200),
	}
}

// corpusFile is a fuzz corpus file holding data.
func corpusFile(data []byte) string {
	return fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
}

// TestSeedCorpus checks that the committed seed corpus holds exactly the
// sequences of seedCorpus; go test -run TestSeedCorpus -update rewrites it.
func TestSeedCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzStoreOps")
	for name, ops := range seedCorpus() {
		path := filepath.Join(dir, name)
		want := corpusFile(encodeOps(ops))
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v; run go test -run TestSeedCorpus -update", err)
			continue
		}
		if string(got) != want {
			t.Errorf("%s holds %q; want %q: run go test -run TestSeedCorpus -update", path, got, want)
		}
	}
}
