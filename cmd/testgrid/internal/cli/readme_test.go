package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/awsclient"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmd/sessions"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// readmeDemoCommand is the command the README's Quick start shows.
const readmeDemoCommand = "go run ./cmd/testgrid sessions --demo"

// readmeDemoArgs returns the arguments of the README line that runs the
// demo, and fails the test when the README has no such line.
func readmeDemoArgs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "README.md"))
	require.NoError(t, err)
	return demoArgsOrFail(t, string(b))
}

// demoArgsOrFail is demoArgsFromReadme, failing t (not skipping it: a
// skipped test would hide that the Quick start has changed) when readme
// has no line with readmeDemoCommand.
func demoArgsOrFail(t testing.TB, readme string) []string {
	t.Helper()
	args, ok := demoArgsFromReadme(readme)
	if !ok {
		t.Fatalf("README.md has no line containing %q: the Quick start must show it (update readmeDemoCommand if it changed)", readmeDemoCommand)
	}
	return args
}

// endingTB records how a test would end, Fatalf or Skipf, and stops
// there by panicking with itself.
type endingTB struct {
	testing.TB
	fatal, skip string
}

func (e *endingTB) Helper() {}
func (e *endingTB) Fatalf(format string, args ...any) {
	e.fatal = fmt.Sprintf(format, args...)
	panic(e)
}
func (e *endingTB) Skipf(format string, args ...any) {
	e.skip = fmt.Sprintf(format, args...)
	panic(e)
}

func TestReadmeDemoArgsFailWithoutTheLine(t *testing.T) {
	t.Parallel()
	rec := &endingTB{TB: t}
	func() {
		defer func() {
			if p := recover(); p != nil && p != rec {
				panic(p)
			}
		}()
		demoArgsOrFail(rec, "# x\n\nno demo here\ngo run ./cmd/testgrid sessions --project X\n")
	}()
	assert.Empty(t, rec.skip, "skipped instead of failing")
	assert.Contains(t, rec.fatal, readmeDemoCommand)
	assert.Equal(t, []string{"sessions", "--demo"}, demoArgsOrFail(t, "`go run ./cmd/testgrid sessions --demo`\n"))
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

	r := runTestgrid(t.Context(), cmdutil.Env{}, args...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
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
		assert.Equal(t, awsclient.DemoSessions, n)
		assert.Contains(t, stderr.String(), "demo")
		assert.NotContains(t, stderr.String(), "\x1b", "stderr is not a terminal: no progress")
	})

	t.Run("usage error", func(t *testing.T) {
		t.Parallel()
		cmd := exec.CommandContext(t.Context(), bin, "sessions", "--output", "yaml", "--demo")
		cmd.Env = freshEnv
		var exitErr *exec.ExitError
		require.ErrorAs(t, cmd.Run(), &exitErr)
		assert.Equal(t, cmdutil.ExitUsage, exitErr.ExitCode())
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
		assert.Equal(t, cmdutil.ExitInterrupted, exitErr.ExitCode(), "stderr: %s", stderr.String())

		got := decodeJSONDocument(t, stdout.String())
		assert.NotEmpty(t, got)
		assert.Less(t, len(got), 100)
		assert.Regexp(t, `^testgrid: interrupted after \d+ pages?; \d+ sessions? written\n$`, stderr.String())
		assert.NotContains(t, stderr.String()+stdout.String(), opts.SecretAccessKey)
	})
}

// TestAWSJSONDocsNameTheCLIVersion: aws-json is what AWS CLI v1 prints
// (epoch seconds); v2 prints ISO 8601 times unless cli_timestamp_format is
// none. The help, doc.go and the README say so where they describe it.
func TestAWSJSONDocsNameTheCLIVersion(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "README.md"))
	require.NoError(t, err)
	for _, doc := range []struct{ name, text, marker string }{
		{"the sessions help", sessions.Usage, "aws-json: what 'aws devicefarm"},
		{"doc.go", docText(t), "- aws-json: the document"},
		{"README.md", string(b), "- **`aws-json`** is exactly"},
	} {
		i := strings.Index(doc.text, doc.marker)
		require.GreaterOrEqual(t, i, 0, "%s has no %q", doc.name, doc.marker)
		text := doc.text[i:min(len(doc.text), i+500)]
		words := strings.Join(strings.Fields(strings.ReplaceAll(text, "//", " ")), " ")
		for _, want := range []string{"AWS CLI v1", "cli_timestamp_format = none", "ISO 8601"} {
			assert.Contains(t, words, want, "%s, describing aws-json", doc.name)
		}
	}
}
