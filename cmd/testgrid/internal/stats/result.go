package stats

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
)

// Summary is what "testgrid summary" reports; every output format renders
// it. Times are in Loc.
type Summary struct {
	Project   string
	Generated time.Time // the clock when the listing started
	Loc       *time.Location

	Sessions       int
	Undated        int // sessions without a Created time (not in Days)
	BillingMinutes float64
	Statuses       []StatusRow
	Durations      DurationSummary
	Concurrency    ConcurrencySummary
	Days           []DayRow  // every day from the first creation to the last, at most MaxChartedDays
	EarlierDays    *DayRange // the days before Days, when there were too many
	Browsers       []MixRow  // most sessions first
	Platforms      []MixRow  // most sessions first
	Errored        ErroredList
	// Notes say what the series leave out (EarlierDays, Concurrency's
	// Before and After), in words, for every output format and stderr.
	Notes []string
}

// FirstDay is the first day with sessions, in Days or EarlierDays; Days
// must not be empty.
func (s *Summary) FirstDay() time.Time {
	if s.EarlierDays != nil {
		return s.EarlierDays.From
	}
	return s.Days[0].Date
}

// DayRange sums up the sessions created on the days from From, the first
// with sessions, to To, the day before those shown (midnight in Loc), by
// status.
type DayRange struct {
	From, To                       time.Time
	Active, Closed, Errored, Other int
	BillingMinutes                 float64
}

// Sessions returns the number of sessions created in the range.
func (d DayRange) Sessions() int { return d.Active + d.Closed + d.Errored + d.Other }

// HoursSpan sums up hours that the per-hour series does not chart: from
// the start of the first to the end of the last, and their peak.
type HoursSpan struct {
	From, To time.Time
	Peak     int
}

// StatusRow totals the sessions in one status.
type StatusRow struct {
	Status         string
	Sessions       int
	Share          float64 // of all sessions
	BillingMinutes float64
}

// DurationSummary describes the durations of ended sessions. Median and P95
// are nearest-rank quantiles within durationRelErr; Max is exact.
type DurationSummary struct {
	Ended            int
	Median, P95, Max time.Duration
}

// ConcurrencySummary describes how many sessions ran at once; see
// concurrencySweep. Hours runs from the hour of the first start to the
// hour of the last end (now for sessions still ACTIVE), at most
// MaxChartedHours of them: the most recent, ending at most chartedTail
// after the latest start (or now). Before and After sum up the hours left
// out, if any. Peak and PeakAt are exact whatever the span.
type ConcurrencySummary struct {
	Peak          int
	PeakAt        time.Time // zero when there was no session
	Exact         bool
	OutOfOrder    int
	Hours         []hourPeak
	Before, After *HoursSpan
}

// DayRow counts the sessions created on one day, by status.
type DayRow struct {
	Date                           time.Time // midnight in Loc
	Active, Closed, Errored, Other int
	BillingMinutes                 float64
	PeakConcurrency                int // largest hourly peak of the day
}

// Sessions returns the number of sessions created that day.
func (d DayRow) Sessions() int { return d.Active + d.Closed + d.Errored + d.Other }

// MixRow totals the sessions of one browser (Name and Version) or one
// platform (Name).
type MixRow struct {
	Name, Version  string
	Sessions       int
	Errored        int
	BillingMinutes float64
}

// ErrorRate returns the share of the sessions that ended ERRORED.
func (m MixRow) ErrorRate() float64 { return ratio(m.Errored, m.Sessions) }

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// Summary finishes the aggregation and returns its result. The aggregator
// must not be used afterwards.
func (a *Aggregator) Summary() *Summary {
	a.foldEarlierDays()
	anchor := a.maxCreated
	if a.active {
		anchor = max(anchor, a.now.UnixMilli())
	}
	a.sweep.finish(anchor, a.lastDay)
	s := &Summary{
		Generated:      a.now.In(a.loc),
		Loc:            a.loc,
		Sessions:       a.sessions,
		Undated:        a.undated,
		BillingMinutes: a.minutes,
		Statuses:       a.statusRows(),
		Durations: DurationSummary{
			Ended:  int(a.durations.n),
			Median: a.durations.quantile(0.5),
			P95:    a.durations.quantile(0.95),
			Max:    a.durations.max,
		},
		Concurrency: ConcurrencySummary{
			Peak:       a.sweep.peak,
			Exact:      a.sweep.outOfOrder == 0,
			OutOfOrder: a.sweep.outOfOrder,
			Hours:      a.sweep.hours,
		},
		Browsers:  mixRows(a.browsers, func(k browserKey) (string, string) { return k.name, k.version }),
		Platforms: mixRows(a.platforms, func(k string) (string, string) { return k, "" }),
		Errored:   a.errored.list(a.loc),
	}
	if a.sweep.peak > 0 {
		s.Concurrency.PeakAt = time.UnixMilli(a.sweep.peakAt).In(a.loc)
	}
	s.Days = a.dayRows()
	if a.hasEarlier { // then Days is not empty: it holds lastDay
		e := a.earlier.byStatus
		s.EarlierDays = &DayRange{
			From: civilDate(a.firstDay, a.loc), To: s.Days[0].Date.AddDate(0, 0, -1),
			Active: e[slotActive], Closed: e[slotClosed], Errored: e[slotErrored], Other: e[slotOther],
			BillingMinutes: a.earlier.minutes,
		}
	}
	span := func(o hoursOutside) *HoursSpan {
		if !o.set {
			return nil
		}
		return &HoursSpan{time.UnixMilli(o.from).In(a.loc), time.UnixMilli(o.to).In(a.loc), o.peak}
	}
	s.Concurrency.Before, s.Concurrency.After = span(a.sweep.before), span(a.sweep.after)
	s.Notes = append(windowNotes(s, a.maxDays, a.sweep.maxHours), a.rangeNotes()...)
	return s
}

