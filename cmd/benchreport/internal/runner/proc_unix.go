//go:build unix

package runner

import (
	"os/exec"
	"syscall"
)

// inGroup makes cmd the leader of a new process group and makes its
// cancellation interrupt the whole group, so that whatever cmd starts (the
// compiler under go test -c) stops with it.
func inGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) }
}
