package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// runBinary runs the built testgrid with args in a clean environment plus
// env, and returns its exit code, stdout and stderr.
func runBinary(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), testgridBinary(t), args...)
	cmd.Env = cleanEnv(t, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		require.NoError(t, err)
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
}

// TestSummaryGateBinary is issue 24's acceptance test, on the real
// binary: the demo exceeds --max-errored 5% (exit 1, one line on stderr
// saying by how much, the output in full), keeps within 50% (exit 0).
func TestSummaryGateBinary(t *testing.T) {
	t.Parallel()
	const demoLine = "testgrid: demo mode: generated sessions from a built-in fake service, not from AWS"
	code, out, errOut := runBinary(t, nil, "summary", "--demo", "--output", "json")
	require.Equal(t, 0, code, errOut)
	doc := decodeSummary(t, out)
	errored := 0
	for _, st := range doc.Totals.Statuses {
		if st.Status == "ERRORED" {
			errored = st.Sessions
		}
	}
	share := float64(errored) / float64(doc.Totals.Sessions)
	require.Greater(t, share, 0.05, "the demo's errored share exceeds 5%%")
	require.Less(t, share, 0.5)

	code, out, errOut = runBinary(t, nil, "summary", "--demo", "--max-errored", "5%")
	assert.Equal(t, 1, code)
	assert.Equal(t, []string{demoLine, fmt.Sprintf("errored %.1f%% (%d of %d) exceeds --max-errored 5%%", share*100, errored, doc.Totals.Sessions)}, lines(errOut))
	for _, section := range []string{"TOTALS", "PER DAY (UTC)", "BROWSERS", "PLATFORMS", "ERRORED SESSIONS (newest first)"} {
		assert.Contains(t, out, "\n"+section+"\n", "the output is written in full")
	}

	code, out, errOut = runBinary(t, nil, "summary", "--demo", "--max-errored", "50%", "--output", "markdown")
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, []string{demoLine}, lines(errOut))
	assert.Contains(t, out, "### Errored sessions")

	code, _, errOut = runBinary(t, nil, "summary", "--demo", "--max-errored", strconv.Itoa(errored))
	assert.Equal(t, 0, code, "a count equal to the limit keeps within it: %s", errOut)
}

// TestSummaryMarkdownBinary: the binary's Markdown renders (goldmark, as
// GitHub renders it) to tables whose numbers are those of --output json.
// The sessions are served by a fake with a fixed clock and none is
// ACTIVE, so that two runs at different wall-clock times see the same.
func TestSummaryMarkdownBinary(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, s := range devicefarmtest.GenerateSessions(testProject, 400, 24, testNow) {
		if s.Status != devicefarm.TestGridSessionStatusActive {
			srv.AddSessions(testProject, s)
		}
	}
	creds, err := srv.Credentials().Retrieve(t.Context())
	require.NoError(t, err)
	env := []string{"AWS_ACCESS_KEY_ID=" + creds.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + creds.SecretAccessKey, "AWS_REGION=us-west-2"}
	if creds.SessionToken != "" {
		env = append(env, "AWS_SESSION_TOKEN="+creds.SessionToken)
	}

	code, out, errOut := runBinary(t, env, summaryArgs(srv, "--output", "json")...)
	require.Equal(t, 0, code, errOut)
	doc := decodeSummary(t, out)
	code, md, errOut := runBinary(t, env, summaryArgs(srv, "--output", "markdown")...)
	require.Equal(t, 0, code, errOut)
	tables := clitest.MarkdownTables(t, []byte(md))

	status := tables["Status"]
	require.Len(t, status, 1+len(doc.Totals.Statuses))
	for i, st := range doc.Totals.Statuses {
		assert.Equal(t, []string{st.Status, strconv.Itoa(st.Sessions), fmt.Sprintf("%.1f%%", st.Share*100), fmt.Sprintf("%.2f", st.BillingMinutes)}, status[i+1])
	}
	days := tables["Per day (UTC)"]
	require.Len(t, days, 1+len(doc.Days))
	require.NotEmpty(t, doc.Days)
	for i, d := range doc.Days {
		assert.Equal(t, []string{d.Date, strconv.Itoa(d.Sessions), strconv.Itoa(d.Errored), fmt.Sprintf("%.2f", d.BillingMinutes), strconv.Itoa(d.PeakConcurrency)}, days[i+1])
	}
	listed := tables["Errored sessions"]
	require.Len(t, listed, 1+len(doc.Errored.Sessions))
	for i, x := range doc.Errored.Sessions {
		assert.Equal(t, x.Arn, listed[i+1][4])
	}
	if doc.Errored.More > 0 {
		assert.Regexp(t, regexp.MustCompile(fmt.Sprintf(`\nand %d more errored sessions?\.\n`, doc.Errored.More)), md)
	}
}
