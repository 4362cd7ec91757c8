package summary

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

func TestSummaryPeakBuiltByHand(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddSessions(testProject, overlapSessions()...)
	r := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", "json", "--page-size", "2")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	got := decodeSummary(t, r.stdout)
	assert.Equal(t, 3, got.Concurrency.Peak)
	assert.Equal(t, time.Date(2025, 3, 11, 10, 40, 0, 0, time.UTC), got.Concurrency.PeakAt)
	var hours []string
	for _, h := range got.Concurrency.Hours {
		hours = append(hours, fmt.Sprintf("%s=%d", h.Start.Format("15:04"), h.Peak))
	}
	assert.Equal(t, []string{"10:00=3", "11:00=2", "12:00=0"}, hours)
	assert.Equal(t, 5, got.Totals.Sessions)
	assert.InDelta(t, 60+15+80+5+10, got.Totals.BillingMinutes, 1e-9)
}

func TestSummaryTableDemoASCII(t *testing.T) {
	t.Parallel()
	e := cmdutil.Env{Now: func() time.Time { return testNow }}
	r := runTestgrid(t.Context(), e, "summary", "--demo", "--ascii")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Equal(t, "testgrid: demo mode: generated sessions from a built-in fake service, not from AWS\n", r.stderr)
	for _, l := range lines(r.stdout) {
		assert.False(t, strings.ContainsFunc(l, func(r rune) bool { return r > 0x7e || (r < 0x20 && r != '\t') }), "ASCII only: %q", l)
	}
	j := runTestgrid(t.Context(), e, "summary", "--demo", "--output", "json")
	require.Equal(t, cmdutil.ExitOK, j.code, j.stderr)
	doc := decodeSummary(t, j.stdout)
	assert.Regexp(t, fmt.Sprintf(`(?m)^Sessions +%d$`, doc.Totals.Sessions), r.stdout)

	// One row with a bar per day with sessions (the demo's quiet days
	// have none).
	var bars, busy int
	for _, l := range lines(r.stdout) {
		if len(l) > 10 && l[4] == '-' && l[7] == '-' && strings.HasSuffix(l, "#") {
			bars++
		}
	}
	for _, d := range doc.Days {
		if d.Sessions > 0 {
			busy++
		}
	}
	assert.Equal(t, busy, bars)
	assert.Greater(t, busy, len(doc.Days)/2)
	assert.Contains(t, r.stdout, "PER DAY (UTC)")
	assert.Contains(t, r.stdout, "BROWSERS")
	assert.Contains(t, r.stdout, "PLATFORMS")
}

func TestSummaryTableUnicode(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, term string
		blocks     bool
	}{
		{"en_US.UTF-8", "xterm", true},
		{"C", "xterm", false},
		{"en_US.UTF-8", "dumb", false},
	} {
		t.Run(tt.lang+" "+tt.term, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{"LANG": tt.lang, "TERM": tt.term}
			e := cmdutil.Env{Now: func() time.Time { return testNow }, Getenv: func(name string) string { return vars[name] }}
			r := runTestgrid(t.Context(), e, "summary", "--demo")
			require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
			assert.Equal(t, tt.blocks, strings.Contains(r.stdout, "█"))
			assert.Equal(t, !tt.blocks, strings.Contains(r.stdout, "#\n"))
		})
	}
}

func TestSummaryEscapesServiceStrings(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	evil := closedSession("evil", at(-time.Hour), at(-30*time.Minute))
	evil.SeleniumProperties = `{"browserName":"\u001b]0;pwned\u0007chrome\u202e","browserVersion":"=1+2","platformName":"@SUM(A1)"}`
	evil.Status = "WEIRD\x1b[2J"
	srv.AddSessions(testProject, evil)

	r := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--ascii")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "\x1b")
	assert.NotContains(t, r.stdout, "\a")
	assert.NotContains(t, r.stdout, "\u202e")
	assert.Contains(t, r.stdout, `\x1b]0;pwned\x07chrome\u202e`)
	assert.Contains(t, r.stdout, `WEIRD\x1b[2J`)

	r = runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", "csv")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, summaryCSVHeader, rows[0])
	var sawBrowser, sawPlatform bool
	for _, row := range rows[1:] {
		require.Len(t, row, 5)
		for _, cell := range row {
			assert.NotRegexp(t, `^[=+\-@\t\r]`, cell, "formula-like cell: %q", row)
		}
		switch row[0] {
		case "browser":
			sawBrowser = true
			assert.Equal(t, "'=1+2", row[2])
		case "platform":
			sawPlatform = true
			assert.Equal(t, "'@SUM(A1)", row[1])
		}
	}
	assert.True(t, sawBrowser && sawPlatform)
}

