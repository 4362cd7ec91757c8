package summary

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// gateSessions are 8 sessions: 2 ERRORED (25%), 1 ACTIVE (12.5%), 5
// CLOSED.
func gateSessions() []devicefarm.TestGridSession {
	var out []devicefarm.TestGridSession
	for i := range 8 {
		s := closedSession(fmt.Sprintf("g%d", i), at(-time.Duration(10-i)*time.Hour), at(-time.Duration(10-i)*time.Hour+5*time.Minute))
		switch i {
		case 2, 5:
			s.Status = devicefarm.TestGridSessionStatusErrored
		case 7:
			s.Status, s.Ended, s.BillingMinutes = devicefarm.TestGridSessionStatusActive, time.Time{}, 0
		}
		out = append(out, s)
	}
	return out
}

func TestSummaryGates(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddSessions(testProject, gateSessions()...)
	tests := []struct {
		args []string
		want []string // stderr lines; none: exit 0
	}{
		{[]string{"--max-errored", "25%"}, nil},
		{[]string{"--max-errored", "24.9%"}, []string{"errored 25.0% (2 of 8) exceeds --max-errored 24.9%"}},
		{[]string{"--max-errored", "2"}, nil},
		{[]string{"--max-errored", "1"}, []string{"errored 25.0% (2 of 8) exceeds --max-errored 1"}},
		{[]string{"--max-errored", "0"}, []string{"errored 25.0% (2 of 8) exceeds --max-errored 0"}},
		{[]string{"--max-errored", " 5 % "}, []string{"errored 25.0% (2 of 8) exceeds --max-errored 5 %"}},
		{[]string{"--max-active", "0"}, []string{"active 12.5% (1 of 8) exceeds --max-active 0"}},
		{[]string{"--max-active", "1"}, nil},
		{[]string{"--max-active", "10%", "--max-errored", "10%"}, []string{
			"errored 25.0% (2 of 8) exceeds --max-errored 10%",
			"active 12.5% (1 of 8) exceeds --max-active 10%",
		}},
		{[]string{"--max-errored", "100%", "--max-active", "100%"}, nil},
	}
	for _, tt := range tests {
		for _, format := range summaryFormats {
			t.Run(fmt.Sprint(tt.args, format), func(t *testing.T) {
				t.Parallel()
				plain := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", format)...)
				require.Equal(t, cmdutil.ExitOK, plain.code, plain.stderr)
				r := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, append([]string{"--output", format}, tt.args...)...)...)
				assert.Equal(t, plain.stdout, r.stdout, "the output is written in full whatever the gates")
				assert.Equal(t, tt.want, lines(r.stderr))
				want := cmdutil.ExitOK
				if tt.want != nil {
					want = cmdutil.ExitFailure
				}
				assert.Equal(t, want, r.code)
			})
		}
	}
}

func TestSummaryGateUsage(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"", "x", "-1", "5%%", "101%", "-1%", "1.5", "NaN%", "5e"} {
		r := runTestgrid(t.Context(), cmdutil.Env{}, "summary", "--demo", "--max-errored", v)
		assert.Equal(t, cmdutil.ExitUsage, r.code, "%q", v)
		assert.Contains(t, r.stderr, fmt.Sprintf("--max-errored %q is neither a share such as 5%% nor a number of sessions such as 3", v))
	}
	r := runTestgrid(t.Context(), cmdutil.Env{}, "summary", "--demo", "--list-errored", "-1")
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Contains(t, r.stderr, "--list-errored -1 is not from 0 to 10000")
}

// storedArn is the ARN the fake gives session id of testProject.
func storedArn(id string) string {
	return strings.Replace(testProject, ":testgrid-project:", ":testgrid-session:", 1) + "/" + id
}

func TestSummaryErroredListed(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddSessions(testProject, gateSessions()...)
	undated := closedSession("nodate", time.Time{}, time.Time{})
	undated.Status = devicefarm.TestGridSessionStatusErrored
	srv.AddSessions(testProject, undated)

	r := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", "json")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	doc := decodeSummary(t, r.stdout)
	assert.Equal(t, 3, doc.Errored.Total)
	assert.Zero(t, doc.Errored.More)
	require.Len(t, doc.Errored.Sessions, 3)
	assert.Equal(t, []string{storedArn("g5"), storedArn("g2"), storedArn("nodate")},
		[]string{doc.Errored.Sessions[0].Arn, doc.Errored.Sessions[1].Arn, doc.Errored.Sessions[2].Arn}, "newest first, undated last")
	first := doc.Errored.Sessions[0]
	assert.True(t, at(-5*time.Hour).Equal(first.Created))
	require.NotNil(t, first.DurationSeconds)
	assert.InDelta(t, 300, *first.DurationSeconds, 1e-9)
	assert.Nil(t, doc.Errored.Sessions[2].DurationSeconds)
	assert.True(t, doc.Errored.Sessions[2].Created.IsZero())

	r = runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--list-errored", "1")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "\nERRORED SESSIONS (newest first)\n")
	assert.Contains(t, r.stdout, storedArn("g5")+"\nand 2 more errored sessions\n")
	assert.NotContains(t, r.stdout, storedArn("g2"))

	r = runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--list-errored", "1", "--output", "csv")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "erroredList,,,total,3\nerroredList,,,more,2\n")
	assert.Contains(t, r.stdout, "errored,"+storedArn("g5")+",,durationSeconds,300\n")

	r = runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--list-errored", "0", "--output", "markdown")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "### Errored sessions\n\n\nand 3 more errored sessions.\n")
}
