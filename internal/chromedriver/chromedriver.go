// Package chromedriver starts a chromedriver process on a loopback port
// and stops it with every browser it started: the fake test grid's
// WebDriver server, shared by the testgrid command's serve and by tests.
package chromedriver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultPath is where Debian's chromium-driver package installs it.
const DefaultPath = "/usr/bin/chromedriver"

// startTimeout bounds the wait for chromedriver to say which port it
// listens on.
const startTimeout = 30 * time.Second

// Driver is a running chromedriver.
type Driver struct {
	// URL is its base URL, http://127.0.0.1:PORT.
	URL string
	// Port is the loopback port it listens on.
	Port int

	cmd      *exec.Cmd
	stopOnce sync.Once
	waited   chan struct{}
}

var portLine = regexp.MustCompile(`started successfully on port (\d+)`)

// Start runs the chromedriver at path on a loopback port of its choosing
// (--port=0), which takes loopback clients only. On Linux the driver is
// killed if this process dies (Pdeathsig) and stays in this process's
// group, with the browsers it starts, so that killing the group kills
// them all; Stop kills the driver and every process below it.
func Start(path string) (*Driver, error) { return StartOnPort(path, 0) }

// StartOnPort is Start on a given loopback port (0: the driver's
// choice), to replace a driver that died without changing its URL. It
// fails if the port is taken.
func StartOnPort(path string, port int) (*Driver, error) {
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("port %d is out of range", port)
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	cmd := exec.Command(path, "--port="+strconv.Itoa(port))
	setProcessGroup(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	d := &Driver{cmd: cmd, waited: make(chan struct{})}
	listening := make(chan string, 1)
	var portTaken atomic.Bool
	scanned := make(chan struct{}) // Wait closes out: not before the scan ends
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := portLine.FindStringSubmatch(sc.Text()); m != nil {
				listening <- m[1]
				break
			}
			if strings.Contains(sc.Text(), "port not available") {
				portTaken.Store(true)
			}
		}
		close(listening)
		go func() { _, _ = io.Copy(io.Discard, out) }() // keep the pipe drained
	}()
	go func() { <-scanned; _ = cmd.Wait(); close(d.waited) }()
	select {
	case p, ok := <-listening:
		if !ok {
			d.Stop()
			if portTaken.Load() {
				return nil, fmt.Errorf("%s exited before listening: port %d is taken", path, port)
			}
			return nil, fmt.Errorf("%s exited before listening", path)
		}
		d.URL = "http://127.0.0.1:" + p
		d.Port, _ = strconv.Atoi(p) // digits, by portLine
		return d, nil
	case <-ctx.Done():
		d.Stop()
		return nil, errors.New(path + " did not say which port it listens on")
	}
}

// Stop kills the driver and the browsers it started and waits for the driver to exit. It may be called more than once.
func (d *Driver) Stop() {
	d.stopOnce.Do(func() {
		select {
		case <-d.waited: // its ID may be another process's by now
		default:
			killGroup(d.cmd)
		}
		<-d.waited
	})
}

// Exited returns a channel closed when the driver has exited.
func (d *Driver) Exited() <-chan struct{} { return d.waited }

// PID returns the driver's process ID.
func (d *Driver) PID() int { return d.cmd.Process.Pid }
