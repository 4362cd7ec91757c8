// Package stats aggregates sessions into a summary as pages arrive: totals,
// statuses, durations, per-day rows, concurrency, and the browser and
// platform mixes; memory stays bounded whatever the listing's size. It is
// pure computation: it does no I/O and imports no AWS code.
package stats

import (
	"math"
	"time"

	"github.com/testgridkit/devicefarm"
)

// maxMixRows bounds the distinct browsers (name and version) and the
// distinct platforms that the summary tells apart; further ones are
// counted under otherLabel, so that a service sending a new name with
// every session cannot make memory grow with the number of sessions.
const maxMixRows = 500

// maxStatusRows bounds the distinct statuses: the service may add states
// (they are kept verbatim), but not one per session.
const maxStatusRows = 20

// OtherLabel collects the statuses, browsers or platforms beyond the
// limits.
const OtherLabel = "(other)"

// Aggregator summarises sessions while pages stream in. It implements
// output.SessionWriter, so the Lister of "testgrid sessions" feeds it page by
// page, and it keeps no session: its memory grows with the number of days
// and hours spanned (at most MaxChartedDays and MaxChartedHours: the
// series keep the most recent ones and sum up the others), of distinct
// browsers and platforms (at most maxMixRows each) and with the peak
// concurrency, never with the number of sessions nor with the times they
// claim. Durations go to a fixed-size durationSketch.
//
// Every statistic but concurrency is independent of the order in which
// sessions arrive; see concurrencySweep for that one.
type Aggregator struct {
	now time.Time // end of the sessions still ACTIVE
	loc *time.Location

	sessions int
	undated  int // no Created time: in the totals only
	// longDurations counts the sessions that lasted longer than a
	// time.Duration holds (about 292 years): left out of the durations.
	longDurations int
	minutes       float64
	statuses      map[devicefarm.TestGridSessionStatus]*mixAgg
	durations     durationSketch
	browsers      map[browserKey]*mixAgg
	platforms     map[string]*mixAgg
	labels        interner
	sweep         concurrencySweep
	errored       erroredKeeper

	// days holds the sessions created each day (civil day number in loc):
	// at most 2*maxDays days, the most recent ones; older days are folded
	// into earlier.
	days           map[int64]*dayAgg
	maxDays        int   // MaxChartedDays (smaller in tests)
	firstDay       int64 // the first day of all, in days or earlier
	lastDay        int64
	earlier        dayAgg
	hasEarlier     bool
	maxCreated     int64 // the latest creation (ms)
	active         bool  // a dated session still runs: the sweep ends at now
	dayKey         int64 // the day of [dayFrom, dayTo) (ms), cached
	dayFrom, dayTo int64
	dayCached      bool
}

// mixAgg counts sessions, errored sessions and billing minutes.
type mixAgg struct {
	sessions, errored int
	minutes           float64
}

// dayAgg counts the sessions created on one day, by status.
type dayAgg struct {
	byStatus [numStatusSlots]int
	minutes  float64
}

// Status slots of dayAgg.
const (
	slotActive = iota
	slotClosed
	slotErrored
	slotOther
	numStatusSlots
)

func statusSlot(s devicefarm.TestGridSessionStatus) int {
	switch s {
	case devicefarm.TestGridSessionStatusActive:
		return slotActive
	case devicefarm.TestGridSessionStatusClosed:
		return slotClosed
	case devicefarm.TestGridSessionStatusErrored:
		return slotErrored
	}
	return slotOther
}

type browserKey struct{ name, version string }

// NewAggregator returns an aggregator whose sessions still ACTIVE run
// until now, and whose days and hours are those of loc.
func NewAggregator(now time.Time, loc *time.Location) *Aggregator {
	return &Aggregator{
		now:       now,
		loc:       loc,
		statuses:  map[devicefarm.TestGridSessionStatus]*mixAgg{},
		browsers:  map[browserKey]*mixAgg{},
		platforms: map[string]*mixAgg{},
		days:      map[int64]*dayAgg{},
		maxDays:   MaxChartedDays,
		sweep:     newConcurrencySweep(loc),
		errored:   erroredKeeper{limit: DefaultErroredListed},
	}
}

// ListErrored sets how many of the newest errored sessions the summary
// lists (DefaultErroredListed unless set), from 0 to MaxErroredListed.
// It must be called before the first page.
func (a *Aggregator) ListErrored(n int) {
	a.errored.limit = min(max(n, 0), MaxErroredListed)
}

// WritePage adds a page of sessions (sessionWriter).
func (a *Aggregator) WritePage(sessions []devicefarm.TestGridSession) error {
	for i := range sessions {
		a.add(&sessions[i])
	}
	return nil
}

