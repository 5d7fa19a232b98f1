//go:build !unix

package runner

import "os/exec"

// inGroup does nothing where there are no process groups: cancelling cmd
// kills it, and its children may outlive it.
func inGroup(cmd *exec.Cmd) {}
