package summary

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
	summaryArgs      = clitest.SummaryArgs
	testNow          = clitest.Now
	newServer        = clitest.NewServer
	awsEnv           = clitest.AWSEnv
	lines            = clitest.Lines
	at               = clitest.At
	closedSession    = clitest.ClosedSession
	decodeSummary    = clitest.DecodeSummary
	overlapSessions  = clitest.OverlapSessions
	absurdSession    = clitest.AbsurdSession
	absurdPlusNormal = clitest.AbsurdPlusNormal
)

// result is what one in-process run produced.
type result struct {
	code           int
	stdout, stderr string
}

// runTestgrid runs a "testgrid summary" command line in-process with ctx, args and e.
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

// run runs a "testgrid summary" command line as the dispatcher does.
var run = clitest.Subcommand("summary", Run)
