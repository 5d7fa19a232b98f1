package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// README.md's headline tables are benchreport's output on the shipped
// results. Each block of README.md between a line
//
//	<!-- benchreport:begin ARGS -->
//
// and the next line
//
//	<!-- benchreport:end -->
//
// must be exactly what "benchreport ARGS" prints, run at the root of the
// module; go test -update rewrites the blocks.
var (
	readmeBegin = regexp.MustCompile(`^<!-- benchreport:begin (.*) -->$`)
	readmeEnd   = "<!-- benchreport:end -->"
)

func TestREADME(t *testing.T) {
	path, err := filepath.Abs(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("README.md does not exist yet")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Dir(path))
	rewritten, err := renderREADME(string(data), func(args []string) (string, error) {
		var out, errb bytes.Buffer
		if err := run(&out, &errb, args); err != nil {
			return "", err
		}
		if errb.Len() > 0 {
			return "", fmt.Errorf("wrote to stderr: %s", errb.String())
		}
		return out.String(), nil
	})
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	if rewritten == string(data) {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(rewritten), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	diff(t, data, []byte(rewritten))
	t.Errorf("README.md's benchreport blocks are stale; run go test ./cmd/benchreport -update")
}

// renderREADME returns readme with every benchreport block replaced by the
// output of render for its arguments. It fails if there is no block, or a
// block is not closed.
func renderREADME(readme string, render func(args []string) (string, error)) (string, error) {
	lines := strings.SplitAfter(readme, "\n")
	var out strings.Builder
	blocks := 0
	for i := 0; i < len(lines); i++ {
		out.WriteString(lines[i])
		m := readmeBegin.FindStringSubmatch(strings.TrimRight(lines[i], "\n"))
		if m == nil {
			continue
		}
		blocks++
		end := i + 1
		for end < len(lines) && strings.TrimRight(lines[end], "\n") != readmeEnd {
			end++
		}
		if end == len(lines) {
			return "", fmt.Errorf("line %d: %s has no %s after it", i+1, strings.TrimSpace(lines[i]), readmeEnd)
		}
		args, err := parseArgs(m[1])
		if err != nil {
			return "", fmt.Errorf("line %d: %w", i+1, err)
		}
		text, err := render(args)
		if err != nil {
			return "", fmt.Errorf("line %d: benchreport %s: %w", i+1, m[1], err)
		}
		out.WriteString(text)
		out.WriteString(lines[end])
		i = end
	}
	if blocks == 0 {
		return "", fmt.Errorf("no <!-- benchreport:begin ARGS --> … %s block: the headline table must be benchreport's output", readmeEnd)
	}
	return out.String(), nil
}

func TestRenderREADME(t *testing.T) {
	echo := func(args []string) (string, error) { return strings.Join(args, "|") + "\n", nil }
	in := "# Title\n<!-- benchreport:begin -format markdown \"-filter .name:Get\" -->\nold table\n<!-- benchreport:end -->\ntext\n"
	want := "# Title\n<!-- benchreport:begin -format markdown \"-filter .name:Get\" -->\n-format|markdown|-filter .name:Get\n<!-- benchreport:end -->\ntext\n"
	got, err := renderREADME(in, echo)
	if err != nil || got != want {
		t.Errorf("renderREADME = %q, %v; want %q", got, err, want)
	}
	if _, err := renderREADME("# Title\nno block\n", echo); err == nil {
		t.Errorf("a README without a block was accepted")
	}
	if _, err := renderREADME("<!-- benchreport:begin -->\n", echo); err == nil {
		t.Errorf("a block without its end was accepted")
	}
}
