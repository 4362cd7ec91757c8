// Command servehostile measures "testgrid serve" under the hostile use of
// issue 20, against a local serve on loopback: the RSS after 2,500 rejected
// 1 MiB requests, /health latency with a full request log (10,000
// entries), and connections held and released (more idle connections
// than --max-conns, then the idle timeout).
//
// Usage: go run ./cmd/servehostile PATH-TO-TESTGRID
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: servehostile PATH-TO-TESTGRID")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "servehostile:", err)
		os.Exit(1)
	}
}

// serve starts testgrid serve with args and returns its process and
// endpoint.
func serve(bin string, args ...string) (*exec.Cmd, string, error) {
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, "", fmt.Errorf("no ready line: %w", err)
	}
	var ready struct{ Endpoint string }
	if err := json.Unmarshal(line, &ready); err != nil {
		_ = cmd.Process.Kill()
		return nil, "", err
	}
	return cmd, ready.Endpoint, nil
}

// stop ends serve with SIGTERM and returns how long it took to exit.
func stop(cmd *exec.Cmd) time.Duration {
	start := time.Now()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
	return time.Since(start)
}

func rssMB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb / 1024
		}
	}
	return -1
}

func post(c *http.Client, url string, body []byte) error {
	resp, err := c.Post(url, "text/plain", bytes.NewReader(body))
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

func run(bin string) error {
	cmd, endpoint, err := serve(bin, "--conn-idle-timeout", "2s")
	if err != nil {
		return err
	}
	c := &http.Client{Timeout: time.Minute}
	pid := cmd.Process.Pid
	fmt.Printf("RSS at start: %.1f MB\n", rssMB(pid))

	big := bytes.Repeat([]byte("x"), 1<<20)
	start := time.Now()
	for range 2500 {
		if err := post(c, endpoint+"/", big); err != nil {
			return err
		}
	}
	fmt.Printf("2,500 rejected 1 MiB requests in %s: RSS %.1f MB\n", time.Since(start).Round(time.Millisecond), rssMB(pid))
	for range 7500 {
		if err := post(c, endpoint+"/", []byte("{}")); err != nil {
			return err
		}
	}
	fmt.Printf("log filled to 10,000 entries: RSS %.1f MB\n", rssMB(pid))
	var lat []time.Duration
	for range 50 {
		t := time.Now()
		resp, err := c.Get(endpoint + "/_testgrid/health")
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	fmt.Printf("/health with a full log, 50 calls: median %s, max %s; RSS %.1f MB\n", lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond), rssMB(pid))

	// Connections: 600 idle ones against --max-conns 512 (default).
	host := strings.TrimPrefix(endpoint, "http://")
	conns := make([]net.Conn, 0, 600)
	for range 600 {
		conn, err := net.Dial("tcp", host)
		if err != nil {
			return err
		}
		conns = append(conns, conn)
	}
	// Each sends one request: the first 512 are answered, the rest wait.
	answered := make(chan int, len(conns))
	for i, conn := range conns {
		go func() {
			fmt.Fprintf(conn, "GET /_testgrid/health HTTP/1.1\r\nHost: %s\r\n\r\n", host)
			_ = conn.SetReadDeadline(time.Now().Add(time.Second))
			if resp, err := http.ReadResponse(bufio.NewReader(conn), nil); err == nil {
				resp.Body.Close()
				answered <- i
				return
			}
			answered <- -1
		}()
	}
	n := 0
	for range conns {
		if <-answered >= 0 {
			n++
		}
	}
	fmt.Printf("600 connections opened: %d answered within 1 s, %d waiting (--max-conns 512)\n", n, len(conns)-n)
	// With the idle timeout (2s here), the server closes idle ones.
	start = time.Now()
	closed := 0
	for _, conn := range conns[:n] {
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := conn.Read(make([]byte, 1)); err != nil && !os.IsTimeout(err) {
			closed++
		}
	}
	fmt.Printf("idle timeout 2s: %d of %d answered connections closed by the server after %s\n", closed, n, time.Since(start).Round(100*time.Millisecond))
	took := stop(cmd)
	for _, conn := range conns {
		conn.Close()
	}
	fmt.Printf("SIGTERM with %d connections still open: exited in %s\n", len(conns)-closed, took.Round(time.Millisecond))
	return nil
}
