//go:build !unix

package main

import "os/exec"

// startInGroup does nothing where there are no process groups.
func startInGroup(cmd *exec.Cmd) {}

// interruptGroup kills cmd: without process groups, its children may
// outlive it.
func interruptGroup(cmd *exec.Cmd) { cmd.Process.Kill() }

// killGroup kills cmd.
func killGroup(cmd *exec.Cmd) { cmd.Process.Kill() }
