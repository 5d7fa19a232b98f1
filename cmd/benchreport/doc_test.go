package main

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
	"testing"
)

// TestDoc runs the "$ benchreport …" examples of the package doc (the
// manual) in testdata and compares their output with what the doc shows.
func TestDoc(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	p, err := doc.NewFromFiles(fset, []*ast.File{f}, "github.com/localbench/localbench/cmd/benchreport")
	if err != nil {
		t.Fatal(err)
	}
	examples := docExamples(p.Doc)
	if len(examples) < 5 {
		t.Fatalf("found %d examples in the package doc; want at least 5", len(examples))
	}
	for _, ex := range examples {
		t.Run(strings.Join(ex.args, " "), func(t *testing.T) {
			stdout, stderr, err := inTestdata(t, ex.args...)
			if err != nil {
				t.Fatalf("benchreport %s: %v", strings.Join(ex.args, " "), err)
			}
			if stderr != "" {
				t.Errorf("benchreport %s wrote to stderr:\n%s", strings.Join(ex.args, " "), stderr)
			}
			diff(t, []byte(ex.want), []byte(stdout))
		})
	}
}

type docExample struct {
	args []string
	want string
}

// An example is an indented "$ benchreport ARGS" line and the indented
// lines (and blank lines) after it.
var docExampleRE = regexp.MustCompile(`(?m)^\t\$ benchreport (.*)\n((?:\t.*\n|\n)+)`)

func docExamples(text string) []docExample {
	var out []docExample
	for _, m := range docExampleRE.FindAllStringSubmatch(text, -1) {
		args, err := parseArgs(m[1])
		if err != nil {
			panic(err)
		}
		want := strings.TrimRight(m[2], "\n") + "\n"
		want = strings.ReplaceAll(want[1:], "\n\t", "\n")
		out = append(out, docExample{args: args, want: want})
	}
	return out
}
