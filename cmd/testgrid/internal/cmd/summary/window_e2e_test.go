package summary

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/report"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
)

// TestSummaryAbsurdSessionEndToEnd lists the absurd session, and normal
// ones, from a fake service: the json says what is outside the charted
// window, and stderr warns.
func TestSummaryAbsurdSessionEndToEnd(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddSessions(testProject, absurdPlusNormal()...)
	r := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", "json")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	doc := decodeSummary(t, r.stdout)
	assert.Equal(t, 4, doc.Concurrency.Peak)
	assert.Len(t, doc.Concurrency.Hours, stats.MaxChartedHours)
	require.NotNil(t, doc.Concurrency.HoursBefore)
	require.NotNil(t, doc.Concurrency.HoursAfter)
	assert.Equal(t, time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), doc.Concurrency.HoursAfter.To)
	assert.Len(t, doc.Days, stats.MaxChartedDays)
	require.NotNil(t, doc.EarlierDays)
	assert.Equal(t, 1, doc.EarlierDays.Sessions)
	require.Len(t, doc.Notes, 4)
	assert.Contains(t, doc.Notes[3], "lasted longer than a duration can hold", "an end in 9999 is past a time.Duration")
	for _, n := range doc.Notes {
		assert.Contains(t, r.stderr, "testgrid: warning: "+n+"\n")
	}

	// Normal data: no note, no warning, no member.
	srv = newServer(t)
	srv.AddSessions(testProject, overlapSessions()...)
	r = runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", "json")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "notes")
	assert.NotContains(t, r.stdout, "hoursBefore")
	assert.NotContains(t, r.stdout, "earlierDays")
	assert.NotContains(t, r.stderr, "warning")
}

// TestSummaryMemoryDoesNotGrowWithTimeSpan summarises a session that
// claims to end in 9999, beside normal ones, and writes every format: the
// memory allocated must stay small (it was gigabytes, one entry per hour
// up to 9999), and the figures sensible. Not parallel: it measures the
// process's allocations.
func TestSummaryMemoryDoesNotGrowWithTimeSpan(t *testing.T) {
	for _, tt := range []struct {
		name     string
		sessions []devicefarm.TestGridSession
	}{
		{"alone", []devicefarm.TestGridSession{absurdSession()}},
		{"with normal sessions", absurdPlusNormal()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			a := stats.NewAggregator(testNow, time.UTC)
			require.NoError(t, a.WritePage(tt.sessions))
			s := a.Summary()
			for _, f := range []string{output.FormatJSON, output.FormatCSV, formatHTML, output.FormatTable} {
				require.NoError(t, writeSummary(io.Discard, s, &Options{output: f}, func(string) string { return "" }), f)
			}
			runtime.ReadMemStats(&after)
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("allocated %d", allocated)
			assert.Less(t, allocated, uint64(64<<20), "bytes allocated to summarise and write %d sessions", len(tt.sessions))
			assert.LessOrEqual(t, len(s.Concurrency.Hours), stats.MaxChartedHours)
			assert.LessOrEqual(t, len(s.Days), stats.MaxChartedDays)
		})
	}
}

func TestSummaryAbsurdSessionWithNormalOnes(t *testing.T) {
	t.Parallel()
	s := summarize(time.UTC, absurdPlusNormal()...)
	c := s.Concurrency
	assert.Equal(t, 4, c.Peak, "A, B and C of overlapSessions, and the absurd session: exact")
	assert.Equal(t, time.Date(2025, 3, 11, 10, 40, 0, 0, time.UTC), c.PeakAt.UTC())
	assert.True(t, c.Exact)

	// The last 366 days of hours, ending a day after the latest start
	// (E, 2025-03-11 11:00).
	require.Len(t, c.Hours, stats.MaxChartedHours)
	last := time.Date(2025, 3, 12, 11, 0, 0, 0, time.UTC)
	assert.Equal(t, last, c.Hours[len(c.Hours)-1].Start.UTC())
	assert.Equal(t, last.Add(-(stats.MaxChartedHours-1)*time.Hour), c.Hours[0].Start.UTC())
	peaks := map[time.Time]int{}
	for i, h := range c.Hours {
		peaks[h.Start.UTC()] = h.Peak
		if i > 0 {
			require.Equal(t, time.Hour, h.Start.Sub(c.Hours[i-1].Start), "consecutive hours")
		}
	}
	assert.Equal(t, 4, peaks[time.Date(2025, 3, 11, 10, 0, 0, 0, time.UTC)])
	assert.Equal(t, 3, peaks[time.Date(2025, 3, 11, 11, 0, 0, 0, time.UTC)])
	assert.Equal(t, 1, peaks[time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)], "only the absurd session runs")

	require.NotNil(t, c.Before)
	assert.Equal(t, time.Date(2001, 9, 9, 1, 0, 0, 0, time.UTC), c.Before.From.UTC())
	assert.Equal(t, c.Hours[0].Start, c.Before.To)
	assert.Equal(t, 1, c.Before.Peak)
	require.NotNil(t, c.After)
	assert.Equal(t, last.Add(time.Hour), c.After.From.UTC())
	assert.Equal(t, 1, c.After.Peak)

	// The last 10 years of days, ending with the latest creation.
	require.Len(t, s.Days, stats.MaxChartedDays)
	lastDay := s.Days[len(s.Days)-1]
	assert.Equal(t, "2025-03-11", lastDay.Date.Format(time.DateOnly))
	assert.Equal(t, 5, lastDay.Sessions())
	assert.Equal(t, 4, lastDay.PeakConcurrency)
	assert.Equal(t, 1, s.Days[0].PeakConcurrency, "the absurd session runs on every day shown")
	require.NotNil(t, s.EarlierDays)
	assert.Equal(t, "2001-09-09", s.EarlierDays.From.Format(time.DateOnly))
	assert.Equal(t, s.Days[0].Date.AddDate(0, 0, -1), s.EarlierDays.To)
	assert.Equal(t, 1, s.EarlierDays.Sessions())
	assert.Equal(t, 6, s.Sessions, "every session is in the totals")

	require.Len(t, s.Notes, 4, "the window notes and the duration past a time.Duration")
	var table bytes.Buffer
	require.NoError(t, writeSummaryTable(&table, s, true))
	assert.Contains(t, table.String(), "Sessions created 2001-09-09 to 2025-03-11 (UTC)")
	for _, n := range s.Notes {
		assert.Contains(t, table.String(), "\nNote: "+n+"\n")
	}
	var page bytes.Buffer
	require.NoError(t, report.WriteHTML(&page, s))
	assert.Equal(t, 4, strings.Count(page.String(), `<p class="note window-note">Note: `))
	assert.Contains(t, page.String(), "Sessions created 2001-09-09 to 2025-03-11")
	var csvOut bytes.Buffer
	require.NoError(t, writeSummaryCSV(&csvOut, s))
	assert.Contains(t, csvOut.String(), "outside,hoursBefore,,peak,1\n")
	assert.Contains(t, csvOut.String(), "outside,earlierDays,,sessions,1\n")
	assert.Contains(t, csvOut.String(), "note,,,text,")
}

// summarize aggregates sessions, as given, with the clock at testNow.
func summarize(loc *time.Location, sessions ...devicefarm.TestGridSession) *stats.Summary {
	a := stats.NewAggregator(testNow, loc)
	a.WritePage(sessions)
	return a.Summary()
}
