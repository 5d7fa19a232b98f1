// Package results holds the benchmark results shipped with localbench, so
// that cmd/benchreport can show them on a fresh checkout without running a
// benchmark.
//
// Each file is the raw output of one run of the suite on one machine, in the
// Go benchmark format, named YYYY-MM-DD-<machine>.txt, with -run1, -run2, …
// before .txt when one machine ran the suite more than once that day;
// README.md in this directory says how each was made. Because names start
// with the date, the newest file sorts last.
package results

import (
	"embed"
	"io/fs"
	"slices"
)

// FS holds every results file (*.txt) of this directory, at its root.
//
//go:embed *.txt
var FS embed.FS

// Names returns the names of the shipped results files in FS, sorted, so
// that the newest is last.
func Names() []string {
	names, err := fs.Glob(FS, "*.txt")
	if err != nil {
		// The pattern is constant and valid; Glob fails only on a bad one.
		panic(err)
	}
	slices.Sort(names)
	return names
}

// Latest returns the name of the newest shipped results file, or "" if
// there is none.
func Latest() string {
	names := Names()
	if len(names) == 0 {
		return ""
	}
	return names[len(names)-1]
}
