package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunFlags checks that run rejects bad flags before it runs anything.
func TestRunFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-count", "0"}, "-count must be at least 1, not 0 (0 only with -exact)"},
		{[]string{"-count", "-1", "-exact"}, "-count must be at least 1, not -1 (0 only with -exact)"},
		{[]string{"-bench", "("}, "-bench: error parsing regexp"},
		{[]string{"-exact-skip", "["}, "-exact-skip: error parsing regexp"},
		{[]string{"extra"}, `run takes no arguments, got ["extra"]`},
		{[]string{"-pkg", "no/such/dir"}, "-pkg no/such/dir: no such directory in the checkout"},
	} {
		var stdout, stderr strings.Builder
		err := run(&stdout, &stderr, append([]string{"run"}, tc.args...))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("benchreport run %q: %v; want an error containing %q", tc.args, err, tc.want)
		}
	}
}

func TestFindModuleRoot(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := findModuleRoot(filepath.Join(wd, "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Dir(filepath.Dir(wd)); root != want {
		t.Errorf("findModuleRoot = %s; want %s", root, want)
	}
	if _, err := findModuleRoot(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not inside a localbench checkout") {
		t.Errorf("findModuleRoot outside a checkout: %v; want an error", err)
	}
}

func TestModulePathOf(t *testing.T) {
	for in, want := range map[string]string{
		"module github.com/localbench/localbench\n\ngo 1.26\n": "github.com/localbench/localbench",
		"// comment\nmodule \"example.com/x\"\n":               "example.com/x",
		"go 1.26\n":                                            "",
	} {
		if got := modulePathOf([]byte(in)); got != want {
			t.Errorf("modulePathOf(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestDefaultResultsPath(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "results"), 0o755); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	first, err := defaultResultsPath(root, "epyc 2c/test", day)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "results", "2026-11-21-epyc-2c-test.txt"); first != want {
		t.Errorf("path %s; want %s", first, want)
	}
	if err := os.WriteFile(first, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	second, err := defaultResultsPath(root, "epyc 2c/test", day)
	if err != nil || second != strings.TrimSuffix(first, ".txt")+"-2.txt" {
		t.Errorf("with the first taken, path %s, %v; want the -2 file", second, err)
	}
	if _, err := defaultResultsPath(root, "///", day); err == nil {
		t.Errorf("a machine name with no letter or digit was accepted")
	}
}
