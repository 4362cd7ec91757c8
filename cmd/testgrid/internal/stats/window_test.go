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
	require.Len(t, s.Notes, 2)
	assert.Contains(t, s.Notes[0], "outside the charted window")
	assert.Contains(t, s.Notes[0], "9999-12-31 23:59:59 UTC")
	assert.Contains(t, s.Notes[1], "1 session lasted longer than a duration can hold", "2001 to 9999 is past a time.Duration")
	assert.Zero(t, s.Durations.Ended, "not a silently capped duration")
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
			ivs = append(ivs, interval{Start: s.Created.UnixMilli(), End: s.Ended.UnixMilli()})
		}
		peak, peakAt, ref := refConcurrency(ivs)

		a := NewAggregator(testNow, time.UTC)
		a.maxDays, a.sweep.maxHours, a.sweep.maxDays = maxDays, maxHours, maxDays
		require.NoError(t, a.WritePage(sessions))
		s := a.Summary()
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
			if iv.End > iv.Start {
				maxEnd = max(maxEnd, iv.End)
			}
		}
		want := ref
		var after []refHour
		if len(ref) > 0 && maxEnd-ref[0].Start.UnixMilli() > maxHours*hourMs {
			cut := time.UnixMilli(min(maxEnd, lastStart.Add(chartedTail).UnixMilli()))
			end := cut.Truncate(time.Hour).Add(time.Hour)
			for i, h := range ref {
				if end.UnixMilli() < maxEnd && !h.Start.Before(end) {
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
			assert.Equal(t, h.Start.UnixMilli(), c.Hours[i].Start.UnixMilli(), "seed %d hour %d", seed, i)
			assert.Equal(t, h.Peak, c.Hours[i].Peak, "seed %d hour %s", seed, h.Start)
		}
		if len(before) == 0 {
			assert.Nil(t, c.Before, "seed %d", seed)
		} else if assert.NotNil(t, c.Before, "seed %d", seed) {
			assert.Equal(t, before[0].Start.UnixMilli(), c.Before.From.UnixMilli(), "seed %d", seed)
			assert.Equal(t, want[0].Start.UnixMilli(), c.Before.To.UnixMilli(), "seed %d", seed)
			assert.Equal(t, maxPeak(before), c.Before.Peak, "seed %d", seed)
		}
		if len(after) == 0 {
			assert.Nil(t, c.After, "seed %d", seed)
		} else if assert.NotNil(t, c.After, "seed %d", seed) {
			assert.Equal(t, after[0].Start.UnixMilli(), c.After.From.UnixMilli(), "seed %d", seed)
			assert.Equal(t, maxPeak(after), c.After.Peak, "seed %d", seed)
		}

		// Days: the last maxDays up to the latest creation, each with the
		// largest peak of its hours.
		dayPeak := map[string]int{}
		for _, h := range ref {
			d := h.Start.UTC().Format(time.DateOnly)
			dayPeak[d] = max(dayPeak[d], h.Peak)
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
		p = max(p, h.Peak)
	}
	return p
}
