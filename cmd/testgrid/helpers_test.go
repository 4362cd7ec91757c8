package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/devicefarmtest"
	"go.uber.org/goleak"
)

// testDir is a directory for the whole test process, made and removed by
// TestMain.
var testDir string

// TestMain isolates the tests from the machine's AWS configuration: no
// AWS_* variables, shared config files that do not exist, no instance
// metadata lookups. Tests that need a profile pass their own files.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "AWS_") {
			os.Unsetenv(name)
		}
	}
	var err error
	testDir, err = os.MkdirTemp("", "testgrid-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("AWS_CONFIG_FILE", filepath.Join(testDir, "no-config"))
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(testDir, "no-credentials"))
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	code := m.Run()
	os.RemoveAll(testDir)
	if code == 0 {
		// Every run, interrupted ones included, must leave no goroutine.
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// testProject is the project the end-to-end tests list.
const testProject = "arn:aws:devicefarm:us-west-2:111122223333:testgrid-project:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

// testNow is the fixed clock of the tests, and the Epoch of their servers.
var testNow = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// result is what one in-process run produced.
type result struct {
	code           int
	stdout, stderr string
}

// runTestgrid runs the command in-process with ctx, args and e.
func runTestgrid(ctx context.Context, e cmdutil.Env, args ...string) result {
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr, e)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// newServer starts a fake whose generated sessions lie in the 30 days
// before testNow, closed at the end of the test.
func newServer(t *testing.T, optFns ...func(*devicefarmtest.Options)) *devicefarmtest.Server {
	t.Helper()
	srv := devicefarmtest.NewServer(append([]func(*devicefarmtest.Options){
		func(o *devicefarmtest.Options) { o.Epoch = testNow },
	}, optFns...)...)
	t.Cleanup(srv.Close)
	return srv
}

// noBackoff is a standard retryer (3 attempts) that does not wait.
func noBackoff() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

// awsEnv is the environment for listing from srv through the AWS path
// (config.LoadDefaultConfig, then --endpoint): the fake's credentials, a
// fixed clock, no terminal and retries without waiting.
func awsEnv(srv *devicefarmtest.Server) cmdutil.Env {
	return cmdutil.Env{
		Now:         func() time.Time { return testNow },
		IsTerminal:  func(io.Writer) bool { return false },
		LoadOptions: []func(*config.LoadOptions) error{config.WithCredentialsProvider(srv.Credentials())},
		ClientOptions: []func(*devicefarm.Options){func(o *devicefarm.Options) {
			o.Retryer = noBackoff()
		}},
	}
}

// listArgs returns the arguments to list testProject from srv, then extra.
func listArgs(srv *devicefarmtest.Server, extra ...string) []string {
	return append([]string{"sessions", "--project", testProject, "--endpoint", srv.URL}, extra...)
}

// lines splits output into lines, without the final newline.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// requireOneErrorLine asserts that stderr is exactly one line and returns
// it.
func requireOneErrorLine(t *testing.T, r result) string {
	t.Helper()
	l := lines(r.stderr)
	require.Len(t, l, 1, "stderr: %q", r.stderr)
	require.True(t, strings.HasPrefix(l[0], "testgrid: "), l[0])
	return l[0]
}

// testgridBinary returns the path of the command built from this package,
// or skips the test with -short. It is built once per test process, by the
// first test that asks, into testDir.
func testgridBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin, err := buildTestgrid()
	require.NoError(t, err)
	return bin
}

// buildTestgrid builds the command for testgridBinary, once.
var buildTestgrid = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(testDir, "testgrid")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w: %s", err, out)
	}
	return bin, nil
})

// cleanEnv is a minimal environment for a child process: PATH (and pyenv's
// variables, which its shims need), an empty home, no AWS configuration
// or proxies, then extra, whose variables replace those before them.
func cleanEnv(t *testing.T, extra ...string) []string {
	home := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "USERPROFILE=" + home,
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true",
		"PYTHONDONTWRITEBYTECODE=1"}
	for _, name := range []string{"PYENV_ROOT", "PYENV_VERSION", "LANG", "LC_ALL", "TMPDIR"} {
		if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	return slices.Clip(append(env, extra...))
}

// decodeStrict decodes text, which must hold one JSON value, into a T,
// refusing members that T does not have.
func decodeStrict[T any](t *testing.T, text string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&v), text)
	require.False(t, dec.More(), "one JSON value only: %s", text)
	return v
}

// syncBuffer is a bytes.Buffer safe for concurrent writers and readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
