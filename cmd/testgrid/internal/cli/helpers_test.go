package cli

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
	docText            = clitest.DocText
	summaryArgs        = clitest.SummaryArgs
	testNow            = clitest.Now
	newServer          = clitest.NewServer
	awsEnv             = clitest.AWSEnv
	listArgs           = clitest.ListArgs
	lines              = clitest.Lines
	testgridBinary     = clitest.Binary
	cleanEnv           = clitest.CleanEnv
	decodeJSONDocument = clitest.DecodeJSONDocument
	at                 = clitest.At
	closedSession      = clitest.ClosedSession
	refConcurrency     = clitest.RefConcurrency
	refQuantile        = clitest.RefQuantile
	decodeSummary      = clitest.DecodeSummary
)

type (
	testMixRow = clitest.MixRow
	interval   = clitest.Interval
)

// result is what one in-process run produced.
type result struct {
	code           int
	stdout, stderr string
}

// runTestgrid runs the command line in-process with ctx, args and e.
func runTestgrid(ctx context.Context, e cmdutil.Env, args ...string) result {
	r := clitest.Run(ctx, Run, e, args...)
	return result{code: r.Code, stdout: r.Stdout, stderr: r.Stderr}
}
