package devicefarmtest_test

import (
	"math"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

func TestSeedDeterministic(t *testing.T) {
	a := newServer(t).Seed(projectArn, 200, 42)
	b := newServer(t).Seed(projectArn, 200, 42)
	assert.Equal(t, a, b, "same seed and Epoch")
	assert.Equal(t, a, devicefarmtest.GenerateSessions(projectArn, 200, 42, epoch))

	c := newServer(t).Seed(projectArn, 200, 43)
	assert.NotEqual(t, a, c, "different seed")
	for _, x := range a {
		assert.False(t, slices.ContainsFunc(c, func(y devicefarm.TestGridSession) bool { return y.Arn == x.Arn }), "%s in both", x.Arn)
	}

	week := 7 * 24 * time.Hour
	later := newServer(t, func(o *devicefarmtest.Options) { o.Epoch = epoch.Add(week) }).Seed(projectArn, 200, 42)
	require.Len(t, later, 200)
	assert.Equal(t, ids(a), ids(later), "same IDs")
	for i := range a {
		assert.Equal(t, a[i].Created.Add(week), later[i].Created, "times move with Epoch by whole weeks")
	}

	other := newServer(t).Seed(projectArn2, 200, 42)
	assert.Equal(t, ids(a), ids(other), "IDs depend on the seed only")
	assert.NotEqual(t, a[0].Arn, other[0].Arn)

	assert.Empty(t, devicefarmtest.GenerateSessions(projectArn, 0, 1, epoch))
	assert.Empty(t, devicefarmtest.GenerateSessions(projectArn, -1, 1, epoch))
}

func TestSeedRealistic(t *testing.T) {
	s := newServer(t)
	const n = 2000
	seeded := s.Seed(projectArn, n, 7)
	require.Len(t, seeded, n)
	assert.Equal(t, s.Sessions(projectArn), seeded, "returned in listing order, all added")

	arnRE := regexp.MustCompile(`^arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	counts := map[devicefarm.TestGridSessionStatus]int{}
	browsers := map[string]int{}
	var erroredAt []time.Time
	for _, ss := range seeded {
		counts[ss.Status]++
		assert.Regexp(t, arnRE, ss.Arn)
		assert.True(t, ss.Created.Before(epoch) && !ss.Created.Before(epoch.Add(-30*24*time.Hour)), "created %v", ss.Created)
		assert.Equal(t, time.UTC, ss.Created.Location())
		assert.Zero(t, ss.Created.Nanosecond()%int(time.Millisecond), "millisecond precision")
		if ss.Status == devicefarm.TestGridSessionStatusActive {
			assert.True(t, ss.Ended.IsZero())
			assert.Zero(t, ss.BillingMinutes)
			assert.True(t, ss.Created.After(epoch.Add(-12*time.Minute)), "an active session started just now: %v", epoch.Sub(ss.Created))
		} else {
			d := ss.Duration()
			assert.True(t, d >= 3*time.Second && d <= 25*time.Minute, "duration %v", d)
			assert.True(t, ss.Ended.Before(epoch), "ended %v", ss.Ended)
			// Billing is the duration in minutes rounded up to the hundredth.
			hundredths := ss.BillingMinutes * 100
			assert.Equal(t, math.Round(hundredths), math.Round(hundredths*1e6)/1e6, "a whole number of hundredths: %v", ss.BillingMinutes)
			billedMs := math.Round(hundredths) * 600
			assert.True(t, billedMs >= float64(d.Milliseconds()) && billedMs < float64(d.Milliseconds())+600, "billing %v for %v", ss.BillingMinutes, d)
		}
		if ss.Status == devicefarm.TestGridSessionStatusErrored {
			erroredAt = append(erroredAt, ss.Created)
		}
		props, err := ss.DecodeSeleniumProperties()
		require.NoError(t, err)
		browsers[props["browserName"].(string)]++
		assert.Contains(t, props, "browserVersion")
		assert.Contains(t, props, "platformName")
		assert.Contains(t, props, "acceptInsecureCerts")
		assert.Contains(t, props, "timeouts")
		if props["browserName"] == "chrome" {
			assert.Contains(t, props, "goog:chromeOptions")
		} else {
			assert.Contains(t, props, "moz:firefoxOptions")
		}
		assert.InDelta(t, 200, len(ss.SeleniumProperties), 80)
	}
	active := counts[devicefarm.TestGridSessionStatusActive]
	assert.True(t, active >= 2 && active <= 8, "a handful of sessions are ACTIVE now: %d", active)
	errored := counts[devicefarm.TestGridSessionStatusErrored]
	assert.InDelta(t, n*0.09, errored, n*0.06, "errored")
	assert.Len(t, browsers, 2)
	assert.Len(t, counts, 3)

	// Runs: sessions come in bursts (starts less than an hour apart), a
	// few a day, of several sessions running at once.
	var runs []int
	for i, ss := range seeded {
		if i == 0 || ss.Created.Sub(seeded[i-1].Created) > time.Hour {
			runs = append(runs, 0)
		}
		runs[len(runs)-1]++
	}
	assert.True(t, len(runs) >= 45 && len(runs) <= 120, "%d runs in 30 days", len(runs))
	slices.Sort(runs)
	assert.GreaterOrEqual(t, runs[len(runs)/2], 8, "the median run has several sessions: %v", runs)

	// Errors are clustered: most errored sessions start within 15 minutes
	// of another one.
	near := 0
	for i, at := range erroredAt {
		if i > 0 && at.Sub(erroredAt[i-1]) < 15*time.Minute || i+1 < len(erroredAt) && erroredAt[i+1].Sub(at) < 15*time.Minute {
			near++
		}
	}
	assert.Greater(t, near, len(erroredAt)*2/3, "%d of %d errored sessions are near another", near, len(erroredAt))
}

// TestSeedConcurrency: sessions of a run overlap, so the grid runs several
// at once, and every day but a few has a run.
func TestSeedConcurrency(t *testing.T) {
	seeded := devicefarmtest.GenerateSessions(projectArn, 250, 20250301, epoch)
	days := map[string]bool{}
	peak := 0
	for i, x := range seeded {
		days[x.Created.Format(time.DateOnly)] = true
		running := 0
		for _, y := range seeded[:i+1] {
			if y.Ended.IsZero() || y.Ended.After(x.Created) {
				running++
			}
		}
		peak = max(peak, running)
	}
	assert.GreaterOrEqual(t, peak, 4, "parallel sessions")
	assert.GreaterOrEqual(t, len(days), 20, "runs on most days")
}

func TestSeedAddsToProject(t *testing.T) {
	s := newServer(t)
	first := s.Seed(projectArn, 10, 1)
	second := s.Seed(projectArn, 10, 2)
	all := s.Sessions(projectArn)
	assert.Len(t, all, 20)
	assert.Subset(t, all, first)
	assert.Subset(t, all, second)
	assert.Len(t, s.Seed(projectArn, 10, 1), 10)
	assert.Len(t, s.Sessions(projectArn), 20, "re-seeding replaces sessions with the same ARN")
}

func TestSeedOtherProjectArn(t *testing.T) {
	s := newServer(t)
	const odd = "arn:aws:devicefarm:us-west-2:123456789012:project:not-a-testgrid-project"
	seeded := s.Seed(odd, 3, 1)
	for _, ss := range seeded {
		assert.Regexp(t, `^arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:[0-9a-f-]{36}/[0-9a-f-]{36}$`, ss.Arn)
	}
	out, err := s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: odd})
	require.NoError(t, err)
	assert.Equal(t, seeded, out.TestGridSessions)
}

func TestDefaultEpoch(t *testing.T) {
	now := time.Date(2024, 5, 6, 7, 8, 9, 987654321, time.UTC)
	s := devicefarmtest.NewServer(fixedClock(now))
	defer s.Close()
	assert.Equal(t, now.Truncate(time.Second), s.Epoch())
	for _, ss := range s.Seed(projectArn, 50, 1) {
		assert.True(t, ss.Created.Before(s.Epoch()))
	}
}
