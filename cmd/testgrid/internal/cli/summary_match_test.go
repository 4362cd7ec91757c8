package cli

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// This file checks "testgrid summary --output json" against figures
// computed here, independently, from "testgrid sessions --output ndjson"
// over the same seeded service.

// listedSession is a session as "testgrid sessions --output ndjson"
// prints it.
type listedSession struct {
	Status             string          `json:"status"`
	Created            time.Time       `json:"created"`
	Ended              time.Time       `json:"ended"`
	BillingMinutes     *float64        `json:"billingMinutes"`
	SeleniumProperties json.RawMessage `json:"seleniumProperties"`
}

func listSessions(t *testing.T, e cmdutil.Env, srv *devicefarmtest.Server) []listedSession {
	t.Helper()
	r := runTestgrid(t.Context(), e, listArgs(srv, "--output", "ndjson")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	var out []listedSession
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var s listedSession
		require.NoError(t, json.Unmarshal(sc.Bytes(), &s), sc.Text())
		out = append(out, s)
	}
	require.NoError(t, sc.Err())
	return out
}

// browserOf reads a listed session's browser the plain way: the whole
// object into a map.
func browserOf(s listedSession) (name, version, platform string) {
	name, platform = stats.UnknownLabel, stats.UnknownLabel
	var m map[string]any
	if json.Unmarshal(s.SeleniumProperties, &m) != nil {
		return
	}
	if v, ok := m["browserName"].(string); ok {
		name = v
	}
	if v, ok := m["browserVersion"].(string); ok {
		version = v
	}
	if v, ok := m["platformName"].(string); ok {
		platform = v
	}
	return
}

// unpropertied are sessions of testProject without seleniumProperties
// (or with text that is not an object), one of them still active.
func unpropertied() []devicefarm.TestGridSession {
	mk := func(id string, status devicefarm.TestGridSessionStatus, start, end time.Duration, props string) devicefarm.TestGridSession {
		s := closedSession(id, at(start), at(end))
		s.Status, s.SeleniumProperties = status, props
		if end == 0 {
			s.Ended, s.BillingMinutes = time.Time{}, 0
		}
		return s
	}
	return []devicefarm.TestGridSession{
		mk("noprops-1", devicefarm.TestGridSessionStatusClosed, -50*time.Hour, -49*time.Hour, ""),
		mk("noprops-2", devicefarm.TestGridSessionStatusErrored, -26*time.Hour, -25*time.Hour-30*time.Minute, ""),
		mk("noprops-3", devicefarm.TestGridSessionStatusClosed, -5*time.Hour, -4*time.Hour, "not json"),
		mk("noprops-4", devicefarm.TestGridSessionStatusActive, -2*time.Hour, 0, ""),
		mk("noprops-5", devicefarm.TestGridSessionStatusActive, -30*time.Minute, 0, "{}"),
	}
}

// tally counts sessions, errored sessions and billing minutes.
type tally struct {
	sessions, errored int
	minutes           float64
}

func (c *tally) add(s listedSession) {
	c.sessions++
	if s.BillingMinutes != nil {
		c.minutes += *s.BillingMinutes
	}
	if s.Status == "ERRORED" {
		c.errored++
	}
}

// expected is the summary of listed sessions, computed plainly.
type expected struct {
	total     tally
	statuses  map[string]*tally
	durations []time.Duration
	intervals []interval
	days      map[string]*tally // by date in the zone
	dayStatus map[string]map[string]int
	browsers  map[[2]string]*tally // name, version
	platforms map[string]*tally
}

// expect computes what the summary of listed should say, with days in loc
// and sessions still active running until now.
func expect(listed []listedSession, loc *time.Location, now time.Time) expected {
	x := expected{
		statuses: map[string]*tally{}, days: map[string]*tally{}, dayStatus: map[string]map[string]int{},
		browsers: map[[2]string]*tally{}, platforms: map[string]*tally{},
	}
	get := func(m map[string]*tally, k string) *tally {
		if m[k] == nil {
			m[k] = &tally{}
		}
		return m[k]
	}
	for _, s := range listed {
		x.total.add(s)
		get(x.statuses, s.Status).add(s)
		end := now
		if !s.Ended.IsZero() {
			end = s.Ended
			x.durations = append(x.durations, s.Ended.Sub(s.Created))
		}
		x.intervals = append(x.intervals, interval{Start: s.Created.UnixMilli(), End: end.UnixMilli()})
		day := s.Created.In(loc).Format(time.DateOnly)
		get(x.days, day).add(s)
		if x.dayStatus[day] == nil {
			x.dayStatus[day] = map[string]int{}
		}
		x.dayStatus[day][s.Status]++
		name, version, platform := browserOf(s)
		if x.browsers[[2]string{name, version}] == nil {
			x.browsers[[2]string{name, version}] = &tally{}
		}
		x.browsers[[2]string{name, version}].add(s)
		get(x.platforms, platform).add(s)
	}
	return x
}

