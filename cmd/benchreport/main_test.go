package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files, benchstat's expected output and README.md's benchreport blocks")

// TestMain lets the test binary stand in for benchreport itself
// (BENCHREPORT_TEST_MAIN=1, to test exit statuses).
func TestMain(m *testing.M) {
	if os.Getenv("BENCHREPORT_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// inTestdata runs benchreport with args in testdata and returns its
// standard output and standard error.
func inTestdata(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	t.Chdir("testdata")
	var out, errb bytes.Buffer
	err = run(&out, &errb, args)
	return out.String(), errb.String(), err
}

// golden compares got with testdata/golden/name, writes name.got beside it
// on a mismatch, and rewrites the golden file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Remove(path + ".got")
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff(t, want, got) {
		if err := os.WriteFile(path+".got", got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Errorf("wrote the output to %s.got", path)
	} else {
		os.Remove(path + ".got")
	}
}

// diff reports whether want and got differ, and logs a unified diff.
func diff(t *testing.T, want, got []byte) bool {
	t.Helper()
	if bytes.Equal(want, got) {
		return false
	}
	d := t.TempDir()
	if err := os.WriteFile(filepath.Join(d, "want"), want, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, "got"), got, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("diff", "-u", "want", "got")
	cmd.Dir = d
	if out, _ := cmd.CombinedOutput(); len(out) > 0 {
		t.Errorf("output differs (- want, + got):\n%s", out)
	} else {
		t.Errorf("output differs:\nwant:\n%s\ngot:\n%s", want, got)
	}
	return true
}

// parseArgs splits a shell-like word list: words separated by spaces,
// double quotes around a word that has spaces.
func parseArgs(s string) ([]string, error) {
	var out []string
	s = strings.TrimSpace(s)
	for s != "" {
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote in %q", s)
			}
			out = append(out, s[1:end+1])
			s = strings.TrimLeft(s[end+2:], " ")
			continue
		}
		word, rest, _ := strings.Cut(s, " ")
		out = append(out, word)
		s = strings.TrimLeft(rest, " ")
	}
	return out, nil
}

func TestParseArgs(t *testing.T) {
	got, err := parseArgs(`-filter ".name:Get .unit:sec/op"  -col /strategy suite.txt`)
	want := []string{"-filter", ".name:Get .unit:sec/op", "-col", "/strategy", "suite.txt"}
	if err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("parseArgs = %q, %v; want %q, nil", got, err, want)
	}
	if _, err := parseArgs(`-filter "open`); err == nil {
		t.Errorf("parseArgs of an unterminated quote succeeded; want an error")
	}
}
