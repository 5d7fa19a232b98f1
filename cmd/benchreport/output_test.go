package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.txt")
	if err := writeAtomic(path, []byte("one\n")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(path, []byte("two\n")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != "two\n" {
		t.Errorf("after two writes the file holds %q, %v; want %q", data, err, "two\n")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after a rewrite = %v, %v; want 0600 kept", fi.Mode().Perm(), err)
	}
	assertOnly(t, dir, "report.txt")
}

// TestWriteAtomicFailure checks that a failed write leaves the target and
// the directory as they were: here the target is a directory, so the
// rename fails after the temporary file was written.
func TestWriteAtomicFailure(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	err := writeAtomic(target, []byte("data"))
	if err == nil {
		t.Fatalf("writeAtomic over a directory succeeded")
	}
	t.Logf("writeAtomic over a directory: %v", err)
	assertOnly(t, dir, "out")
}

// TestOutputKeptOnError checks that a run that fails leaves an existing -o
// file untouched and no temporary file beside it.
func TestOutputKeptOnError(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.md")
	if err := os.WriteFile(out, []byte("previous report\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-o", out, "-format", "markdown", "-filter", ".name:Nope", "testdata/suite.txt"},
		{"-o", out, "-format", "markdown", "testdata/bad/nonfinite.txt"},
		{"-o", out, "-format", "markdown", "testdata/missing.txt"},
	} {
		var stdout, stderr bytes.Buffer
		if err := run(&stdout, &stderr, args); err == nil {
			t.Errorf("benchreport %s succeeded; want an error", strings.Join(args, " "))
		}
		if stdout.Len() > 0 {
			t.Errorf("benchreport %s wrote to stdout with -o: %q", strings.Join(args, " "), stdout.String())
		}
		data, err := os.ReadFile(out)
		if err != nil || string(data) != "previous report\n" {
			t.Errorf("after a failed benchreport %s, -o file holds %q, %v; want it untouched", strings.Join(args, " "), data, err)
		}
		assertOnly(t, dir, "report.md")
	}
}

// TestOutputWritten checks that -o writes what standard output would get.
func TestOutputWritten(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.csv")
	args := []string{"-format", "csv", "testdata/old.txt"}
	var want, stdout, stderr bytes.Buffer
	if err := run(&want, &stderr, args); err != nil {
		t.Fatal(err)
	}
	if err := run(&stdout, &stderr, append([]string{"-o", out}, args...)); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if stdout.Len() != 0 || !bytes.Equal(got, want.Bytes()) {
		t.Errorf("-o wrote %d bytes (stdout %d); want the %d bytes of standard output", len(got), stdout.Len(), want.Len())
	}
}

// assertOnly fails unless dir holds exactly the named entries.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %q; want only %q", dir, got, names)
	}
}