func TestSummaryCSV(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 60, 5)
	e := awsEnv(srv)
	j := runTestgrid(t.Context(), e, summaryArgs(srv, "--output", "json")...)
	require.Equal(t, cmdutil.ExitOK, j.code, j.stderr)
	doc := decodeSummary(t, j.stdout)
	r := runTestgrid(t.Context(), e, summaryArgs(srv, "--output", "csv")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	values := map[string]string{}
	sections := map[string]int{}
	for _, row := range rows[1:] {
		values[strings.Join(row[:4], "|")] = row[4]
		sections[row[0]]++
	}
	assert.Equal(t, fmt.Sprint(doc.Totals.Sessions), values["total|||sessions"])
	assert.Equal(t, fmt.Sprint(doc.Concurrency.Peak), values["concurrency|||peak"])
	assert.Equal(t, "true", values["concurrency|||exact"])
	assert.Equal(t, fmt.Sprint(doc.Days[0].Sessions), values["day|"+doc.Days[0].Date+"||sessions"])
	b := doc.Browsers[0]
	assert.Equal(t, fmt.Sprint(b.Sessions), values["browser|"+b.Name+"|"+b.Version+"|sessions"])
	assert.Equal(t, 7*len(doc.Days), sections["day"])
	assert.Equal(t, len(doc.Concurrency.Hours), sections["hour"])
}

func TestSummaryFailureWritesNothing(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 50, 3)
	e := awsEnv(srv)
	e.AfterPage = func(pages, _ int) {
		if pages == 1 {
			srv.Inject(devicefarmtest.Match{}, devicefarmtest.AccessDenied())
		}
	}
	r := runTestgrid(t.Context(), e, summaryArgs(srv, "--page-size", "10", "--output", "json")...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Empty(t, r.stdout, "no summary of part of the sessions")
	assert.Contains(t, requireOneErrorLine(t, r), "AccessDeniedException")
}

func TestSummaryInterrupted(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 50, 3)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	e := awsEnv(srv)
	e.AfterPage = func(pages, _ int) {
		if pages == 2 {
			cancel()
		}
	}
	r := runTestgrid(ctx, e, summaryArgs(srv, "--page-size", "10")...)
	assert.Equal(t, cmdutil.ExitInterrupted, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "testgrid: interrupted after 2 pages (20 sessions); no summary written", requireOneErrorLine(t, r))
	assert.Len(t, srv.Requests(), 2)
}

func TestSummaryEmpty(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddProject(devicefarmtest.Project{Arn: testProject})
	for _, format := range summaryFormats {
		r := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", format)...)
		require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
		assert.NotEmpty(t, r.stdout, format)
	}
	r := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", "json")...)
	doc := decodeSummary(t, r.stdout)
	assert.Zero(t, doc.Totals.Sessions)
	assert.Nil(t, doc.Totals.Durations.MedianSeconds)
	assert.Empty(t, doc.Days)
	assert.NotNil(t, doc.Days, "[] rather than null")
}

func TestSummaryHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"summary", "--help"}, {"summary", "-h"}} {
		r := runTestgrid(t.Context(), cmdutil.Env{}, args...)
		assert.Equal(t, cmdutil.ExitOK, r.code, args)
		assert.Equal(t, Usage, r.stdout, args)
		assert.Empty(t, r.stderr)
	}
	for _, l := range lines(Usage) {
		assert.LessOrEqual(t, len([]rune(l)), 80, l)
	}
}
