//go:build !unix

package main

import "io"

// terminalWidth returns 0: on this system benchreport does not ask the
// terminal its width, and the summary fits 120 columns (or -width).
func terminalWidth(io.Writer) int { return 0 }
