package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/localbench/localbench/results"
)

// TestShipped checks that with no files benchreport reads the newest
// results file shipped in package results, from any directory.
func TestShipped(t *testing.T) {
	names := results.Names()
	if len(names) == 0 {
		t.Fatal("no results are shipped")
	}
	if latest := results.Latest(); latest != names[len(names)-1] {
		t.Errorf("results.Latest() = %q; want the last of %q", latest, names)
	}
	t.Chdir(t.TempDir())
	in, err := inputs(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(in) != 1 || in[0].label != results.Latest() {
		t.Fatalf("inputs() = %+v; want the newest shipped file", in)
	}
	var out, errb bytes.Buffer
	if err := run(&out, &errb, []string{"-full", "-filter", ".unit:sec/op"}); err != nil {
		t.Fatalf("benchreport with no files: %v", err)
	}
	if !strings.Contains(out.String(), "│") {
		t.Errorf("benchreport with no files printed no table:\n%s", out.String())
	}
}

func TestInputLabels(t *testing.T) {
	in, err := inputs([]string{"a.txt", "b=a.txt", "a.txt", "-"}, strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, i := range in {
		labels = append(labels, i.label)
	}
	if got, want := strings.Join(labels, " "), "a.txt#0 b a.txt#1 -"; got != want {
		t.Errorf("labels %q; want %q", got, want)
	}
	r, err := in[3].open()
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := io.ReadAll(r); string(data) != "x" {
		t.Errorf("- read %q; want standard input", data)
	}
}
