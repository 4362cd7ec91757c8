package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
)

// absurdSession claims to run from 2001-09-09 to the last second of 9999:
// {"created":1000000000,"ended":253402300799} on the wire. Charting every
// hour it spans would take 70 million hours.
func absurdSession() devicefarm.TestGridSession {
	return closedSession("absurd", time.Unix(1_000_000_000, 0), time.Unix(253402300799, 0))
}

// absurdPlusNormal is absurdSession and overlapSessions, in creation order.
func absurdPlusNormal() []devicefarm.TestGridSession {
	return append([]devicefarm.TestGridSession{absurdSession()}, overlapSessions()...)
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
			a := newAggregator(testNow, time.UTC)
			require.NoError(t, a.WritePage(tt.sessions))
			s := a.summary()
			for _, f := range []string{output.FormatJSON, output.FormatCSV, formatHTML, output.FormatTable} {
				require.NoError(t, writeSummary(io.Discard, s, &summaryOptions{output: f}, func(string) string { return "" }), f)
			}
			runtime.ReadMemStats(&after)
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("allocated %d", allocated)
			assert.Less(t, allocated, uint64(64<<20), "bytes allocated to summarise and write %d sessions", len(tt.sessions))
			assert.LessOrEqual(t, len(s.Concurrency.Hours), maxChartedHours)
			assert.LessOrEqual(t, len(s.Days), maxChartedDays)
		})
	}
}

func TestSummaryAbsurdSessionAlone(t *testing.T) {
	t.Parallel()
	s := summarize(time.UTC, absurdSession())
	created := time.Unix(1_000_000_000, 0).UTC() // 2001-09-09 01:46:40
	c := s.Concurrency
	assert.Equal(t, 1, c.Peak)
	assert.Equal(t, created, c.PeakAt.UTC())
	// Charted: from the hour of the start to a day after it.
	require.Len(t, c.Hours, 25)
	assert.Equal(t, created.Truncate(time.Hour), c.Hours[0].Start.UTC())
	assert.Equal(t, created.Add(24*time.Hour).Truncate(time.Hour), c.Hours[24].Start.UTC())
	for _, h := range c.Hours {
		assert.Equal(t, 1, h.Peak, h.Start)
	}
	assert.Nil(t, c.Before)
	require.NotNil(t, c.After)
	assert.Equal(t, created.Add(25*time.Hour).Truncate(time.Hour), c.After.From.UTC())
	assert.Equal(t, time.Unix(253402300799, 0).UTC(), c.After.To.UTC())
	assert.Equal(t, 1, c.After.Peak)
	require.Len(t, s.Days, 1)
	assert.Equal(t, 1, s.Days[0].PeakConcurrency)
	assert.Nil(t, s.EarlierDays)
	require.Len(t, s.Notes, 1)
	assert.Contains(t, s.Notes[0], "outside the charted window")
	assert.Contains(t, s.Notes[0], "9999-12-31 23:59:59 UTC")
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
	require.Len(t, c.Hours, maxChartedHours)
	last := time.Date(2025, 3, 12, 11, 0, 0, 0, time.UTC)
	assert.Equal(t, last, c.Hours[len(c.Hours)-1].Start.UTC())
	assert.Equal(t, last.Add(-(maxChartedHours-1)*time.Hour), c.Hours[0].Start.UTC())
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
	require.Len(t, s.Days, maxChartedDays)
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

	require.Len(t, s.Notes, 3)
	var table bytes.Buffer
	require.NoError(t, writeSummaryTable(&table, s, true))
	assert.Contains(t, table.String(), "Sessions created 2001-09-09 to 2025-03-11 (UTC)")
	for _, n := range s.Notes {
		assert.Contains(t, table.String(), "\nNote: "+n+"\n")
	}
	var page bytes.Buffer
	require.NoError(t, writeReportHTML(&page, s))
	assert.Equal(t, 3, strings.Count(page.String(), `<p class="note window-note">Note: `))
	assert.Contains(t, page.String(), "Sessions created 2001-09-09 to 2025-03-11")
	var csvOut bytes.Buffer
	require.NoError(t, writeSummaryCSV(&csvOut, s))
	assert.Contains(t, csvOut.String(), "outside,hoursBefore,,peak,1\n")
	assert.Contains(t, csvOut.String(), "outside,earlierDays,,sessions,1\n")
	assert.Contains(t, csvOut.String(), "note,,,text,")
}

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
	assert.Len(t, doc.Concurrency.Hours, maxChartedHours)
	require.NotNil(t, doc.Concurrency.HoursBefore)
	require.NotNil(t, doc.Concurrency.HoursAfter)
	assert.Equal(t, time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), doc.Concurrency.HoursAfter.To)
	assert.Len(t, doc.Days, maxChartedDays)
	require.NotNil(t, doc.EarlierDays)
	assert.Equal(t, 1, doc.EarlierDays.Sessions)
	require.Len(t, doc.Notes, 3)
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

