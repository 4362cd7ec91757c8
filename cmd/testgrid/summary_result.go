package main

import (
	"cmp"
	"slices"
	"time"

	"github.com/testgridkit/devicefarm"
)

// summary is what "testgrid summary" reports; every output format renders
// it. Times are in Loc.
type summary struct {
	Project   string
	Generated time.Time // the clock when the listing started
	Loc       *time.Location

	Sessions       int
	Undated        int // sessions without a Created time (not in Days)
	BillingMinutes float64
	Statuses       []statusRow
	Durations      durationSummary
	Concurrency    concurrencySummary
	Days           []dayRow // every day from the first creation to the last
	Browsers       []mixRow // most sessions first
	Platforms      []mixRow // most sessions first
}

// statusRow totals the sessions in one status.
type statusRow struct {
	Status         string
	Sessions       int
	Share          float64 // of all sessions
	BillingMinutes float64
}

// durationSummary describes the durations of ended sessions. Median and P95
// are nearest-rank quantiles within durationRelErr; Max is exact.
type durationSummary struct {
	Ended            int
	Median, P95, Max time.Duration
}

// concurrencySummary describes how many sessions ran at once; see
// concurrencySweep. Hours runs from the hour of the first start to the
// hour of the last end (now for sessions still ACTIVE).
type concurrencySummary struct {
	Peak       int
	PeakAt     time.Time // zero when there was no session
	Exact      bool
	OutOfOrder int
	Hours      []hourPeak
}

// dayRow counts the sessions created on one day, by status.
type dayRow struct {
	Date                           time.Time // midnight in Loc
	Active, Closed, Errored, Other int
	BillingMinutes                 float64
	PeakConcurrency                int // largest hourly peak of the day
}

// Sessions returns the number of sessions created that day.
func (d dayRow) Sessions() int { return d.Active + d.Closed + d.Errored + d.Other }

// mixRow totals the sessions of one browser (Name and Version) or one
// platform (Name).
type mixRow struct {
	Name, Version  string
	Sessions       int
	Errored        int
	BillingMinutes float64
}

// ErrorRate returns the share of the sessions that ended ERRORED.
func (m mixRow) ErrorRate() float64 { return ratio(m.Errored, m.Sessions) }

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// summary finishes the aggregation and returns its result. The aggregator
// must not be used afterwards.
func (a *aggregator) summary() *summary {
	a.sweep.finish()
	s := &summary{
		Generated:      a.now.In(a.loc),
		Loc:            a.loc,
		Sessions:       a.sessions,
		Undated:        a.undated,
		BillingMinutes: a.minutes,
		Statuses:       a.statusRows(),
		Durations: durationSummary{
			Ended:  int(a.durations.n),
			Median: a.durations.quantile(0.5),
			P95:    a.durations.quantile(0.95),
			Max:    a.durations.max,
		},
		Concurrency: concurrencySummary{
			Peak:       a.sweep.peak,
			Exact:      a.sweep.outOfOrder == 0,
			OutOfOrder: a.sweep.outOfOrder,
			Hours:      a.sweep.hours,
		},
		Browsers:  mixRows(a.browsers, func(k browserKey) (string, string) { return k.name, k.version }),
		Platforms: mixRows(a.platforms, func(k string) (string, string) { return k, "" }),
	}
	if a.sweep.peak > 0 {
		s.Concurrency.PeakAt = time.UnixMilli(a.sweep.peakAt).In(a.loc)
	}
	s.Days = a.dayRows()
	return s
}

// statusRows lists the known statuses (even when none has sessions) in
// the service model's order, then any other status by name.
func (a *aggregator) statusRows() []statusRow {
	var rows []statusRow
	row := func(st devicefarm.TestGridSessionStatus, c *mixAgg) statusRow {
		r := statusRow{Status: string(st)}
		if c != nil {
			r.Sessions, r.BillingMinutes = c.sessions, c.minutes
			r.Share = ratio(c.sessions, a.sessions)
		}
		return r
	}
	for _, st := range devicefarm.TestGridSessionStatus("").Values() {
		rows = append(rows, row(st, a.statuses[st]))
	}
	var others []statusRow
	for st, c := range a.statuses {
		if !st.Known() {
			others = append(others, row(st, c))
		}
	}
	slices.SortFunc(others, func(x, y statusRow) int { return cmp.Compare(x.Status, y.Status) })
	return append(rows, others...)
}

// mixRows sorts m by sessions, most first, then by name and version.
func mixRows[K comparable](m map[K]*mixAgg, names func(K) (string, string)) []mixRow {
	rows := make([]mixRow, 0, len(m))
	for k, c := range m {
		name, version := names(k)
		rows = append(rows, mixRow{Name: name, Version: version, Sessions: c.sessions, Errored: c.errored, BillingMinutes: c.minutes})
	}
	slices.SortFunc(rows, func(x, y mixRow) int {
		return cmp.Or(cmp.Compare(y.Sessions, x.Sessions), cmp.Compare(x.Name, y.Name), cmp.Compare(x.Version, y.Version))
	})
	return rows
}

// dayRows lists every day from the first creation to the last, days
// without sessions included, with the peak concurrency of their hours.
func (a *aggregator) dayRows() []dayRow {
	if len(a.days) == 0 {
		return nil
	}
	rows := make([]dayRow, 0, a.lastDay-a.firstDay+1)
	for day := a.firstDay; day <= a.lastDay; day++ {
		r := dayRow{Date: civilDate(day, a.loc)}
		if c := a.days[day]; c != nil {
			r.Active, r.Closed = c.byStatus[slotActive], c.byStatus[slotClosed]
			r.Errored, r.Other = c.byStatus[slotErrored], c.byStatus[slotOther]
			r.BillingMinutes = c.minutes
		}
		rows = append(rows, r)
	}
	for _, h := range a.sweep.hours {
		y, m, d := h.Start.Date()
		if i := civilDay(y, m, d) - a.firstDay; i >= 0 && i < int64(len(rows)) {
			rows[i].PeakConcurrency = max(rows[i].PeakConcurrency, h.Peak)
		}
	}
	return rows
}
