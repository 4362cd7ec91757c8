package sessions

import (
	"context"
	"testing"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// The shared test helpers (clitest) under the names this package's tests
// use.

func TestMain(m *testing.M) { clitest.Main(m) }

const (
	testProject       = clitest.Project
	testSessionPrefix = clitest.SessionPrefix
)

var (
	testNow                 = clitest.Now
	newServer               = clitest.NewServer
	awsEnv                  = clitest.AWSEnv
	listArgs                = clitest.ListArgs
	docText                 = clitest.DocText
	lines                   = clitest.Lines
	testgridBinary          = clitest.Binary
	cleanEnv                = clitest.CleanEnv
	ids                     = clitest.IDs
	fixedSessions           = clitest.FixedSessions
	assertSameSession       = clitest.AssertSameSession
	decodeJSONDocument      = clitest.DecodeJSONDocument
	decodeJSONDocumentToken = clitest.DecodeJSONDocumentToken
	decodeNDJSON            = clitest.DecodeNDJSON
	decodeCSV               = clitest.DecodeCSV
)

type (
	jsonSession = clitest.JSONSession
)

// decodeStrict decodes text, which must hold one JSON value, into a T,
// refusing members that T does not have.
func decodeStrict[T any](t *testing.T, text string) T {
	t.Helper()
	return clitest.DecodeStrict[T](t, text)
}

// result is what one in-process run produced.
type result struct {
	code           int
	stdout, stderr string
}

// runTestgrid runs a "testgrid sessions" command line in-process with ctx, args and e.
func runTestgrid(ctx context.Context, e cmdutil.Env, args ...string) result {
	r := clitest.Run(ctx, run, e, args...)
	return result{code: r.Code, stdout: r.Stdout, stderr: r.Stderr}
}

// requireOneErrorLine asserts that stderr is exactly one line and returns
// it.
func requireOneErrorLine(t *testing.T, r result) string {
	t.Helper()
	return clitest.RequireOneErrorLine(t, r.stderr)
}

// run runs a "testgrid sessions" command line as the dispatcher does.
var run = clitest.Subcommand("sessions", Run)
