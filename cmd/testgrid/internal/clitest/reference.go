package clitest

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

// Interval is a session's running time [start, end), in milliseconds.
type Interval struct{ Start, End int64 }

// levelAt counts the intervals running at instant t.
func levelAt(ivs []Interval, t int64) int {
	n := 0
	for _, iv := range ivs {
		if iv.Start <= t && t < iv.End {
			n++
		}
	}
	return n
}

// RefHour is an hour's start and its peak concurrency.
type RefHour struct {
	Start time.Time
	Peak  int
}

// RefConcurrency returns the peak concurrency of ivs, the first instant it
// is reached, and the peak of every UTC-aligned hour from the first start
// to the last end (the level only rises at a start, so the peak of an hour
// is its level at its start or at a start inside it).
func RefConcurrency(ivs []Interval) (peak int, at int64, hours []RefHour) {
	var live []Interval
	for _, iv := range ivs {
		if iv.End > iv.Start {
			live = append(live, iv)
		}
	}
	if len(live) == 0 {
		return 0, 0, nil
	}
	first, last := live[0].Start, live[0].End
	for _, iv := range live {
		first, last = min(first, iv.Start), max(last, iv.End)
		if n := levelAt(live, iv.Start); n > peak || (n == peak && iv.Start < at) {
			peak, at = n, iv.Start
		}
	}
	for h := time.UnixMilli(first).Truncate(time.Hour); !h.After(time.UnixMilli(last)); h = h.Add(time.Hour) {
		from, to := h.UnixMilli(), h.Add(time.Hour).UnixMilli()
		p := levelAt(live, from)
		for _, iv := range live {
			if iv.Start >= from && iv.Start < to {
				p = max(p, levelAt(live, iv.Start))
			}
		}
		hours = append(hours, RefHour{h, p})
	}
	return peak, at, hours
}

// RefQuantile returns the nearest-rank q-quantile of durations.
func RefQuantile(durations []time.Duration, q float64) time.Duration {
	s := slices.Clone(durations)
	slices.Sort(s)
	rank := int(math.Ceil(q * float64(len(s))))
	return s[min(max(rank, 1), len(s))-1]
}

// At returns Now plus d, for building sessions.
func At(d time.Duration) time.Time { return Now.Add(d) }

// ClosedSession is a CLOSED session of Project from start to end.
func ClosedSession(id string, start, end time.Time) devicefarm.TestGridSession {
	return devicefarm.TestGridSession{
		Arn:            "arn:aws:devicefarm:us-west-2:111122223333:testgrid-session:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/" + id,
		Status:         devicefarm.TestGridSessionStatusClosed,
		Created:        start,
		Ended:          end,
		BillingMinutes: end.Sub(start).Minutes(),
	}
}

// InCreationOrder sorts sessions as the service lists them.
func InCreationOrder(sessions []devicefarm.TestGridSession) []devicefarm.TestGridSession {
	slices.SortStableFunc(sessions, func(a, b devicefarm.TestGridSession) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.Arn, b.Arn))
	})
	return sessions
}

// OverlapSessions are five sessions with known overlaps, on the day after
// Now (so none is cut by the clock):
//
//	A 10:00-11:00  ████████████
//	B 10:30-10:45        ███
//	C 10:40-12:00          ████████████████
//	D 10:45-10:50             █        (starts as B ends: no overlap)
//	E 11:00-11:10              ██      (starts as A ends: no overlap)
//
// Three run at once from 10:40 (A, B, C), and again from 10:45 (A, C, D).
func OverlapSessions() []devicefarm.TestGridSession {
	day := time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC)
	hm := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	return []devicefarm.TestGridSession{
		ClosedSession("a", hm(10, 0), hm(11, 0)),
		ClosedSession("b", hm(10, 30), hm(10, 45)),
		ClosedSession("c", hm(10, 40), hm(12, 0)),
		ClosedSession("d", hm(10, 45), hm(10, 50)),
		ClosedSession("e", hm(11, 0), hm(11, 10)),
	}
}

// AbsurdSession claims to run from 2001-09-09 to the last second of 9999:
// {"created":1000000000,"ended":253402300799} on the wire. Charting every
// hour it spans would take 70 million hours.
func AbsurdSession() devicefarm.TestGridSession {
	return ClosedSession("absurd", time.Unix(1_000_000_000, 0), time.Unix(253402300799, 0))
}

// AbsurdPlusNormal is AbsurdSession and OverlapSessions, in creation order.
func AbsurdPlusNormal() []devicefarm.TestGridSession {
	return append([]devicefarm.TestGridSession{AbsurdSession()}, OverlapSessions()...)
}
