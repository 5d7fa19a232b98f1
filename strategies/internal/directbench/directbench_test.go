package directbench

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the strategy packages' direct_bench_test.go")

// TestUpToDate checks that every strategy package's direct_bench_test.go is
// what the template writes for it.
func TestUpToDate(t *testing.T) {
	for _, pkg := range Packages {
		want, err := Source(pkg)
		if err != nil {
			t.Fatalf("%s: %v", pkg, err)
		}
		path := filepath.Join("..", "..", pkg, "direct_bench_test.go")
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the template; run go test ./strategies/internal/directbench -update", path)
		}
	}
}
