//go:build !linux

package chromedriver

import "os/exec"

func setProcessGroup(*exec.Cmd) {}

func killGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

// ProcessesWithArg returns nil: only Linux's /proc is read.
func ProcessesWithArg(string) []int { return nil }

// KillProcessesWithArg kills nothing and returns 0: only Linux's /proc is
// read.
func KillProcessesWithArg(string) int { return 0 }