// Close does nothing: summary finishes the aggregation (sessionWriter).
func (*Aggregator) Close() error { return nil }

// add counts one session.
//
// Billing minutes that are NaN or infinite are left out of every sum.
// Durations are those of ended sessions (Ended and Created both set); an
// end before the start is left out of the durations and of concurrency,
// and so is one longer than a time.Duration holds (a note says how many).
// A session without a Created time counts in the totals, statuses,
// browsers and platforms, but cannot be placed on a day or in time.
func (a *Aggregator) add(s *devicefarm.TestGridSession) {
	errored := s.Status == devicefarm.TestGridSessionStatusErrored
	minutes := s.BillingMinutes
	if math.IsNaN(minutes) || math.IsInf(minutes, 0) {
		minutes = 0
	}
	a.sessions++
	a.minutes += minutes
	count(a.statuses, s.Status, OtherLabel, maxStatusRows, errored, minutes)

	info := parseBrowserInfo(s.SeleniumProperties, &a.labels)
	count(a.browsers, browserKey{info.Name, info.Version}, browserKey{name: OtherLabel}, maxMixRows, errored, minutes)
	count(a.platforms, info.Platform, OtherLabel, maxMixRows, errored, minutes)
	if errored {
		a.errored.add(s, info)
	}

	if !s.Ended.IsZero() && !s.Created.IsZero() {
		if d := s.Ended.Sub(s.Created); s.Created.Add(d).Equal(s.Ended) {
			a.durations.add(d)
		} else {
			a.longDurations++ // Sub saturated
		}
	}
	if s.Created.IsZero() {
		a.undated++
		return
	}
	d := a.day(s.Created)
	d.byStatus[statusSlot(s.Status)]++
	d.minutes += minutes

	if ms := s.Created.UnixMilli(); a.sessions-a.undated == 1 || ms > a.maxCreated {
		a.maxCreated = ms
	}
	end := s.Ended
	if end.IsZero() {
		end = a.now
		a.active = true
	}
	a.sweep.add(s.Created.UnixMilli(), end.UnixMilli())
}

// count adds a session to m[k]. Once m has limit entries, a key not in
// it is counted under other instead.
func count[K comparable](m map[K]*mixAgg, k, other K, limit int, errored bool, minutes float64) {
	c := m[k]
	if c == nil && len(m) >= limit {
		k, c = other, m[other]
	}
	if c == nil {
		c = &mixAgg{}
		m[k] = c
	}
	c.sessions++
	c.minutes += minutes
	if errored {
		c.errored++
	}
}

// day returns the counters of the day of loc that contains t. The bounds
// of the last day used are cached: sessions arrive in creation order, so
// most lookups hit it.
func (a *Aggregator) day(t time.Time) *dayAgg {
	ms := t.UnixMilli()
	if !a.dayCached || ms < a.dayFrom || ms >= a.dayTo {
		lt := t.In(a.loc)
		y, m, d := lt.Date()
		a.dayKey = civilDay(y, m, d)
		a.dayFrom = time.Date(y, m, d, 0, 0, 0, 0, a.loc).UnixMilli()
		a.dayTo = time.Date(y, m, d+1, 0, 0, 0, 0, a.loc).UnixMilli()
		a.dayCached = true
	}
	c := a.days[a.dayKey]
	if c == nil {
		c = &dayAgg{}
		first := len(a.days) == 0 && !a.hasEarlier
		if first || a.dayKey < a.firstDay {
			a.firstDay = a.dayKey
		}
		if first || a.dayKey > a.lastDay {
			a.lastDay = a.dayKey
		}
		if len(a.days) >= 2*a.maxDays {
			a.foldEarlierDays()
		}
		a.days[a.dayKey] = c
	}
	return c
}

// foldEarlierDays folds the days before the last maxDays (up to lastDay)
// into earlier.
func (a *Aggregator) foldEarlierDays() {
	from := a.lastDay - int64(a.maxDays) + 1
	for day, c := range a.days {
		if day >= from {
			continue
		}
		for i, n := range c.byStatus {
			a.earlier.byStatus[i] += n
		}
		a.earlier.minutes += c.minutes
		a.hasEarlier = true
		delete(a.days, day)
	}
}

// civilDay numbers a calendar date: days since 1970-01-01.
func civilDay(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// civilDate is the inverse of civilDay, as midnight of loc.
func civilDate(day int64, loc *time.Location) time.Time {
	y, m, d := time.Unix(day*86400, 0).UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
