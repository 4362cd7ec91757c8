package summary

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

func TestSummaryMarkdownMatchesJSON(t *testing.T) {
	t.Parallel()
	e := cmdutil.Env{Now: func() time.Time { return testNow }}
	j := runTestgrid(t.Context(), e, "summary", "--demo", "--output", "json")
	require.Equal(t, cmdutil.ExitOK, j.code, j.stderr)
	m := runTestgrid(t.Context(), e, "summary", "--demo", "--output", "markdown")
	require.Equal(t, cmdutil.ExitOK, m.code, m.stderr)
	doc := decodeSummary(t, j.stdout)
	tables := clitest.MarkdownTables(t, []byte(m.stdout))

	totals := tables["Test grid summary"]
	require.Len(t, totals, 2)
	assert.Equal(t, strconv.Itoa(doc.Totals.Sessions), totals[1][0])
	assert.Equal(t, fmt.Sprintf("%.2f", doc.Totals.BillingMinutes), totals[1][1])
	assert.Equal(t, strconv.Itoa(doc.Concurrency.Peak), totals[1][2])

	status := tables["Status"]
	require.Len(t, status, 1+len(doc.Totals.Statuses))
	assert.Equal(t, []string{"Status", "Sessions", "Share", "Billing minutes"}, status[0])
	for i, st := range doc.Totals.Statuses {
		assert.Equal(t, []string{st.Status, strconv.Itoa(st.Sessions), fmt.Sprintf("%.1f%%", st.Share*100), fmt.Sprintf("%.2f", st.BillingMinutes)}, status[i+1])
	}

	days := tables["Per day (UTC)"]
	require.Len(t, days, 1+len(doc.Days))
	for i, d := range doc.Days {
		assert.Equal(t, []string{d.Date, strconv.Itoa(d.Sessions), strconv.Itoa(d.Errored), fmt.Sprintf("%.2f", d.BillingMinutes), strconv.Itoa(d.PeakConcurrency)}, days[i+1])
	}

	errored := tables["Errored sessions"]
	require.Len(t, errored, 1+len(doc.Errored.Sessions))
	require.Len(t, doc.Errored.Sessions, min(doc.Errored.Total, stats.DefaultErroredListed))
	require.NotEmpty(t, doc.Errored.Sessions)
	for i, x := range doc.Errored.Sessions {
		row := errored[i+1]
		assert.Equal(t, x.Arn, row[4])
		assert.Equal(t, x.Created.Format(stats.TimeLayout), row[0])
		assert.Equal(t, stats.DurationText(time.Duration(*x.DurationSeconds*float64(time.Second))), row[1])
		assert.Equal(t, strings.TrimSpace(x.Browser+" "+x.BrowserVersion), row[2])
		assert.Equal(t, x.Platform, row[3])
	}
	if doc.Errored.More > 0 {
		assert.Contains(t, m.stdout, fmt.Sprintf("\nand %d more errored sessions.\n", doc.Errored.More))
	}
	html := clitest.RenderMarkdown(t, []byte(m.stdout))
	assert.NotContains(t, html, "<a ", "an ARN does not become a link")
	assert.Less(t, len(m.stdout), 8<<10, "the demo's Markdown stays small")
}

func TestSummaryMarkdownEscapesServiceText(t *testing.T) {
	t.Parallel()
	hostile := []string{
		"a|b", `x\|y`, "[click](https://evil.example/)", "![img](https://evil.example/x.png)",
		"<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "www.evil.example",
		"https://evil.example/path", "me@evil.example", "`code` **bold** _em_", "line\nbreak\r|x",
		"&lt;tag&gt; &amp;", "\x1b[31mred", "# heading", "> quote", "- item", "1. item", "---",
	}
	srv := newServer(t)
	var sessions []devicefarm.TestGridSession
	for i, h := range hostile {
		props, err := json.Marshal(map[string]string{"browserName": h, "browserVersion": h, "platformName": h})
		require.NoError(t, err)
		created := at(-time.Duration(i+1) * time.Hour)
		sessions = append(sessions, devicefarm.TestGridSession{
			Arn:    testSessionPrefix + fmt.Sprintf("s%02d", i),
			Status: devicefarm.TestGridSessionStatusErrored, Created: created, Ended: created.Add(time.Minute),
			BillingMinutes: 1, SeleniumProperties: string(props),
		})
	}
	srv.AddSessions(testProject, sessions...)
	r := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", "markdown")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)

	html := clitest.RenderMarkdown(t, []byte(r.stdout))
	for _, tag := range []string{"<a ", "<img", "<script", "<em>", "<strong>", "<code>", "<h1", "<blockquote", "<li>", "<hr"} {
		assert.NotContains(t, html, tag, "service text made %s", tag)
	}
	errored := clitest.MarkdownTables(t, []byte(r.stdout))["Errored sessions"]
	require.Len(t, errored, 1+len(hostile))
	for i, h := range hostile {
		row := errored[i+1] // newest first: created i+1 hours ago
		require.Len(t, row, 5, "row %d keeps its five cells", i)
		assert.Equal(t, safetext.Cell(h), row[3], "platform shown as the escaped text")
		assert.Equal(t, safetext.Cell(h+" "+h), row[2])
	}
	for _, l := range clitest.Lines(r.stdout) {
		assert.NotContains(t, l, "\x1b")
	}
}

func TestMarkdownSize(t *testing.T) {
	t.Parallel()
	// 100,000 generated sessions over 30 days: the size follows the days
	// and the errored sessions listed, not the sessions.
	agg := stats.NewAggregator(testNow, time.UTC)
	require.NoError(t, agg.WritePage(devicefarmtest.GenerateSessions(testProject, 100_000, 1, testNow)))
	s := agg.Summary()
	s.Project = testProject
	var b bytes.Buffer
	require.NoError(t, writeSummaryMarkdown(&b, s))
	assert.Less(t, b.Len(), 8<<10, "%d bytes", b.Len())
	t.Logf("markdown for 100,000 sessions: %d bytes", b.Len())
}
