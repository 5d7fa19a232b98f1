// Command benchgen writes the per-contestant copies of package harness's
// workload bodies into a package; see package benchgen. It is run by
// go generate:
//
//	benchgen [-src DIR] [-o FILE] TYPE...
//
// writes FILE (default bench_gen.go) in the current directory with copies
// for each TYPE declared there, taking the bodies from package harness in
// DIR (default the current directory).
package main

import (
	"fmt"
	"os"

	"github.com/localbench/localbench/harness/benchgen"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cfg, err := benchgen.ParseArgs(".", args)
	if err != nil {
		return err
	}
	code, err := benchgen.Generate(cfg)
	if err != nil {
		return err
	}
	// Write a temporary file and rename it, so that a failure never
	// leaves a half-written output.
	tmp, err := os.CreateTemp(".", cfg.Output+".tmp*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(code)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), cfg.Output)
}
