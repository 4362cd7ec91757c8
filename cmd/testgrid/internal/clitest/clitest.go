// Package clitest holds what the tests of testgrid's packages share: the
// isolation of a test process from the machine's AWS configuration (Main),
// the fixed project and clock, a fake to list from and the environment to
// reach it, running a command in-process (Run) or as a built binary
// (Binary), and small helpers for reading output. Only tests import it.
package clitest

import (
	"bytes"
	"context"
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
// Main.
var testDir string

// Main runs the tests of a package (each package's TestMain calls it),
// isolated from the machine's AWS configuration: no AWS_* variables,
// shared config files that do not exist, no instance metadata lookups.
// Tests that need a profile pass their own files. A run that passes must
// leave no goroutine behind.
func Main(m *testing.M) {
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

// Project is the project the end-to-end tests list.
const Project = "arn:aws:devicefarm:us-west-2:111122223333:testgrid-project:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

// Now is the fixed clock of the tests, and the Epoch of their servers.
var Now = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// Result is what one in-process run produced.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Command is a command's run function, as the dispatcher calls it.
type Command func(ctx context.Context, args []string, stdout, stderr io.Writer, e cmdutil.Env) int

// Run runs command in-process with ctx, args and e.
func Run(ctx context.Context, command Command, e cmdutil.Env, args ...string) Result {
	var stdout, stderr bytes.Buffer
	code := command(ctx, args, &stdout, &stderr, e)
	return Result{Code: code, Stdout: stdout.String(), Stderr: stderr.String()}
}

// NewServer starts a fake whose generated sessions lie in the 30 days
// before Now, closed at the end of the test.
func NewServer(t *testing.T, optFns ...func(*devicefarmtest.Options)) *devicefarmtest.Server {
	t.Helper()
	srv := devicefarmtest.NewServer(append([]func(*devicefarmtest.Options){
		func(o *devicefarmtest.Options) { o.Epoch = Now },
	}, optFns...)...)
	t.Cleanup(srv.Close)
	return srv
}

// NoBackoff is a standard retryer (3 attempts) that does not wait.
func NoBackoff() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

// AWSEnv is the environment for listing from srv through the AWS path
// (config.LoadDefaultConfig, then --endpoint): the fake's credentials, a
// fixed clock, no terminal and retries without waiting.
func AWSEnv(srv *devicefarmtest.Server) cmdutil.Env {
	return cmdutil.Env{
		Now:         func() time.Time { return Now },
		IsTerminal:  func(io.Writer) bool { return false },
		LoadOptions: []func(*config.LoadOptions) error{config.WithCredentialsProvider(srv.Credentials())},
		ClientOptions: []func(*devicefarm.Options){func(o *devicefarm.Options) {
			o.Retryer = NoBackoff()
		}},
	}
}

// ListArgs returns the arguments to list Project from srv, then extra.
func ListArgs(srv *devicefarmtest.Server, extra ...string) []string {
	return append([]string{"sessions", "--project", Project, "--endpoint", srv.URL}, extra...)
}

// SummaryArgs returns the arguments to summarise Project from srv,
// then extra.
// SummaryArgs returns the arguments to summarise Project from srv, then
// extra.
func SummaryArgs(srv *devicefarmtest.Server, extra ...string) []string {
	return append([]string{"summary", "--project", Project, "--endpoint", srv.URL}, extra...)
}

// DocText returns the command's package documentation, doc.go beside
// main.go.
func DocText(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	require.True(t, ok)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "doc.go"))
	require.NoError(t, err)
	return string(b)
}

// RequireOneErrorLine asserts that stderr is exactly one line, starting
// "testgrid: ", and returns it.
func RequireOneErrorLine(t *testing.T, stderr string) string {
	t.Helper()
	l := Lines(stderr)
	require.Len(t, l, 1, "stderr: %q", stderr)
	require.True(t, strings.HasPrefix(l[0], "testgrid: "), l[0])
	return l[0]
}

// Binary returns the path of the testgrid command, or skips the test with
// -short. It is built once per test process, by the first test that asks,
// into testDir.
func Binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin, err := buildTestgrid()
	require.NoError(t, err)
	return bin
}

// buildTestgrid builds the command for Binary, once.
var buildTestgrid = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(testDir, "testgrid")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/testgridkit/devicefarm/cmd/testgrid").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w: %s", err, out)
	}
	return bin, nil
})

// CleanEnv is a minimal environment for a child process: PATH (and pyenv's
// variables, which its shims need), an empty home, no AWS configuration
// or proxies, then extra, whose variables replace those before them.
func CleanEnv(t *testing.T, extra ...string) []string {
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

// Subcommand returns a Command for the command line of the subcommand name
// ("serve" for "testgrid serve"): as the dispatcher does, it checks that
// args[0] names it, fills in e's defaults and passes run the arguments
// that follow.
func Subcommand(name string, run Command) Command {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer, e cmdutil.Env) int {
		if len(args) == 0 || args[0] != name {
			panic(fmt.Sprintf("clitest: %q is not a command line of testgrid %s", args, name))
		}
		return run(ctx, args[1:], stdout, stderr, e.WithDefaults())
	}
}
