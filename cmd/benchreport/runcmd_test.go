package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRun returns a suiteRun of the fake go test in TestMain.
func fakeRun(t *testing.T, mode string, progress *syncBuffer) *suiteRun {
	t.Helper()
	t.Setenv("BENCHREPORT_FAKE_GOTEST", mode)
	tick := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	return &suiteRun{
		dir:       t.TempDir(),
		command:   []string{os.Args[0], "-test.run=^$"},
		header:    []string{"go: go1.26.8", "commit: abc", "gomaxprocs: 2", "cpus: 2"},
		workloads: []string{"Get", "Set"},
		expected:  3,
		progress:  progress,
		now: func() time.Time {
			tick = tick.Add(10 * time.Second)
			return tick
		},
	}
}

// syncBuffer is a strings.Builder safe for the command's stderr and the
// progress writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestSuiteRun(t *testing.T) {
	var progress syncBuffer
	s := fakeRun(t, "ok", &progress)
	out, err := s.run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	if !strings.HasPrefix(got, "go: go1.26.8\ncommit: abc\ngomaxprocs: 2\ncpus: 2\ngoos: linux\n") {
		t.Errorf("the results do not start with the provenance lines:\n%s", got)
	}
	if n := strings.Count(got, "\nBenchmark"); n != 3 {
		t.Errorf("the results have %d benchmark lines; want 3:\n%s", n, got)
	}
	want := []string{
		"benchreport: Get (workload 1 of 2): 1 results of ~3, 10s elapsed, ~20s left",
		"benchreport: Set (workload 2 of 2): 3 results of ~3, 30s elapsed",
		"benchreport: 3 results in 40s",
	}
	if p := strings.TrimSpace(progress.String()); p != strings.Join(want, "\n") {
		t.Errorf("progress:\n%s\nwant:\n%s", p, strings.Join(want, "\n"))
	}
}

func TestSuiteRunFails(t *testing.T) {
	var progress syncBuffer
	_, err := fakeRun(t, "fail", &progress).run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "exit status 1") || !strings.Contains(err.Error(), "--- FAIL: BenchmarkSet") {
		t.Errorf("a failing go test gave %v; want its exit status and last lines", err)
	}
}

// TestSuiteRunInterrupted cancels a run whose go test hangs, as Ctrl-C
// does: the run must end promptly, with an error and no results.
func TestSuiteRunInterrupted(t *testing.T) {
	var progress syncBuffer
	s := fakeRun(t, "hang", &progress)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Cancel once the first result is in: the command is running.
		for !strings.Contains(progress.String(), "1 results") {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	start := time.Now()
	out, err := s.run(ctx)
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("an interrupted run gave %v; want an interrupted error", err)
	}
	if out != nil {
		t.Errorf("an interrupted run returned %d bytes of results", len(out))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the interrupted run took %v to end", d)
	}
}

func TestProgressTerminal(t *testing.T) {
	var b strings.Builder
	tick := time.Unix(0, 0)
	p := progress{w: &b, tty: true, expected: 4, start: tick, now: func() time.Time { tick = tick.Add(time.Second); return tick }}
	p.line("goos: linux")
	p.line("BenchmarkGet/strategy=mapid-2   100   25.0 ns/op")
	p.line("BenchmarkGet/strategy=gls-2     100   625 ns/op   0 B/op")
	p.finish()
	want := "\r\033[KGet: 1 results of ~4, 1s elapsed, ~3s left" +
		"\r\033[KGet: 2 results of ~4, 2s elapsed, ~2s left" +
		"\r\033[Kbenchreport: 2 results in 3s\n"
	if b.String() != want {
		t.Errorf("progress %q; want %q", b.String(), want)
	}
}

// TestProgressQuiet checks that off a terminal progress prints when a
// workload starts, and within one at most every quietFor.
func TestProgressQuiet(t *testing.T) {
	var b strings.Builder
	tick := time.Unix(0, 0)
	p := progress{w: &b, start: tick, now: func() time.Time { tick = tick.Add(10 * time.Second); return tick }}
	for range 4 {
		p.line("BenchmarkLive/strategy=mapid/live=1-2   100   25.0 ns/op")
	}
	p.line("BenchmarkSpawn/strategy=mapid-2   100   25.0 ns/op")
	want := "benchreport: Live: 1 results, 10s elapsed\n" +
		"benchreport: Live: 4 results, 40s elapsed\n" +
		"benchreport: Spawn: 5 results, 50s elapsed\n"
	if b.String() != want {
		t.Errorf("progress:\n%s\nwant:\n%s", b.String(), want)
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
