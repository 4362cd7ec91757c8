package stats

import (
	"math"
	"slices"
	"time"
)

// Bounds of the charted series, so that memory never depends on the time
// a session claims: one session created in 2001 that "ended" in 9999 would
// otherwise ask for 70 million hours.
const (
	// MaxChartedHours is the most hours the per-hour series holds: 366
	// days. Hours before them are reported together (concurrencySummary's
	// Before).
	MaxChartedHours = 366 * 24
	// MaxChartedDays is the most days the per-day series holds: 10 years
	// (3,653 days). Sessions created before them are reported together
	// (summary's EarlierDays).
	MaxChartedDays = 3653
	// chartedTail is how long after the anchor (the latest start, or now
	// when a session is still ACTIVE) the hours stay charted when the
	// series would exceed MaxChartedHours: later hours are reported
	// together (concurrencySummary's After).
	chartedTail = 24 * time.Hour
)

// concurrencySweep computes how many sessions ran at the same time: the
// overall peak and when it was first reached, the peak of every hour
// (wall-clock hours of loc) from the first start to the last end, and the
// peak of every day, within bounds (see MaxChartedHours).
//
// A session occupies the half-open interval [created, end), in
// milliseconds (the service's precision), where end is Ended, or the
// clock's now for a session still ACTIVE: a session that ends at the
// instant another starts does not overlap it.
//
// Sessions must arrive in creation order, which is the order of the
// service and of devicefarmtest (ascending Created, ties by ARN). Then the
// sweep is exact: each start first retires, in time order, the sessions
// that ended at or before it, from a min-heap of end times, so the heap
// holds exactly the sessions running at that instant. Memory grows with
// the peak concurrency (the heap), and with the hours and days spanned up
// to fixed bounds: never with the number of sessions, nor with the time
// they claim. The hourly series keeps at most 2*maxHours hours while
// sessions arrive and the last maxHours once finished, older ones being
// folded into before; a stretch of more than maxHours hours without an
// event is skipped in one step, so time does not grow with the span
// either. The daily peaks keep the days that the per-day rows can show.
// The overall peak and its instant are exact whatever the span.
//
// A session that arrives out of order (created before a session already
// seen) cannot be placed exactly without keeping every interval. It is
// clamped instead: counted from the latest start seen so far, if it is
// still running then, else not at all. Every overlap counted is then a
// real one, so the peak and the hourly series become lower bounds; exact
// reports false and outOfOrder counts such sessions.
type concurrencySweep struct {
	loc *time.Location
	// The bounds: MaxChartedHours and MaxChartedDays (smaller in tests).
	maxHours, maxDays int

	ends    endHeap // end times of the sessions running at lastStart
	started bool
	last    int64 // latest start seen (ms)
	maxEnd  int64 // latest end seen (ms)

	peak   int
	peakAt int64 // ms; first instant the peak was reached

	outOfOrder int

	// The hour being swept, [hourStart, hourEnd), and its peak so far;
	// finished hours are in hours (at most 2*maxHours of them, maxHours
	// once finished), older ones in before.
	firstHour          int64 // the first hour's start (ms)
	hourStart, hourEnd int64
	hourPeak           int
	hours              []hourPeak
	before, after      hoursOutside

	// dayPeaks is the largest hourly peak of each civil day of loc (see
	// civilDay), for the days that the per-day rows may show: days too old
	// are pruned while sessions arrive, and finish records only the days
	// from dayLo to dayHi.
	dayPeaks     map[int64]int
	finishing    bool
	dayLo, dayHi int64
}

// hourPeak is the largest number of sessions running at one instant in
// the hour that starts at Start.
type hourPeak struct {
	Start time.Time
	Peak  int
}

// hoursOutside sums up hours that the series does not chart: from the
// start of the first to the end of the last (ms), and their peak.
type hoursOutside struct {
	set      bool
	from, to int64
	peak     int
}

// add extends o with the hours from from to to (ms), whose peak is peak.
func (o *hoursOutside) add(from, to int64, peak int) {
	if !o.set {
		o.set, o.from, o.to = true, from, to
	}
	o.from, o.to, o.peak = min(o.from, from), max(o.to, to), max(o.peak, peak)
}

