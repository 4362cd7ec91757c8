// Package clitest holds what the tests of testgrid's packages share: the
// isolation of a test process from the machine's AWS configuration (Main),
// the fixed project and clock, a fake to list from and the environment to
// reach it, running a command in-process (Run) or as a built binary
// (Binary), and small helpers for reading output. Only tests import it.
package clitest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/stretchr/testify/assert"
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

// summaryArgs returns the arguments to summarise Project from srv,
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

// Lines splits output into lines, without the final newline.
func Lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
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

// DecodeStrict decodes text, which must hold one JSON value, into a T,
// refusing members that T does not have.
func DecodeStrict[T any](t *testing.T, text string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&v), text)
	require.False(t, dec.More(), "one JSON value only: %s", text)
	return v
}

// SyncBuffer is a bytes.Buffer safe for concurrent writers and readers.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
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

// SessionPrefix begins the ARNs of the sessions that output tests write by
// hand: a session of the demo's project.
const SessionPrefix = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:7d3f6a2e/"

// IDs returns the session IDs of list, in order.
func IDs(list []devicefarm.TestGridSession) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.ID()
	}
	return out
}

// FixedSessions are three sessions with known values: closed, active and
// errored.
func FixedSessions() []devicefarm.TestGridSession {
	created := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	return []devicefarm.TestGridSession{
		{
			Arn:                SessionPrefix + "s-closed",
			Status:             devicefarm.TestGridSessionStatusClosed,
			Created:            created,
			Ended:              created.Add(12*time.Minute + 30*time.Second + 250*time.Millisecond),
			BillingMinutes:     12.5,
			SeleniumProperties: `{"browserName":"chrome","browserVersion":"131"}`,
		},
		{
			Arn:     SessionPrefix + "s-active",
			Status:  devicefarm.TestGridSessionStatusActive,
			Created: created.Add(time.Hour),
		},
		{
			Arn:                SessionPrefix + "s-errored",
			Status:             devicefarm.TestGridSessionStatusErrored,
			Created:            created.Add(2 * time.Hour),
			Ended:              created.Add(3*time.Hour + 5*time.Second),
			BillingMinutes:     61,
			SeleniumProperties: "not json <&>",
		},
	}
}

// ErrWriter fails every write.
type ErrWriter struct{}

// Write fails with "disk full".
func (ErrWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// JSONSession mirrors a session of the json and ndjson outputs for decoding output in tests.
type JSONSession struct {
	Arn                string          `json:"arn"`
	ID                 string          `json:"id"`
	Status             string          `json:"status"`
	Created            *time.Time      `json:"created"`
	Ended              *time.Time      `json:"ended"`
	DurationSeconds    *float64        `json:"durationSeconds"`
	BillingMinutes     *float64        `json:"billingMinutes"`
	SeleniumProperties json.RawMessage `json:"seleniumProperties"`
}

// AssertSameSession checks that a decoded JSON session represents s.
func AssertSameSession(t *testing.T, s devicefarm.TestGridSession, got JSONSession) {
	t.Helper()
	assert.Equal(t, s.Arn, got.Arn)
	assert.Equal(t, s.ID(), got.ID)
	assert.Equal(t, string(s.Status), got.Status)
	if assert.NotNil(t, got.Created, s.Arn) {
		assert.True(t, s.Created.Equal(*got.Created), "%s created %v != %v", s.Arn, got.Created, s.Created)
	}
	if s.Ended.IsZero() {
		assert.Nil(t, got.Ended, s.Arn)
		assert.Nil(t, got.DurationSeconds, s.Arn)
	} else if assert.NotNil(t, got.Ended, s.Arn) && assert.NotNil(t, got.DurationSeconds, s.Arn) {
		assert.True(t, s.Ended.Equal(*got.Ended), "%s ended %v != %v", s.Arn, got.Ended, s.Ended)
		assert.InDelta(t, s.Duration().Seconds(), *got.DurationSeconds, 1e-9, s.Arn)
	}
	if assert.NotNil(t, got.BillingMinutes, s.Arn) {
		assert.Equal(t, s.BillingMinutes, *got.BillingMinutes, s.Arn)
	}
	switch props := strings.TrimSpace(s.SeleniumProperties); {
	case props == "":
		assert.Empty(t, got.SeleniumProperties, s.Arn)
	case json.Valid([]byte(props)) && props[0] == '{':
		assert.JSONEq(t, props, string(got.SeleniumProperties), s.Arn)
	default:
		var text string
		require.NoError(t, json.Unmarshal(got.SeleniumProperties, &text), s.Arn)
		assert.Equal(t, s.SeleniumProperties, text, s.Arn)
	}
}

// DecodeJSONDocument decodes a json document and returns its sessions.
func DecodeJSONDocument(t *testing.T, out string) []JSONSession {
	t.Helper()
	sessions, _ := DecodeJSONDocumentToken(t, out)
	return sessions
}

// DecodeJSONDocumentToken decodes a json document and returns its sessions
// and its nextToken ("" when absent).
func DecodeJSONDocumentToken(t *testing.T, out string) ([]JSONSession, string) {
	t.Helper()
	doc := DecodeStrict[struct {
		Sessions  []JSONSession `json:"sessions"`
		NextToken *string       `json:"nextToken"`
	}](t, out)
	require.NotNil(t, doc.Sessions, out)
	if doc.NextToken == nil {
		return doc.Sessions, ""
	}
	require.NotEmpty(t, *doc.NextToken, "nextToken is left out, never empty")
	return doc.Sessions, *doc.NextToken
}

// DecodeNDJSON decodes ndjson output, one session a line.
func DecodeNDJSON(t *testing.T, out string) []JSONSession {
	t.Helper()
	var list []JSONSession
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		list = append(list, DecodeStrict[JSONSession](t, sc.Text()))
	}
	require.NoError(t, sc.Err())
	return list
}

// DecodeCSV decodes csv output into sessions, checking the header row and
// each derived column.
func DecodeCSV(t *testing.T, out string) []devicefarm.TestGridSession {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err, out)
	require.NotEmpty(t, rows, "header row")
	require.Equal(t, []string{"arn", "id", "status", "created", "ended", "durationSeconds", "billingMinutes", "seleniumProperties"}, rows[0])
	var list []devicefarm.TestGridSession
	for _, r := range rows[1:] {
		s := devicefarm.TestGridSession{Arn: r[0], Status: devicefarm.TestGridSessionStatus(r[2]), SeleniumProperties: r[7]}
		assert.Equal(t, s.ID(), r[1])
		var err error
		s.Created, err = time.Parse(time.RFC3339Nano, r[3])
		require.NoError(t, err)
		if r[4] != "" {
			s.Ended, err = time.Parse(time.RFC3339Nano, r[4])
			require.NoError(t, err)
			assert.Equal(t, strconv.FormatFloat(s.Duration().Seconds(), 'f', -1, 64), r[5])
		} else {
			assert.Empty(t, r[5])
		}
		var perr error
		s.BillingMinutes, perr = strconv.ParseFloat(r[6], 64)
		require.NoError(t, perr)
		list = append(list, s)
	}
	return list
}
