package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// readmeDemoCommand is the command the README's Quick start shows.
const readmeDemoCommand = "go run ./cmd/testgrid sessions --demo"

// readmeDemoArgs returns the arguments of the README line that runs the
// demo, or skips the test when the README has no such line yet.
func readmeDemoArgs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	args, ok := demoArgsFromReadme(string(b))
	if !ok {
		t.Skipf("README.md has no line containing %q yet", readmeDemoCommand)
	}
	return args
}

// demoArgsFromReadme finds the first line containing readmeDemoCommand and
// returns the arguments after "go run ./cmd/testgrid", without a trailing
// shell comment or backquotes.
func demoArgsFromReadme(readme string) ([]string, bool) {
	for _, line := range strings.Split(readme, "\n") {
		i := strings.Index(line, readmeDemoCommand)
		if i < 0 {
			continue
		}
		cmd := line[i+len("go run ./cmd/testgrid "):]
		if j := strings.Index(cmd, "#"); j >= 0 {
			cmd = cmd[:j]
		}
		cmd = strings.Trim(strings.TrimSpace(cmd), "`")
		return strings.Fields(cmd), true
	}
	return nil, false
}

func TestDemoArgsFromReadme(t *testing.T) {
	t.Parallel()
	readme := "# x\n\n## Quick start\n\n```sh\n$ go run ./cmd/testgrid sessions --demo --status ACTIVE   # try it\n```\n" +
		"and `go run ./cmd/testgrid sessions --demo` again\n"
	args, ok := demoArgsFromReadme(readme)
	require.True(t, ok)
	assert.Equal(t, []string{"sessions", "--demo", "--status", "ACTIVE"}, args)
	_, ok = demoArgsFromReadme("no demo here\ngo run ./cmd/testgrid sessions --project X\n")
	assert.False(t, ok)
}

func TestREADMEQuickStartDemo(t *testing.T) {
	t.Parallel()
	args := readmeDemoArgs(t)
	require.GreaterOrEqual(t, len(args), 2)
	require.Equal(t, []string{"sessions", "--demo"}, args[:2])

	r := runTestgrid(t.Context(), env{}, args...)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.NotEmpty(t, r.stdout)
	if !strings.Contains(strings.Join(args, " "), "--output") {
		l := lines(r.stdout)
		assert.Regexp(t, `^SESSION ID +STATUS`, l[0])
		assert.Regexp(t, `^\d+ sessions?, [\d.]+ billing minutes$`, l[len(l)-1])
	}
}

// TestBuiltBinary runs the real binary as a user would.
func TestBuiltBinary(t *testing.T) {
	t.Parallel()
	bin := testgridBinary(t)

	// A fresh machine: no AWS configuration or variables, an empty home.
	freshEnv := cleanEnv(t)

	t.Run("demo", func(t *testing.T) {
		t.Parallel()
		cmd := exec.CommandContext(t.Context(), bin, "sessions", "--demo", "--output", "ndjson")
		cmd.Env = freshEnv
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "stderr: %s", stderr.String())

		n := 0
		sc := bufio.NewScanner(&stdout)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var s map[string]any
			require.NoError(t, json.Unmarshal(sc.Bytes(), &s), sc.Text())
			assert.Contains(t, s["arn"], ":testgrid-session:")
			assert.NotEmpty(t, s["id"])
			n++
		}
		require.NoError(t, sc.Err())
		assert.Equal(t, demoSessions, n)
		assert.Contains(t, stderr.String(), "demo")
		assert.NotContains(t, stderr.String(), "\x1b", "stderr is not a terminal: no progress")
	})

	t.Run("usage error", func(t *testing.T) {
		t.Parallel()
		cmd := exec.CommandContext(t.Context(), bin, "sessions", "--output", "yaml", "--demo")
		cmd.Env = freshEnv
		var exitErr *exec.ExitError
		require.ErrorAs(t, cmd.Run(), &exitErr)
		assert.Equal(t, exitUsage, exitErr.ExitCode())
	})

	t.Run("SIGINT", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("no SIGINT to send on Windows")
		}
		t.Parallel()
		srv := newServer(t, func(o *devicefarmtest.Options) { o.Latency = 20 * time.Millisecond })
		srv.Seed(testProject, 100, 1)
		opts := srv.Options()
		cmd := exec.CommandContext(t.Context(), bin, "sessions", "--project", testProject, "--endpoint", srv.URL,
			"--page-size", "5", "--output", "json")
		cmd.Env = append(freshEnv, "AWS_ACCESS_KEY_ID="+opts.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+opts.SecretAccessKey)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Start())
		waited := make(chan error, 1)
		go func() { waited <- cmd.Wait() }()
		for len(srv.Requests()) < 3 { // interrupt during the walk
			select {
			case err := <-waited:
				t.Fatalf("exited before the interrupt: %v; stderr: %s", err, stderr.String())
			case <-time.After(time.Millisecond):
			}
		}
		require.NoError(t, cmd.Process.Signal(os.Interrupt))
		var exitErr *exec.ExitError
		require.ErrorAs(t, <-waited, &exitErr, "stderr: %s", stderr.String())
		assert.Equal(t, exitInterrupted, exitErr.ExitCode(), "stderr: %s", stderr.String())

		got := decodeJSONDocument(t, stdout.String())
		assert.NotEmpty(t, got)
		assert.Less(t, len(got), 100)
		assert.Regexp(t, `^testgrid: interrupted after \d+ pages?; \d+ sessions? written\n$`, stderr.String())
		assert.NotContains(t, stderr.String()+stdout.String(), opts.SecretAccessKey)
	})
}
