package main

import (
	"math"
	"time"
)

// concurrencySweep computes how many sessions ran at the same time: the
// overall peak and when it was first reached, and the peak of every hour
// (wall-clock hours of loc) from the first start to the last end.
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
// the peak concurrency (the heap) and the number of hours (the series),
// never with the number of sessions.
//
// A session that arrives out of order (created before a session already
// seen) cannot be placed exactly without keeping every interval. It is
// clamped instead: counted from the latest start seen so far, if it is
// still running then, else not at all. Every overlap counted is then a
// real one, so the peak and the hourly series become lower bounds; exact
// reports false and outOfOrder counts such sessions.
type concurrencySweep struct {
	loc *time.Location

	ends    endHeap // end times of the sessions running at lastStart
	started bool
	last    int64 // latest start seen (ms)

	peak   int
	peakAt int64 // ms; first instant the peak was reached

	outOfOrder int

	// The hour being swept, [hourStart, hourEnd), and its peak so far;
	// finished hours are in hours.
	hourStart, hourEnd int64
	hourPeak           int
	hours              []hourPeak
}

// hourPeak is the largest number of sessions running at one instant in
// the hour that starts at Start.
type hourPeak struct {
	Start time.Time
	Peak  int
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
	}
	c.retire(created)
	c.advance(created)
	c.ends.push(end)
	c.last = created
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
func (c *concurrencySweep) advance(t int64) {
	for t >= c.hourEnd {
		c.hours = append(c.hours, hourPeak{time.UnixMilli(c.hourStart).In(c.loc), c.hourPeak})
		c.hourStart = c.hourEnd
		c.hourEnd = hourStartOf(c.hourStart+hourMs, c.loc)
		c.hourPeak = 0
		if c.hourStart < t {
			c.hourPeak = len(c.ends)
		}
	}
}

// finish retires every session still running and closes the last hour.
// The sweep must not be used afterwards.
func (c *concurrencySweep) finish() {
	if !c.started {
		return
	}
	c.retire(math.MaxInt64)
	c.hours = append(c.hours, hourPeak{time.UnixMilli(c.hourStart).In(c.loc), c.hourPeak})
	c.ends = nil
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
