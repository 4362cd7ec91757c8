package fakeserver

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Process is a fake server running in a child process, so that its work
// (and its allocations) never count against the client being measured.
type Process struct {
	// URL is the server's base endpoint, e.g. "http://127.0.0.1:40123".
	URL string

	cmd   *exec.Cmd
	stdin io.WriteCloser
	mu    sync.Mutex // serialises commands
	out   *bufio.Reader
}

// Start launches the current executable as a server child (see RunChild)
// and waits for its URL. Close it when done; if this process dies first,
// the child sees its standard input close and exits.
func Start() (*Process, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("fakeserver: %w", err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), EnvChild+"="+childMagic)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("fakeserver: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("fakeserver: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("fakeserver: start child: %w", err)
	}
	p := &Process{cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
	line, err := p.out.ReadString('\n')
	if err != nil {
		_ = p.Close()
		return nil, fmt.Errorf("fakeserver: child printed no URL: %w", err)
	}
	p.URL = strings.TrimSpace(line)
	return p, nil
}

// Stats returns the child's counts so far.
func (p *Process) Stats() (Stats, error) { return p.command("stats") }

// Reset zeroes the child's counts and returns what they were.
func (p *Process) Reset() (Stats, error) { return p.command("reset") }

// command sends one command line and decodes the one-line answer.
func (p *Process) command(name string) (Stats, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := io.WriteString(p.stdin, name+"\n"); err != nil {
		return Stats{}, fmt.Errorf("fakeserver: %s: %w", name, err)
	}
	line, err := p.out.ReadBytes('\n')
	if err != nil {
		return Stats{}, fmt.Errorf("fakeserver: %s: %w", name, err)
	}
	var st Stats
	if err := json.Unmarshal(line, &st); err != nil {
		return Stats{}, fmt.Errorf("fakeserver: %s: %w", name, err)
	}
	if st.Requests < 0 {
		return Stats{}, fmt.Errorf("fakeserver: child rejected command %q", name)
	}
	return st, nil
}

// Close stops the child: it closes its standard input, which makes it exit,
// and kills it if it has not exited within five seconds.
func (p *Process) Close() error {
	_ = p.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		return errors.Join(errors.New("fakeserver: child did not exit; killed"), <-done)
	}
}
