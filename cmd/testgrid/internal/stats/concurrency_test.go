package stats

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
)

func TestSummaryConcurrencyByHand(t *testing.T) {
	t.Parallel()
	s := summarize(time.UTC, overlapSessions()...)
	c := s.Concurrency
	assert.Equal(t, 3, c.Peak)
	assert.Equal(t, time.Date(2025, 3, 11, 10, 40, 0, 0, time.UTC), c.PeakAt.UTC(), "first reached at C's start")
	assert.True(t, c.Exact)
	var hours []string
	for _, h := range c.Hours {
		hours = append(hours, fmt.Sprintf("%s=%d", h.Start.Format("15:04"), h.Peak))
	}
	assert.Equal(t, []string{"10:00=3", "11:00=2", "12:00=0"}, hours,
		"11:00: A has ended, C and E run; 12:00: C ended on the hour")
	require.Len(t, s.Days, 1)
	assert.Equal(t, 3, s.Days[0].PeakConcurrency)
}

func TestSummaryConcurrencyMatchesBruteForce(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var sessions []devicefarm.TestGridSession
		for i := range 150 + rng.IntN(150) {
			// Minutes on a coarse grid, so that starts, ends and hour
			// boundaries often coincide.
			start := at(time.Duration(rng.IntN(48*12)) * 5 * time.Minute)
			end := start.Add(time.Duration(rng.IntN(24)) * 5 * time.Minute) // zero-length too
			sessions = append(sessions, closedSession(fmt.Sprint(i), start, end))
		}
		inCreationOrder(sessions)
		var ivs []interval
		for _, s := range sessions {
			ivs = append(ivs, interval{Start: s.Created.UnixMilli(), End: s.Ended.UnixMilli()})
		}
		peak, peakAt, hours := refConcurrency(ivs)

		c := summarize(time.UTC, sessions...).Concurrency
		require.True(t, c.Exact)
		assert.Equal(t, peak, c.Peak, "seed %d", seed)
		assert.Equal(t, peakAt, c.PeakAt.UnixMilli(), "seed %d", seed)
		require.Len(t, c.Hours, len(hours), "seed %d", seed)
		for i, h := range hours {
			assert.Equal(t, h.Start.UnixMilli(), c.Hours[i].Start.UnixMilli(), "seed %d hour %d", seed, i)
			assert.Equal(t, h.Peak, c.Hours[i].Peak, "seed %d hour %s", seed, h.Start)
		}
	}
}

