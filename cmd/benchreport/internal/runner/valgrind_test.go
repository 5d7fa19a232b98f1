package runner_test

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/localbench/localbench/cmd/benchreport/internal/runner"
)

// requireValgrind skips the test where valgrind is missing, unless
// LOCALBENCH_REQUIRE_VALGRIND=1 (set by CI) makes that a failure.
func requireValgrind(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("valgrind"); err != nil {
		if os.Getenv("LOCALBENCH_REQUIRE_VALGRIND") == "1" {
			t.Fatalf("LOCALBENCH_REQUIRE_VALGRIND=1 but valgrind is missing: %v", err)
		}
		t.Skipf("valgrind is missing (%v); set LOCALBENCH_REQUIRE_VALGRIND=1 to make that a failure", err)
	}
}

// tinyOptions builds testdata/tiny's test binary and returns Options that
// count its benchmark.
func tinyOptions(t *testing.T) runner.Options {
	t.Helper()
	requireValgrind(t)
	dir, err := filepath.Abs(filepath.Join("testdata", "tiny"))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "tiny.test")
	cmd := exec.Command("go", "test", "-c", "-o", bin, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test -c in %s: %v\n%s", dir, err, out)
	}
	return runner.Options{
		Dir:    dir,
		Out:    filepath.Join(t.TempDir(), "tiny.txt"),
		Binary: bin,
		Header: []string{"go: test"},
	}
}

// TestExactRepeats counts one small benchmark twice with the exact method:
// the two counts must agree within 1%.
func TestExactRepeats(t *testing.T) {
	o := tinyOptions(t)
	const name = "Sum/strategy=loop/n=8"
	var counts [2]float64
	for i := range counts {
		med, lo, hi, err := runner.CountOne(context.Background(), o, name)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("count %d: %s: median %.2f instructions/op (repetitions from %.2f to %.2f)", i+1, name, med, lo, hi)
		counts[i] = med
	}
	if counts[0] <= 0 {
		t.Fatalf("count %v instructions/op; want more than 0", counts[0])
	}
	if d := math.Abs(counts[0]-counts[1]) / counts[0]; d > 0.01 {
		t.Errorf("two counts of %s: %.2f and %.2f instructions/op, %.2f%% apart; want within 1%%", name, counts[0], counts[1], 100*d)
	}
}

// TestExactFile makes a file of counts only and checks that it parses as
// benchfmt with the exact assumption.
func TestExactFile(t *testing.T) {
	o := tinyOptions(t)
	o.Exact = true
	o.Count = 0
	if err := runner.Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(o.Out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", data)
	checkExactAssumption(t, data)
}
