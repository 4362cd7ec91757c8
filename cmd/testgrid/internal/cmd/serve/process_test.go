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
	ctx, cancel := context.WithTimeout(context.Background(), processTimeout)
	tr := &http.Transport{}
	p := &serveProcess{stderr: &syncBuffer{}, exited: make(chan struct{}), http: &http.Client{Transport: tr, Timeout: readyTimeout}}
	p.cmd = exec.CommandContext(ctx, bin, append([]string{"serve"}, args...)...)
	p.cmd.Env = cleanEnv(t)
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

// logLines logs each line of out that starts with prefix.
func logLines(t *testing.T, out, prefix string) []string {
	t.Helper()
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			t.Log(l)
			got = append(got, l)
		}
	}
	return got
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
	t.Run("boto3", func(t *testing.T) { testBoto3(t, bin) })
	t.Run("aws cli", func(t *testing.T) { testAWSCLI(t, bin) })
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

// testBoto3 runs the Python suite of testdata/interop, which starts its
// own fake with the conftest.py fixture: under pytest when it is
// installed, else with run_without_pytest.py.
func testBoto3(t *testing.T, bin string) {
	t.Parallel()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	env := cleanEnv(t, "TESTGRID="+bin)
	if _, stderr, code := runBounded(t, env, python, "-c", "import boto3"); code != 0 {
		t.Skipf("boto3 is not installed: %s", strings.TrimSpace(stderr))
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "interop"))
	require.NoError(t, err)
	args := []string{filepath.Join(dir, "run_without_pytest.py")}
	if _, _, code := runBounded(t, env, python, "-c", "import pytest"); code == 0 {
		args = []string{"-m", "pytest", "-s", "-q", "-p", "no:cacheprovider", dir}
		t.Log("running the suite with pytest")
	} else {
		t.Log("pytest is not installed: running the suite with run_without_pytest.py")
	}
	stdout, stderr, code := runBounded(t, env, python, args...)
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	lines := logLines(t, stdout, "boto3: ")
	assert.Contains(t, lines, "boto3: walked 7 pages, 137 sessions")
	assert.Contains(t, lines, "boto3: queued fault raised NotFoundException: no such project")
	assert.Contains(t, lines, "boto3: ThrottlingException retried, then 20 sessions")
	assert.Contains(t, stdout, "6 passed")
}

// testAWSCLI lists with the AWS CLI (which does not follow nextToken for
// this operation, so the test does), checks a queued NotFoundException and
// a throttle, and loads what the CLI printed into another fake.
func testAWSCLI(t *testing.T, bin string) {
	t.Parallel()
	aws, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI (aws) is not installed")
	}
	p := startServe(t, bin, "--project", testProject, "--sessions", "137", "--seed", "7", "--page-size", "20")
	env := cleanEnv(t, "AWS_ACCESS_KEY_ID="+p.ready.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+p.ready.SecretAccessKey,
		"AWS_RETRY_MODE=standard", "AWS_PAGER=")
	list := func(extra ...string) (string, string, int) {
		return runBounded(t, env, aws, append([]string{"devicefarm", "list-test-grid-sessions", "--endpoint-url", p.ready.Endpoint,
			"--region", "us-west-2", "--project-arn", testProject, "--output", "json"}, extra...)...)
	}

	var firstPage string
	pages, sessions, token := 0, 0, ""
	for {
		extra := []string{"--max-result", "50"}
		if token != "" {
			extra = append(extra, "--next-token", token)
		}
		stdout, stderr, code := list(extra...)
		require.Equal(t, 0, code, stderr)
		var page struct {
			TestGridSessions []map[string]any `json:"testGridSessions"`
			NextToken        string           `json:"nextToken"`
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &page), stdout)
		if pages == 0 {
			firstPage = stdout
			_, isNumber := page.TestGridSessions[0]["created"].(float64)
			assert.True(t, isNumber, "the CLI prints epoch seconds: %v", page.TestGridSessions[0]["created"])
		}
		pages++
		sessions += len(page.TestGridSessions)
		if token = page.NextToken; token == "" {
			break
		}
	}
	assert.Equal(t, 3, pages)
	assert.Equal(t, 137, sessions)
	t.Logf("aws cli: %d pages of at most 50, %d sessions", pages, sessions)

	p.control(t, http.MethodPost, "/faults", `{"faults":[{"kind":"FaultError","status":400,"code":"NotFoundException","message":"no such project"}]}`)
	_, stderr, code := list()
	assert.NotZero(t, code)
	assert.Contains(t, stderr, "(NotFoundException)")
	t.Logf("aws cli: queued fault: exit status %d, %s", code, strings.TrimSpace(stderr))

	p.control(t, http.MethodPost, "/reset", `{"requests":true}`)
	p.control(t, http.MethodPost, "/faults", `{"faults":[{"preset":"Throttling"}]}`)
	_, stderr, code = list("--max-result", "5")
	require.Equal(t, 0, code, stderr)
	var codes []any
	for _, r := range p.control(t, http.MethodGet, "/requests", "")["requests"].([]any) {
		codes = append(codes, r.(map[string]any)["errorCode"])
	}
	assert.Equal(t, []any{"ThrottlingException", nil}, codes)
	t.Logf("aws cli: ThrottlingException retried, then success (%d requests)", len(codes))

	// What the CLI printed loads into a fake.
	file := filepath.Join(t.TempDir(), "cli-page.json")
	require.NoError(t, os.WriteFile(file, []byte(firstPage), 0o600))
	loaded := startServe(t, bin, "--load", file)
	assert.Equal(t, []projectJSON{{Arn: testProject, Sessions: 50}}, loaded.ready.Projects)
	got := loaded.control(t, http.MethodGet, "/sessions?projectArn="+testProject, "")["testGridSessions"]
	want := p.control(t, http.MethodGet, "/sessions?projectArn="+testProject, "")["testGridSessions"].([]any)[:50]
	assert.Equal(t, want, got, "the CLI's page, loaded, is the served page")
}