// TestSummaryWindowMatchesBruteForce shrinks the bounds and checks the
// charted hours and days, and what is summed up outside them, against the
// quadratic reference over the whole span: the charted hours are the last
// ones of the reference, the days the last days, and the peaks outside
// the maxima of the rest. Gaps longer than the hour bound exercise the
// step that skips hours.
func TestSummaryWindowMatchesBruteForce(t *testing.T) {
	t.Parallel()
	const maxHours, maxDays = 30, 3
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 11))
		var sessions []devicefarm.TestGridSession
		offset := time.Duration(0)
		for i := range 40 + rng.IntN(80) {
			if rng.IntN(25) == 0 { // a gap of up to 5 days
				offset += time.Duration(rng.IntN(5*24)) * time.Hour
			}
			start := at(offset + time.Duration(rng.IntN(48*12))*5*time.Minute)
			end := start.Add(time.Duration(rng.IntN(8*12)) * 5 * time.Minute)
			if rng.IntN(40) == 0 {
				end = start.Add(time.Duration(rng.IntN(20*24)) * time.Hour) // a long one
			}
			sessions = append(sessions, closedSession(fmt.Sprint(i), start, end))
		}
		inCreationOrder(sessions)
		var ivs []interval
		for _, s := range sessions {
			ivs = append(ivs, interval{s.Created.UnixMilli(), s.Ended.UnixMilli()})
		}
		peak, peakAt, ref := refConcurrency(ivs)

		a := newAggregator(testNow, time.UTC)
		a.maxDays, a.sweep.maxHours, a.sweep.maxDays = maxDays, maxHours, maxDays
		require.NoError(t, a.WritePage(sessions))
		s := a.summary()
		c := s.Concurrency
		assert.Equal(t, peak, c.Peak, "seed %d", seed)
		assert.Equal(t, peakAt, c.PeakAt.UnixMilli(), "seed %d", seed)

		// The reference's hours, up to the end of the charted ones.
		// When the whole span exceeds maxHours, the hours end with the
		// one that holds the last end or a day after the latest start,
		// whichever is sooner.
		lastStart := sessions[len(sessions)-1].Created
		var maxEnd int64
		for _, iv := range ivs {
			if iv.end > iv.start {
				maxEnd = max(maxEnd, iv.end)
			}
		}
		want := ref
		var after []refHour
		if len(ref) > 0 && maxEnd-ref[0].start.UnixMilli() > maxHours*hourMs {
			cut := time.UnixMilli(min(maxEnd, lastStart.Add(chartedTail).UnixMilli()))
			end := cut.Truncate(time.Hour).Add(time.Hour)
			for i, h := range ref {
				if end.UnixMilli() < maxEnd && !h.start.Before(end) {
					want, after = ref[:i], ref[i:]
					break
				}
			}
		}
		var before []refHour
		if len(want) > maxHours {
			before, want = want[:len(want)-maxHours], want[len(want)-maxHours:]
		}
		require.Len(t, c.Hours, len(want), "seed %d", seed)
		for i, h := range want {
			assert.Equal(t, h.start.UnixMilli(), c.Hours[i].Start.UnixMilli(), "seed %d hour %d", seed, i)
			assert.Equal(t, h.peak, c.Hours[i].Peak, "seed %d hour %s", seed, h.start)
		}
		if len(before) == 0 {
			assert.Nil(t, c.Before, "seed %d", seed)
		} else if assert.NotNil(t, c.Before, "seed %d", seed) {
			assert.Equal(t, before[0].start.UnixMilli(), c.Before.From.UnixMilli(), "seed %d", seed)
			assert.Equal(t, want[0].start.UnixMilli(), c.Before.To.UnixMilli(), "seed %d", seed)
			assert.Equal(t, maxPeak(before), c.Before.Peak, "seed %d", seed)
		}
		if len(after) == 0 {
			assert.Nil(t, c.After, "seed %d", seed)
		} else if assert.NotNil(t, c.After, "seed %d", seed) {
			assert.Equal(t, after[0].start.UnixMilli(), c.After.From.UnixMilli(), "seed %d", seed)
			assert.Equal(t, maxPeak(after), c.After.Peak, "seed %d", seed)
		}

		// Days: the last maxDays up to the latest creation, each with the
		// largest peak of its hours.
		dayPeak := map[string]int{}
		for _, h := range ref {
			d := h.start.UTC().Format(time.DateOnly)
			dayPeak[d] = max(dayPeak[d], h.peak)
		}
		perDay := map[string]int{}
		for _, s := range sessions {
			perDay[s.Created.UTC().Format(time.DateOnly)]++
		}
		firstDay := sessions[0].Created.UTC().Truncate(24 * time.Hour)
		lastDay := lastStart.UTC().Truncate(24 * time.Hour)
		from := lastDay.AddDate(0, 0, -(maxDays - 1))
		if from.Before(firstDay) {
			from = firstDay
		}
		require.Len(t, s.Days, int(lastDay.Sub(from)/(24*time.Hour))+1, "seed %d", seed)
		earlier := 0
		for d, n := range perDay {
			if d < from.Format(time.DateOnly) {
				earlier += n
			}
		}
		for i, row := range s.Days {
			d := from.AddDate(0, 0, i).Format(time.DateOnly)
			assert.Equal(t, d, row.Date.Format(time.DateOnly), "seed %d", seed)
			assert.Equal(t, perDay[d], row.Sessions(), "seed %d day %s", seed, d)
			assert.Equal(t, dayPeak[d], row.PeakConcurrency, "seed %d day %s", seed, d)
		}
		if earlier == 0 {
			assert.Nil(t, s.EarlierDays, "seed %d", seed)
		} else if assert.NotNil(t, s.EarlierDays, "seed %d", seed) {
			assert.Equal(t, earlier, s.EarlierDays.Sessions(), "seed %d", seed)
			assert.Equal(t, firstDay, s.EarlierDays.From.UTC(), "seed %d", seed)
		}
	}
}

func maxPeak(hours []refHour) int {
	p := 0
	for _, h := range hours {
		p = max(p, h.peak)
	}
	return p
}
