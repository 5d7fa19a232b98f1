package benchgen_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/localbench/localbench/harness/benchgen"
)

func generate(t *testing.T, types ...string) string {
	t.Helper()
	code, err := benchgen.Generate(benchgen.Config{
		SrcDir: "testdata/src", Dir: "testdata/dst", Types: types, Output: "gen.go",
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(code)
}

// TestSpecialize checks that each type gets a copy of exactly the bodies
// its methods allow, with the type parameters replaced by its own types,
// calls of helper bodies renamed, and directives kept.
func TestSpecialize(t *testing.T) {
	code := generate(t, "reader", "writer")
	for _, want := range []string{
		"package dst\n",
		"func benchGetReader(b *testing.B, r reader, _ int) {",
		"r.Enter(context.Background(), func(c []string) {",
		"checkReader(b, r, c, k)",
		"//go:noinline\nfunc checkReader(b *testing.B, r reader, c []string, k int) {",
		"func benchGetWriter(b *testing.B, r *writer, _ int) {",
		"func checkWriter(b *testing.B, r *writer, c context.Context, k *strings.Builder) {",
		"func benchSetWriter(b *testing.B, r *writer, _ int) {",
		"func setupSetWriter(r *writer, _ int) func() {",
		"func (r reader) Bodies() map[string]harness.Body {",
		`"get": {` + "\n\t\t\tRun: func(b *testing.B, n int) { benchGetReader(b, r, n) },",
		"Setup: func(n int) func() { return setupSetWriter(r, n) },",
		`"github.com/localbench/localbench/harness"`,
		`"strings"`,
	} {
		if !strings.Contains(code, want) {
			t.Errorf("generated code lacks %q:\n%s", want, code)
		}
	}
	for _, bad := range []string{"benchSetReader", "[C, K", " C)", "R readOps"} {
		if strings.Contains(code, bad) {
			t.Errorf("generated code has %q:\n%s", bad, code)
		}
	}
}

func TestNoGet(t *testing.T) {
	_, err := benchgen.Generate(benchgen.Config{
		SrcDir: "testdata/src", Dir: "testdata/dst", Types: []string{"missing"}, Output: "gen.go",
	})
	if err == nil || !strings.Contains(err.Error(), "missing has no method Get") {
		t.Errorf("Generate for a type with no Get: error %v; want one naming the type", err)
	}
}

// TestCheck checks that Check accepts a fresh file and rejects a stale one.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	src, err := filepath.Abs("testdata/src")
	if err != nil {
		t.Fatal(err)
	}
	dst, err := os.ReadFile("testdata/dst/dst.go")
	if err != nil {
		t.Fatal(err)
	}
	dst = []byte(strings.Replace(string(dst), "-src ../src", "-src "+src, 1))
	if err := os.WriteFile(filepath.Join(dir, "dst.go"), dst, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := benchgen.Check(dir); err == nil {
		t.Errorf("Check with no generated file: no error")
	}
	code := generate(t, "reader", "writer")
	if err := os.WriteFile(filepath.Join(dir, "gen.go"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := benchgen.Check(dir); err != nil {
		t.Errorf("Check of a fresh file: %v", err)
	}
	stale := strings.Replace(code, "checkReader(b, r, c, k)", "checkReader(b, r, c, 0)", 1)
	if err := os.WriteFile(filepath.Join(dir, "gen.go"), []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := benchgen.Check(dir); err == nil || !strings.Contains(err.Error(), "out of date") {
		t.Errorf("Check of a stale file: error %v; want out of date", err)
	}
}