func TestSummaryJSONMatchesSessionsNDJSON(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 300, 11)
	srv.AddSessions(testProject, unpropertied()...)
	e := awsEnv(srv)
	listed := listSessions(t, e, srv)
	require.Len(t, listed, 305)

	const zone = "America/New_York"
	loc, err := time.LoadLocation(zone)
	require.NoError(t, err)
	r := runTestgrid(t.Context(), e, summaryArgs(srv, "--output", "json", "--tz", zone, "--page-size", "37")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Empty(t, r.stderr)
	got := decodeSummary(t, r.stdout)
	want := expect(listed, loc, testNow)
	assert.Equal(t, testProject, got.Project)
	assert.Equal(t, zone, got.TimeZone)

	t.Run("totals", func(t *testing.T) {
		assert.Equal(t, want.total.sessions, got.Totals.Sessions)
		assert.InDelta(t, want.total.minutes, got.Totals.BillingMinutes, 1e-5)
		require.Len(t, got.Totals.Statuses, 3)
		for _, st := range got.Totals.Statuses {
			w := want.statuses[st.Status]
			require.NotNil(t, w, st.Status)
			assert.Equal(t, w.sessions, st.Sessions, st.Status)
			assert.InDelta(t, float64(w.sessions)/float64(len(listed)), st.Share, 1e-12, st.Status)
			assert.InDelta(t, w.minutes, st.BillingMinutes, 1e-5, st.Status)
		}
		assert.Equal(t, len(listed)-len(want.durations), want.statuses["ACTIVE"].sessions, "the active sessions are those without an end")
	})

	t.Run("durations", func(t *testing.T) {
		// Median and p95 within the stated error, max exact.
		d := got.Totals.Durations
		assert.Equal(t, len(want.durations), d.Ended)
		assert.Equal(t, stats.DurationRelErr, d.RelativeError)
		require.NotNil(t, d.MedianSeconds)
		assert.InEpsilon(t, refQuantile(want.durations, 0.5).Seconds(), *d.MedianSeconds, stats.DurationRelErr)
		assert.InEpsilon(t, refQuantile(want.durations, 0.95).Seconds(), *d.P95Seconds, stats.DurationRelErr)
		assert.InDelta(t, refQuantile(want.durations, 1).Seconds(), *d.MaxSeconds, 1e-9)
	})

	peak, peakAt, hours := refConcurrency(want.intervals)
	t.Run("days", func(t *testing.T) {
		// Every day in the zone from the first creation to the last,
		// days without sessions included.
		first := listed[0].Created.In(loc)
		lastDay := listed[len(listed)-1].Created.In(loc).Format(time.DateOnly)
		var wantDates, dates []string
		for day := time.Date(first.Year(), first.Month(), first.Day(), 12, 0, 0, 0, loc); ; day = day.AddDate(0, 0, 1) {
			wantDates = append(wantDates, day.Format(time.DateOnly))
			if day.Format(time.DateOnly) == lastDay {
				break
			}
		}
		for _, gd := range got.Days {
			dates = append(dates, gd.Date)
		}
		assert.Equal(t, wantDates, dates)

		dayPeak := map[string]int{}
		for _, h := range hours {
			day := h.Start.In(loc).Format(time.DateOnly)
			dayPeak[day] = max(dayPeak[day], h.Peak)
		}
		for _, gd := range got.Days {
			w := want.days[gd.Date]
			if w == nil {
				w = &tally{}
			}
			assert.Equal(t, w.sessions, gd.Sessions, gd.Date)
			assert.Equal(t, w.errored, gd.Errored, gd.Date)
			assert.Equal(t, want.dayStatus[gd.Date]["ACTIVE"], gd.Active, gd.Date)
			assert.Equal(t, want.dayStatus[gd.Date]["CLOSED"], gd.Closed, gd.Date)
			assert.Equal(t, gd.Sessions, gd.Active+gd.Closed+gd.Errored+gd.Other, gd.Date)
			assert.InDelta(t, w.minutes, gd.BillingMinutes, 1e-5, gd.Date)
			assert.Equal(t, dayPeak[gd.Date], gd.PeakConcurrency, gd.Date)
		}
	})

	t.Run("browsers and platforms", func(t *testing.T) {
		unknown := want.browsers[[2]string{stats.UnknownLabel, ""}]
		require.NotNil(t, unknown)
		assert.Equal(t, 5, unknown.sessions, "the sessions without usable properties")
		assert.Len(t, got.Browsers, len(want.browsers))
		checkMix(t, len(listed), got.Browsers, func(r testMixRow) *tally { return want.browsers[[2]string{r.Name, r.Version}] })
		assert.Len(t, got.Platforms, len(want.platforms))
		checkMix(t, len(listed), got.Platforms, func(r testMixRow) *tally { return want.platforms[r.Name] })
	})

	t.Run("concurrency", func(t *testing.T) {
		// Sessions still active count until now.
		c := got.Concurrency
		assert.True(t, c.Exact)
		assert.Zero(t, c.OutOfOrder)
		assert.Equal(t, peak, c.Peak)
		assert.Equal(t, peakAt, c.PeakAt.UnixMilli())
		require.Len(t, c.Hours, len(hours))
		for i, h := range hours {
			assert.True(t, h.Start.Equal(c.Hours[i].Start), "hour %d: %s vs %s", i, h.Start, c.Hours[i].Start)
			assert.Equal(t, h.Peak, c.Hours[i].Peak, h.Start)
		}
	})
}

// checkMix compares browser or platform rows with the tallies, and checks
// their order and that they add up to all sessions.
func checkMix(t *testing.T, sessions int, rows []testMixRow, want func(testMixRow) *tally) {
	t.Helper()
	n := 0
	for i, row := range rows {
		w := want(row)
		require.NotNil(t, w, "%+v", row)
		assert.Equal(t, w.sessions, row.Sessions, "%+v", row)
		assert.Equal(t, w.errored, row.Errored, "%+v", row)
		assert.InDelta(t, float64(w.errored)/float64(w.sessions), row.ErrorRate, 1e-12, "%+v", row)
		assert.InDelta(t, w.minutes, row.BillingMinutes, 1e-5, "%+v", row)
		if i > 0 {
			assert.GreaterOrEqual(t, rows[i-1].Sessions, row.Sessions, "most sessions first")
		}
		n += row.Sessions
	}
	assert.Equal(t, sessions, n)
}