// newConcurrencySweep returns a sweep of the hours and days of loc, with
// the default bounds.
func newConcurrencySweep(loc *time.Location) concurrencySweep {
	return concurrencySweep{loc: loc, maxHours: MaxChartedHours, maxDays: MaxChartedDays, dayPeaks: map[int64]int{}}
}

// add records a session running from created to end (ms).
func (c *concurrencySweep) add(created, end int64) {
	if c.started && created < c.last {
		c.outOfOrder++
		created = c.last
	}
	if end <= created {
		return // empty (or, clamped, already over): never running
	}
	if !c.started {
		c.started = true
		c.hourStart = hourStartOf(created, c.loc)
		c.hourEnd = hourStartOf(c.hourStart+hourMs, c.loc)
		c.firstHour = c.hourStart
	}
	c.retire(created)
	c.advance(created)
	c.ends.push(end)
	c.last = created
	c.maxEnd = max(c.maxEnd, end)
	if n := len(c.ends); n > c.hourPeak {
		c.hourPeak = n
	}
	if n := len(c.ends); n > c.peak {
		c.peak, c.peakAt = n, created
	}
}

// retire removes the sessions that ended at or before t, in time order,
// sweeping the hours up to each end time so that the hourly series sees
// each decrease. Sessions ending at the same instant leave together: the
// level in between is not a level at any instant.
func (c *concurrencySweep) retire(t int64) {
	for len(c.ends) > 0 && c.ends[0] <= t {
		end := c.ends[0]
		c.advance(end)
		for len(c.ends) > 0 && c.ends[0] == end {
			c.ends.pop()
		}
		if c.hourStart == end {
			c.hourPeak = max(c.hourPeak, len(c.ends))
		}
	}
}

// advance moves the sweep to time t (at or after every event so far),
// closing the hours that end at or before t. An hour that starts before t
// starts at the current level (nothing happens between two events), which
// is where its peak starts; an hour that starts exactly at t starts at the
// level after the events at t, which retire and add record.
//
// Hours more than maxHours before t cannot be charted: when there are
// such hours between two events, they all have the current level as
// their peak, and are skipped in one step into before, so that the cost
// does not grow with the time between two events either.
func (c *concurrencySweep) advance(t int64) {
	for t >= c.hourEnd {
		c.closeHour()
		next := c.hourEnd
		if t-next > int64(c.maxHours+4)*hourMs {
			skipTo := hourStartOf(t-int64(c.maxHours+3)*hourMs, c.loc)
			c.before.add(next, skipTo, len(c.ends))
			c.recordDays(next, skipTo, len(c.ends))
			next = skipTo
		}
		c.hourStart = next
		c.hourEnd = hourStartOf(c.hourStart+hourMs, c.loc)
		c.hourPeak = 0
		if c.hourStart < t {
			c.hourPeak = len(c.ends)
		}
	}
}

// closeHour appends the hour being swept to the series, keeping at most
// 2*maxHours hours.
func (c *concurrencySweep) closeHour() {
	start := time.UnixMilli(c.hourStart).In(c.loc)
	c.hours = append(c.hours, hourPeak{start, c.hourPeak})
	y, m, d := start.Date()
	c.recordDay(civilDay(y, m, d), c.hourPeak)
	if len(c.hours) > 2*c.maxHours {
		c.trimHours()
	}
}

// trimHours keeps the last maxHours hours, folding the others into before.
func (c *concurrencySweep) trimHours() {
	drop := len(c.hours) - c.maxHours
	if drop <= 0 {
		return
	}
	peak := 0
	for _, h := range c.hours[:drop] {
		peak = max(peak, h.Peak)
	}
	c.before.add(c.hours[0].Start.UnixMilli(), c.hours[drop].Start.UnixMilli(), peak)
	c.hours = slices.Delete(c.hours, 0, drop)
}