// rangeNotes says which numbers are out of range: billing minutes that
// add up past the largest float64 (shown as OutOfRange, null in json),
// and durations past what a time.Duration holds (left out).
func (a *Aggregator) rangeNotes() []string {
	var notes []string
	if math.IsInf(a.minutes, 0) {
		notes = append(notes, "billing minutes add up past the largest number this summary holds (about 1.8e308): the sums that overflow are reported as "+OutOfRange+" (null in json)")
	}
	if n := a.longDurations; n > 0 {
		notes = append(notes, fmt.Sprintf("%d %s lasted longer than a duration can hold (about 292 years): %s out of range, left out of the durations",
			n, safetext.Plural(n, "session", "sessions"), safetext.Plural(n, "its duration is", "their durations are")))
	}
	return notes
}

// windowNotes says, in words, what the per-day and per-hour series leave
// out; maxDays and maxHours are their bounds.
func windowNotes(s *Summary, maxDays, maxHours int) []string {
	var notes []string
	if e := s.EarlierDays; e != nil && len(s.Days) > 0 {
		n := e.Sessions()
		notes = append(notes, fmt.Sprintf("sessions per day are shown for the last %d days at most, from %s: the %d %s created from %s to %s, outside the charted window, %s counted in the totals only",
			maxDays, s.Days[0].Date.Format(time.DateOnly), n, safetext.Plural(n, "session", "sessions"),
			e.From.Format(time.DateOnly), e.To.Format(time.DateOnly), safetext.Plural(n, "is", "are")))
	}
	if b := s.Concurrency.Before; b != nil {
		notes = append(notes, fmt.Sprintf("hourly concurrency is charted for the last %d hours (%d days) at most: from %s to %s, outside the charted window, at most %d %s ran at once",
			maxHours, maxHours/24, b.From.Format(TimeLayout), b.To.Format(TimeLayout), b.Peak, safetext.Plural(b.Peak, "session", "sessions")))
	}
	if a := s.Concurrency.After; a != nil {
		notes = append(notes, fmt.Sprintf("hourly concurrency is charted up to %s, a day after the latest start (or now, while sessions are active): from then to %s, outside the charted window, at most %d %s ran at once",
			a.From.Format(TimeLayout), a.To.Format(TimeLayout), a.Peak, safetext.Plural(a.Peak, "session", "sessions")))
	}
	return notes
}

// statusRows lists the known statuses (even when none has sessions) in
// the service model's order, then any other status by name.
func (a *Aggregator) statusRows() []StatusRow {
	var rows []StatusRow
	row := func(st devicefarm.TestGridSessionStatus, c *mixAgg) StatusRow {
		r := StatusRow{Status: string(st)}
		if c != nil {
			r.Sessions, r.BillingMinutes = c.sessions, c.minutes
			r.Share = ratio(c.sessions, a.sessions)
		}
		return r
	}
	for _, st := range devicefarm.TestGridSessionStatus("").Values() {
		rows = append(rows, row(st, a.statuses[st]))
	}
	var others []StatusRow
	for st, c := range a.statuses {
		if !st.Known() {
			others = append(others, row(st, c))
		}
	}
	slices.SortFunc(others, func(x, y StatusRow) int { return cmp.Compare(x.Status, y.Status) })
	return append(rows, others...)
}

// mixRows sorts m by sessions, most first, then by name and version.
func mixRows[K comparable](m map[K]*mixAgg, names func(K) (string, string)) []MixRow {
	rows := make([]MixRow, 0, len(m))
	for k, c := range m {
		name, version := names(k)
		rows = append(rows, MixRow{Name: name, Version: version, Sessions: c.sessions, Errored: c.errored, BillingMinutes: c.minutes})
	}
	slices.SortFunc(rows, func(x, y MixRow) int {
		return cmp.Or(cmp.Compare(y.Sessions, x.Sessions), cmp.Compare(x.Name, y.Name), cmp.Compare(x.Version, y.Version))
	})
	return rows
}

// dayRows lists every day from the first creation to the last, days
// without sessions included, with the peak concurrency of their hours: the
// last maxDays days at most (foldEarlierDays has folded the others).
func (a *Aggregator) dayRows() []DayRow {
	if len(a.days) == 0 {
		return nil
	}
	from := max(a.firstDay, a.lastDay-int64(a.maxDays)+1) // earlier days are folded
	rows := make([]DayRow, 0, a.lastDay-from+1)
	for day := from; day <= a.lastDay; day++ {
		r := DayRow{Date: civilDate(day, a.loc)}
		if c := a.days[day]; c != nil {
			r.Active, r.Closed = c.byStatus[slotActive], c.byStatus[slotClosed]
			r.Errored, r.Other = c.byStatus[slotErrored], c.byStatus[slotOther]
			r.BillingMinutes = c.minutes
		}
		r.PeakConcurrency = a.sweep.dayPeaks[day]
		rows = append(rows, r)
	}
	return rows
}
