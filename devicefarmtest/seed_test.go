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

	later := newServer(t, func(o *devicefarmtest.Options) { o.Epoch = epoch.Add(time.Hour) }).Seed(projectArn, 200, 42)
	require.Len(t, later, 200)
	assert.Equal(t, ids(a), ids(later), "same IDs")
	assert.Equal(t, a[0].Created.Add(time.Hour), later[0].Created, "times move with Epoch")

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
	active, olderHalf := 0, 0
	for _, ss := range seeded {
		counts[ss.Status]++
		assert.Regexp(t, arnRE, ss.Arn)
		assert.True(t, ss.Created.Before(epoch) && !ss.Created.Before(epoch.Add(-30*24*time.Hour)), "created %v", ss.Created)
		assert.Equal(t, time.UTC, ss.Created.Location())
		assert.Zero(t, ss.Created.Nanosecond()%int(time.Millisecond), "millisecond precision")
		if ss.Status == devicefarm.TestGridSessionStatusActive {
			assert.True(t, ss.Ended.IsZero())
			assert.Zero(t, ss.BillingMinutes)
			assert.True(t, ss.Created.After(epoch.Add(-3*time.Hour)), "an active session started recently: %v", epoch.Sub(ss.Created))
			active++
		} else {
			d := ss.Duration()
			assert.True(t, d >= 3*time.Second && d <= time.Hour, "duration %v", d)
			assert.True(t, ss.Ended.Before(epoch), "ended %v", ss.Ended)
			if ss.Created.Before(epoch.Add(-15 * 24 * time.Hour)) {
				olderHalf++
			}
			// Billing is the duration in minutes rounded up to the hundredth.
			hundredths := ss.BillingMinutes * 100
			assert.Equal(t, math.Round(hundredths), math.Round(hundredths*1e6)/1e6, "a whole number of hundredths: %v", ss.BillingMinutes)
			billedMs := math.Round(hundredths) * 600
			assert.True(t, billedMs >= float64(d.Milliseconds()) && billedMs < float64(d.Milliseconds())+600, "billing %v for %v", ss.BillingMinutes, d)
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
	assert.InDelta(t, n*0.1, counts[devicefarm.TestGridSessionStatusActive], n*0.04)
	assert.InDelta(t, n*0.8, counts[devicefarm.TestGridSessionStatusClosed], n*0.04)
	assert.InDelta(t, n*0.1, counts[devicefarm.TestGridSessionStatusErrored], n*0.04)
	assert.Len(t, browsers, 2)
	assert.Len(t, counts, 3)
	// Ended sessions spread over the 30 days: about half in the older 15.
	assert.InDelta(t, (n-active)/2, olderHalf, n*0.06)
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
