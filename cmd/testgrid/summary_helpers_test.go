package main

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/testgridkit/devicefarm"
)

// This file holds the reference computations that the summary's tests
// compare with: straightforward, quadratic, and independent of the
// aggregator's streaming structures.

// interval is a session's running time [start, end), in milliseconds.
type interval struct{ start, end int64 }

// levelAt counts the intervals running at instant t.
func levelAt(ivs []interval, t int64) int {
	n := 0
	for _, iv := range ivs {
		if iv.start <= t && t < iv.end {
			n++
		}
	}
	return n
}

// refHour is an hour's start and its peak concurrency.
type refHour struct {
	start time.Time
	peak  int
}

// refConcurrency returns the peak concurrency of ivs, the first instant it
// is reached, and the peak of every UTC-aligned hour from the first start
// to the last end (the level only rises at a start, so the peak of an hour
// is its level at its start or at a start inside it).
func refConcurrency(ivs []interval) (peak int, at int64, hours []refHour) {
	var live []interval
	for _, iv := range ivs {
		if iv.end > iv.start {
			live = append(live, iv)
		}
	}
	if len(live) == 0 {
		return 0, 0, nil
	}
	first, last := live[0].start, live[0].end
	for _, iv := range live {
		first, last = min(first, iv.start), max(last, iv.end)
		if n := levelAt(live, iv.start); n > peak || (n == peak && iv.start < at) {
			peak, at = n, iv.start
		}
	}
	for h := time.UnixMilli(first).Truncate(time.Hour); !h.After(time.UnixMilli(last)); h = h.Add(time.Hour) {
		from, to := h.UnixMilli(), h.Add(time.Hour).UnixMilli()
		p := levelAt(live, from)
		for _, iv := range live {
			if iv.start >= from && iv.start < to {
				p = max(p, levelAt(live, iv.start))
			}
		}
		hours = append(hours, refHour{h, p})
	}
	return peak, at, hours
}

// refQuantile returns the nearest-rank q-quantile of durations.
func refQuantile(durations []time.Duration, q float64) time.Duration {
	s := slices.Clone(durations)
	slices.Sort(s)
	rank := int(math.Ceil(q * float64(len(s))))
	return s[min(max(rank, 1), len(s))-1]
}

// at returns testNow plus d, for building sessions.
func at(d time.Duration) time.Time { return testNow.Add(d) }

// closedSession is a CLOSED session of testProject from start to end.
func closedSession(id string, start, end time.Time) devicefarm.TestGridSession {
	return devicefarm.TestGridSession{
		Arn:            "arn:aws:devicefarm:us-west-2:111122223333:testgrid-session:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/" + id,
		Status:         devicefarm.TestGridSessionStatusClosed,
		Created:        start,
		Ended:          end,
		BillingMinutes: end.Sub(start).Minutes(),
	}
}

// inCreationOrder sorts sessions as the service lists them.
func inCreationOrder(sessions []devicefarm.TestGridSession) []devicefarm.TestGridSession {
	slices.SortStableFunc(sessions, func(a, b devicefarm.TestGridSession) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.Arn, b.Arn))
	})
	return sessions
}

// summarize aggregates sessions, as given, with the clock at testNow.
func summarize(loc *time.Location, sessions ...devicefarm.TestGridSession) *summary {
	a := newAggregator(testNow, loc)
	a.WritePage(sessions)
	return a.summary()
}