// recordDay raises the peak of day to peak. While sessions arrive, days
// more than maxDays before the day recorded are pruned once the map holds
// 2*maxDays of them: the per-day rows end at the latest creation day,
// which is at or after every day recorded then. Finishing, only the days
// from dayLo to dayHi are recorded.
func (c *concurrencySweep) recordDay(day int64, peak int) {
	if c.finishing && (day < c.dayLo || day > c.dayHi) {
		return
	}
	if _, ok := c.dayPeaks[day]; !ok && !c.finishing && len(c.dayPeaks) >= 2*c.maxDays+4 {
		for d := range c.dayPeaks {
			if d < day-int64(c.maxDays)-2 {
				delete(c.dayPeaks, d)
			}
		}
	}
	c.dayPeaks[day] = max(c.dayPeaks[day], peak)
}

// recordDays records peak for the days of the hours from from to to (ms),
// skipped in one step: the last maxDays+2 of them at most, the others
// being too old to show.
func (c *concurrencySweep) recordDays(from, to int64, peak int) {
	y, m, d := time.UnixMilli(from).In(c.loc).Date()
	first := civilDay(y, m, d)
	y, m, d = time.UnixMilli(to - 1).In(c.loc).Date()
	last := civilDay(y, m, d)
	first = max(first, last-int64(c.maxDays)-2)
	if c.finishing {
		first, last = max(first, c.dayLo), min(last, c.dayHi)
	}
	for day := first; day <= last; day++ {
		c.recordDay(day, peak)
	}
}

// finish retires every session still running and closes the last hour,
// keeping the last maxHours hours. The sweep must not be used afterwards.
//
// anchor (ms) is the latest start, or now when a session is still ACTIVE,
// and lastDay the last civil day that the per-day rows show. When the
// series from the first start to the last end exceeds maxHours, it ends
// with the hour that contains chartedTail after anchor (or the last end,
// if sooner); the hours after it are summed up in after.
func (c *concurrencySweep) finish(anchor, lastDay int64) {
	if !c.started {
		return
	}
	c.finishing, c.dayLo, c.dayHi = true, lastDay-int64(c.maxDays)-2, lastDay
	defer func() { c.ends = nil }()
	if c.maxEnd-c.firstHour > int64(c.maxHours)*hourMs {
		cut := min(c.maxEnd, anchor+int64(chartedTail/time.Millisecond))
		end := hourStartOf(hourStartOf(cut, c.loc)+hourMs, c.loc) // of cut's hour
		if end < c.maxEnd {
			c.retire(end - 1)
			c.advance(end) // closes the hours up to end
			running := 0
			for _, e := range c.ends {
				if e > end {
					running++
				}
			}
			// No session starts after end: the level only falls, so
			// the level at end is the peak of every later hour.
			c.after = hoursOutside{set: true, from: end, to: c.maxEnd, peak: running}
			c.trimHours()
			return
		}
	}
	c.retire(math.MaxInt64)
	c.closeHour()
	c.trimHours()
}

const hourMs = int64(time.Hour / time.Millisecond)

// hourStartOf returns the start (ms) of the wall-clock hour of loc that
// contains t: t minus its minutes, seconds and milliseconds there. Hours
// stay distinct and increasing across daylight-saving changes, and follow
// zones whose offset is not whole hours.
func hourStartOf(t int64, loc *time.Location) int64 {
	lt := time.UnixMilli(t).In(loc)
	into := int64(lt.Minute())*60_000 + int64(lt.Second())*1000 + int64(lt.Nanosecond())/1e6
	return t - into
}

// endHeap is a binary min-heap of end times (ms). It is written out
// rather than built on container/heap, whose interface would box every
// int64 pushed: one allocation per session.
type endHeap []int64

func (h *endHeap) push(v int64) {
	*h = append(*h, v)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p] <= s[i] {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *endHeap) pop() int64 {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	for i := 0; ; {
		l, small := 2*i+1, i
		if l < n && s[l] < s[small] {
			small = l
		}
		if r := l + 1; r < n && s[r] < s[small] {
			small = r
		}
		if small == i {
			break
		}
		s[i], s[small] = s[small], s[i]
		i = small
	}
	*h = s
	return top
}
