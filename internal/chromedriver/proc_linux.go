package chromedriver

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// killWait bounds the wait for killed processes to leave (or turn
// zombie), so that a profile removed next is not written to again.
const killWait = 5 * time.Second

// setProcessGroup leaves the driver in this process's group, so that
// killing that group (as a test harness or a shell's job control does)
// takes the driver and its browsers too, and has the kernel kill the
// driver when this process dies (Pdeathsig).
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// killGroup kills the driver and every process it started, found by
// walking /proc from the driver (its children first, so none escapes by
// being reparented while the walk goes on).
func killGroup(cmd *exec.Cmd) {
	pid := cmd.Process.Pid
	_ = syscall.Kill(pid, syscall.SIGSTOP) // it starts nothing more
	for _, p := range descendants(pid) {
		_ = syscall.Kill(p, syscall.SIGKILL)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
}

// procEntry is what /proc tells of one process.
type procEntry struct {
	pid, ppid int
	state     byte
	cmdline   []byte // NUL-separated arguments; read only when asked
}

// live reports whether the process still runs: not a zombie or dead.
func (p procEntry) live() bool { return p.state != 'Z' && p.state != 'X' }

// processes reads every process of /proc: the one place this package
// parses /proc/PID/stat and cmdline.
func processes(withCmdline bool) []procEntry {
	entries, _ := os.ReadDir("/proc")
	out := make([]procEntry, 0, len(entries))
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		p, ok := readProc(pid, withCmdline)
		if ok {
			out = append(out, p)
		}
	}
	return out
}

// readProc reads one process's stat (and cmdline), false if it is gone.
func readProc(pid int, withCmdline bool) (procEntry, bool) {
	dir := filepath.Join("/proc", strconv.Itoa(pid))
	b, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return procEntry{}, false
	}
	// pid (comm) state ppid ...: comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procEntry{}, false
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 2 || len(f[0]) != 1 {
		return procEntry{}, false
	}
	pp, err := strconv.Atoi(string(f[1]))
	if err != nil {
		return procEntry{}, false
	}
	p := procEntry{pid: pid, ppid: pp, state: f[0][0]}
	if withCmdline {
		p.cmdline, _ = os.ReadFile(filepath.Join(dir, "cmdline"))
	}
	return p, true
}

// descendants returns the processes below pid, parents before children.
func descendants(pid int) []int {
	return below(processes(false), []int{pid})
}

// below returns the processes of ps below the roots, parents before
// children.
func below(ps []procEntry, roots []int) []int {
	children := map[int][]int{}
	for _, p := range ps {
		children[p.ppid] = append(children[p.ppid], p.pid)
	}
	var out []int
	queue := append([]int(nil), roots...)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// hasArg reports whether a /proc cmdline holds arg as a whole argument:
// between NULs, or between spaces for a program that rewrote its command
// line into one string (as Chromium's helpers may).
func hasArg(cmdline []byte, arg string) bool {
	a := []byte(arg)
	for rest := cmdline; ; {
		i := bytes.Index(rest, a)
		if i < 0 {
			return false
		}
		before := i == 0 || rest[i-1] == 0 || rest[i-1] == ' '
		j := i + len(a)
		after := j == len(rest) || rest[j] == 0 || rest[j] == ' '
		if before && after {
			return true
		}
		rest = rest[i+1:]
	}
}

// ProcessesWithArg returns the IDs of the live processes (zombies aside)
// whose command line holds arg as a whole argument, such as
// "--user-data-dir=" and a profile directory only one browser uses.
func ProcessesWithArg(arg string) []int {
	return withArg(processes(true), arg)
}

// withArg returns the IDs of the live processes of ps whose command line
// holds arg as a whole argument.
func withArg(ps []procEntry, arg string) []int {
	var out []int
	for _, p := range ps {
		if p.live() && hasArg(p.cmdline, arg) {
			out = append(out, p.pid)
		}
	}
	return out
}

// KillProcessesWithArg kills the processes whose command line holds arg
// as a whole argument (see ProcessesWithArg) and every process below
// them, and waits, a few seconds at most, until they have exited. It
// finds the browser a dead chromedriver left running by its unique
// --user-data-dir. It returns the number of processes it killed.
func KillProcessesWithArg(arg string) int {
	var killed []int
	// A second look catches a process forked between the first look and
	// the kill.
	for range 3 {
		ps := processes(true)
		match := withArg(ps, arg)
		if len(match) == 0 {
			break
		}
		for _, p := range match {
			_ = syscall.Kill(p, syscall.SIGSTOP) // they start nothing more
		}
		var round []int
		for _, p := range append(match, below(ps, match)...) {
			if syscall.Kill(p, syscall.SIGKILL) == nil {
				round = append(round, p)
			}
		}
		if len(round) == 0 {
			break // not ours to kill (another user's), or gone
		}
		killed = append(killed, round...)
		waitGone(round)
	}
	return len(killed)
}

// waitGone waits, killWait at most, until the processes have exited or
// turned zombie.
func waitGone(pids []int) {
	deadline := time.Now().Add(killWait)
	for _, pid := range pids {
		for time.Now().Before(deadline) {
			if p, ok := readProc(pid, false); !ok || !p.live() {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
