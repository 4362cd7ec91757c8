//go:build unix

package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/awsclient"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// Bounds of the processes these tests start.
const (
	processTimeout = 3 * time.Minute  // any process, from start to kill
	readyTimeout   = 30 * time.Second // serve's ready line
	stopTimeout    = 10 * time.Second // serve's exit after SIGTERM
)

// serveProcess is a running "testgrid serve".
type serveProcess struct {
	ready  readyLine
	cmd    *exec.Cmd
	http   *http.Client // for the control API
	stderr *syncBuffer
	exited chan struct{} // closed once Wait returned
	err    error         // Wait's error, set before exited is closed
}

// startServe starts bin serve args..., waits for its ready line and, at
// the end of the test, stops it with SIGTERM and requires exit status 0.
func startServe(t *testing.T, bin string, args ...string) *serveProcess {
	t.Helper()
	return startServeEnv(t, cleanEnv(t), bin, args...)
}

// startServeEnv is startServe with the environment env.
func startServeEnv(t *testing.T, env []string, bin string, args ...string) *serveProcess {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), processTimeout)
	tr := &http.Transport{}
	p := &serveProcess{stderr: &syncBuffer{}, exited: make(chan struct{}), http: &http.Client{Transport: tr, Timeout: readyTimeout}}
	p.cmd = exec.CommandContext(ctx, bin, append([]string{"serve"}, args...)...)
	p.cmd.Env = env
	p.cmd.Stderr = p.stderr
	p.cmd.WaitDelay = stopTimeout
	stdout, err := p.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start())

	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, r) // nothing more is written; read to EOF
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		defer cancel()
		tr.CloseIdleConnections()
		p.stop(t, syscall.SIGTERM)
	})
	select {
	case line := <-lines:
		require.NotEmpty(t, line, "serve exited before listening: %s", p.stderr)
		require.NoError(t, json.Unmarshal([]byte(line), &p.ready), line)
	case <-time.After(readyTimeout):
		t.Fatalf("no ready line within %s; stderr: %s", readyTimeout, p.stderr)
	}
	return p
}

// stop sends sig (once) and requires a graceful exit with status 0.
func (p *serveProcess) stop(t *testing.T, sig syscall.Signal) {
	t.Helper()
	select {
	case <-p.exited:
	default:
		_ = p.cmd.Process.Signal(sig)
		select {
		case <-p.exited:
		case <-time.After(stopTimeout):
			_ = p.cmd.Process.Kill()
			<-p.exited
			t.Errorf("serve did not stop within %s of %s; stderr: %s", stopTimeout, sig, p.stderr)
			return
		}
	}
	assert.NoError(t, p.err, "exit status; stderr: %s", p.stderr)
}

// control calls the control API of p and decodes the answer.
func (p *serveProcess) control(t *testing.T, method, path, body string) map[string]any {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, p.ready.Control+path, strings.NewReader(body))
	require.NoError(t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := p.http.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Equal(t, http.StatusOK, resp.StatusCode, "%v", out)
	return out
}

// runBounded runs cmd with processTimeout, its whole process group killed
// at the end, and returns its stdout, stderr and exit code.
func runBounded(t *testing.T, env []string, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), processTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = stopTimeout
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // leftovers, such as a fake a script started
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	default:
		require.NoError(t, err, "%s: %s", name, errOut.String())
	}
	return out.String(), errOut.String(), code
}

// TestServeProcess runs the built binary as users and other languages'
// test suites do.
func TestServeProcess(t *testing.T) {
	t.Parallel()
	bin := testgridBinary(t)

	t.Run("ready line and signals", func(t *testing.T) {
		t.Parallel()
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
			p := startServe(t, bin, "--project", testProject, "--sessions", "5", "--session-token", "TOKEN")
			assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, p.ready.Endpoint)
			assert.Equal(t, p.ready.Endpoint+"/_testgrid", p.ready.Control)
			assert.Equal(t, "us-west-2", p.ready.Region)
			assert.Equal(t, "TOKEN", p.ready.SessionToken)
			assert.Equal(t, []projectJSON{{Arn: testProject, Sessions: 5}}, p.ready.Projects)
			assert.Equal(t, "ok", p.control(t, http.MethodGet, "/health", "")["status"])
			p.stop(t, sig)
			assert.Contains(t, p.stderr.String(), "testgrid serve: stopped", sig.String())
		}
	})

	t.Run("non-loopback notice", func(t *testing.T) {
		t.Parallel()
		p := startServe(t, bin, "--addr", "0.0.0.0:0")
		assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, p.ready.Endpoint, "a usable address")
		// stderr is copied apart from stdout: the notice may arrive after the ready line.
		assert.Eventually(t, func() bool { return strings.Contains(p.stderr.String(), "is not a loopback address") },
			readyTimeout, 10*time.Millisecond, "stderr: %s", p.stderr)
	})

	t.Run("bad load file", func(t *testing.T) {
		t.Parallel()
		bad := filepath.Join(t.TempDir(), "bad.json")
		require.NoError(t, os.WriteFile(bad, []byte("{\"sessions\":[\n  {\"arn\": 12}\n]}\n"), 0o600))
		stdout, stderr, code := runBounded(t, cleanEnv(t), bin, "serve", "--load", bad)
		assert.Equal(t, cmdutil.ExitUsage, code)
		assert.Empty(t, stdout)
		assert.Regexp(t, `^testgrid serve: .*bad\.json:2:3: session 1: .*\n$`, stderr)
	})

	t.Run("record and replay", func(t *testing.T) { testRecordReplay(t, bin) })
}

// testRecordReplay: what testgrid sessions --demo writes, served by
// testgrid serve --load, lists byte for byte the same with the same flags.
func testRecordReplay(t *testing.T, bin string) {
	t.Parallel()
	createdAfter := time.Now().Add(-20 * 24 * time.Hour).UTC().Format(time.RFC3339)
	for _, tc := range []struct {
		name  string
		flags []string
	}{
		{"json, all", []string{"--output", "json"}},
		{"ndjson, filtered, small pages", []string{"--output", "ndjson", "--status", "CLOSED", "--created-after", createdAfter, "--page-size", "7"}},
		{"json, active, one page", []string{"--output", "json", "--status", "ACTIVE", "--page-size", "1000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recorded, stderr, code := runBounded(t, cleanEnv(t), bin, append([]string{"sessions", "--demo"}, tc.flags...)...)
			require.Equal(t, 0, code, stderr)
			require.NotEmpty(t, recorded)
			file := filepath.Join(t.TempDir(), "recorded")
			require.NoError(t, os.WriteFile(file, []byte(recorded), 0o600))

			p := startServe(t, bin, "--load", file)
			require.Len(t, p.ready.Projects, 1)
			assert.Equal(t, awsclient.DemoProject, p.ready.Projects[0].Arn)
			env := cleanEnv(t, "AWS_ACCESS_KEY_ID="+p.ready.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+p.ready.SecretAccessKey)
			replayed, stderr, code := runBounded(t, env, bin,
				append([]string{"sessions", "--endpoint", p.ready.Endpoint, "--project", awsclient.DemoProject}, tc.flags...)...)
			require.Equal(t, 0, code, stderr)
			assert.Empty(t, stderr)
			require.Equal(t, recorded, replayed, "byte for byte")
			t.Logf("replay %s: %d sessions, %d bytes identical", tc.name, p.ready.Projects[0].Sessions, len(replayed))
		})
	}
}