func TestSummaryConcurrencyOutOfOrder(t *testing.T) {
	t.Parallel()
	hm := func(h, m int) time.Time { return at(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	sessions := []devicefarm.TestGridSession{
		closedSession("a", hm(10, 0), hm(10, 30)),
		closedSession("b", hm(11, 0), hm(11, 30)),
		// Late: created before b, and over before b started.
		closedSession("c", hm(10, 10), hm(10, 20)),
		closedSession("d", hm(10, 15), hm(10, 25)),
		// Late, still running when b started: counted from b's start.
		closedSession("e", hm(10, 50), hm(11, 10)),
	}
	c := summarize(time.UTC, sessions...).Concurrency
	assert.False(t, c.Exact)
	assert.Equal(t, 3, c.OutOfOrder)
	assert.Equal(t, 2, c.Peak, "b and e (clamped to 11:00); the true peak is 3 (a, c, d at 10:15)")
	assert.Equal(t, hm(11, 0), c.PeakAt)

	// In order, the same sessions give the true figures.
	c = summarize(time.UTC, inCreationOrder(sessions)...).Concurrency
	assert.True(t, c.Exact)
	assert.Equal(t, 3, c.Peak)
	assert.Equal(t, hm(10, 15), c.PeakAt)
}

func TestSummaryConcurrencyOutOfOrderIsALowerBound(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	var sessions []devicefarm.TestGridSession
	for i := range 200 {
		start := at(time.Duration(rng.IntN(24*60)) * time.Minute)
		sessions = append(sessions, closedSession(fmt.Sprint(i), start, start.Add(time.Duration(1+rng.IntN(90))*time.Minute)))
	}
	exact := summarize(time.UTC, inCreationOrder(sessions)...).Concurrency
	// Swap neighbours here and there, as a service with a coarser sort
	// key might.
	for i := 0; i+1 < len(sessions); i += 7 {
		sessions[i], sessions[i+1] = sessions[i+1], sessions[i]
	}
	approx := summarize(time.UTC, sessions...).Concurrency
	require.False(t, approx.Exact)
	assert.Positive(t, approx.OutOfOrder)
	assert.LessOrEqual(t, approx.Peak, exact.Peak)
	assert.GreaterOrEqual(t, approx.Peak, exact.Peak-approx.OutOfOrder, "each late session costs at most one")
	byStart := map[int64]int{}
	for _, h := range exact.Hours {
		byStart[h.Start.UnixMilli()] = h.Peak
	}
	for _, h := range approx.Hours {
		assert.LessOrEqual(t, h.Peak, byStart[h.Start.UnixMilli()], h.Start)
	}
}

func TestSummaryConcurrencyActiveRunsUntilNow(t *testing.T) {
	t.Parallel()
	running := closedSession("running", at(-90*time.Minute), time.Time{})
	running.Status, running.BillingMinutes = devicefarm.TestGridSessionStatusActive, 0
	s := summarize(time.UTC,
		running,
		closedSession("short", at(-80*time.Minute), at(-70*time.Minute)),
		closedSession("late", at(-5*time.Minute), at(-time.Minute)),
	)
	assert.Equal(t, 2, s.Concurrency.Peak)
	assert.Equal(t, at(-80*time.Minute), s.Concurrency.PeakAt)
	hours := s.Concurrency.Hours
	require.Len(t, hours, 3, "10:00 to the hour of now, 12:00")
	assert.Equal(t, testNow, hours[2].Start.UTC())
	assert.Equal(t, 0, hours[2].Peak, "now is on the hour: the active session's interval ends there")
	assert.Equal(t, 2, hours[1].Peak, "11:55: the active session and late")
	assert.Equal(t, 2, s.Durations.Ended, "the active session has no duration")
}

func TestSummaryHoursFollowTheZone(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		zone  string
		start time.Time
	}{
		// Clocks go back at 02:00 EDT: 01:00-02:00 comes twice.
		{"America/New_York", time.Date(2025, 11, 2, 4, 30, 0, 0, time.UTC)},
		// Clocks go forward at 02:00 CET: 02:00-03:00 does not exist.
		{"Europe/Paris", time.Date(2025, 3, 30, 0, 30, 0, 0, time.UTC)},
		{"Asia/Kolkata", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}, // +05:30
	} {
		t.Run(tt.zone, func(t *testing.T) {
			t.Parallel()
			loc, err := time.LoadLocation(tt.zone)
			require.NoError(t, err)
			s := summarize(loc, closedSession("x", tt.start, tt.start.Add(4*time.Hour)))
			hours := s.Concurrency.Hours
			require.NotEmpty(t, hours)
			for i, h := range hours {
				assert.Equal(t, loc, h.Start.Location())
				assert.Zero(t, h.Start.Minute(), "an hour starts on the hour, in %s", tt.zone)
				assert.Equal(t, 1, h.Peak)
				if i > 0 {
					assert.Equal(t, time.Hour, h.Start.Sub(hours[i-1].Start), "hours are distinct and consecutive")
				}
			}
		})
	}
}

func TestSummaryEndHeap(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	var h endHeap
	var want []int64
	for range 500 {
		v := rng.Int64N(100)
		h.push(v)
		want = append(want, v)
	}
	var got []int64
	for len(h) > 0 {
		got = append(got, h.pop())
	}
	assert.IsNonDecreasing(t, got)
	assert.ElementsMatch(t, want, got)
}
