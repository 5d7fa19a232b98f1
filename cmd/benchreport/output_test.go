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

// TestOutputDash checks that -o - writes to standard output.
func TestOutputDash(t *testing.T) {
	suite := testdataSuite(t)
	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	if err := run(&stdout, &stderr, []string{"-o", "-", "-full", "-filter", ".name:Get .unit:sec/op", suite}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), ".name: Get") {
		t.Errorf("-o - wrote %q to standard output; want the report", stdout.String())
	}
	assertOnly(t, ".")
}

// TestOutputSymlink checks that -o on a symbolic link writes the file it
// points to and keeps the link, and refuses a link to nothing.
func TestOutputSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.md")
	link := filepath.Join(dir, "link.md")
	if err := os.WriteFile(target, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.md", link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(&stdout, &stderr, []string{"-o", link, "-format", "markdown", "-filter", ".name:Get", testdataSuite(t)}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("-o %s replaced the link: %v, %v", link, fi, err)
	}
	data, err := os.ReadFile(target)
	if err != nil || !strings.Contains(string(data), "**Get**") {
		t.Errorf("the link's target holds %q, %v; want the report", data, err)
	}
	if fi, err := os.Stat(target); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the target's mode is %v, %v; want 0600 kept", fi.Mode().Perm(), err)
	}
	assertOnly(t, dir, "link.md", "real.md")

	dangling := filepath.Join(dir, "dangling.md")
	if err := os.Symlink("nowhere/x.md", dangling); err != nil {
		t.Fatal(err)
	}
	if err := run(&stdout, &stderr, []string{"-o", dangling, "-format", "markdown", testdataSuite(t)}); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("-o on a link to nothing: %v; want an error about the link", err)
	}
	if fi, err := os.Lstat(dangling); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("-o on a link to nothing replaced the link: %v, %v", fi, err)
	}
}

// testdataSuite returns the absolute path of testdata/suite.txt.
func testdataSuite(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", "suite.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
