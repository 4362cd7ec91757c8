package devicefarmtest_test

import (
	"encoding/json"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// simClock is a clock that tests move by hand.
type simClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *simClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// simServer returns a server on a clock that the test moves.
func simServer(t *testing.T) (*devicefarmtest.Server, *simClock) {
	clock := &simClock{now: epoch}
	return newServer(t, func(o *devicefarmtest.Options) { o.Now = clock.Now }), clock
}

// listed lists the sessions of projectArn over the wire (signed by the
// server's clock, as a client's clock-skew correction signs), with extra
// request members.
func listed(t *testing.T, s *devicefarmtest.Server, extra ...string) []devicefarm.TestGridSession {
	t.Helper()
	var out []devicefarm.TestGridSession
	for _, raw := range callPage(t, s, listBody("", extra...)).Sessions {
		var ss struct {
			Arn            string
			Status         devicefarm.TestGridSessionStatus
			Ended          float64
			BillingMinutes float64
		}
		require.NoError(t, json.Unmarshal(raw, &ss))
		out = append(out, devicefarm.TestGridSession{Arn: ss.Arn, Status: ss.Status,
			Ended: time.UnixMilli(int64(math.Round(ss.Ended * 1000))).UTC(), BillingMinutes: ss.BillingMinutes})
	}
	return out
}

func TestEndSession(t *testing.T) {
	s, clock := simServer(t)
	running := session("running", active, epoch.Add(-90*time.Minute+123*time.Millisecond), time.Time{})
	done := session("done", closed, epoch.Add(-3*time.Hour), epoch.Add(-2*time.Hour))
	s.AddSessions(projectArn, running, done)

	clock.advance(7 * time.Hour) // simulated: no time passes
	got, err := s.EndSession(running.Arn, errored)
	require.NoError(t, err)
	assert.Equal(t, errored, got.Status)
	assert.Equal(t, epoch.Add(7*time.Hour), got.Ended)
	assert.Equal(t, 510.0, got.BillingMinutes, "8h30m minus 123ms, rounded up to the hundredth")

	onWire := listed(t, s, `"status":"ERRORED"`)
	require.Len(t, onWire, 1)
	assert.Equal(t, running.Arn, onWire[0].Arn)
	assert.Equal(t, got.Ended, onWire[0].Ended)
	assert.Equal(t, got.BillingMinutes, onWire[0].BillingMinutes)

	tests := []struct {
		name   string
		arn    string
		status devicefarm.TestGridSessionStatus
		err    error
	}{
		{"already ended by EndSession", running.Arn, closed, devicefarmtest.ErrSessionNotActive},
		{"added ended", done.Arn, closed, devicefarmtest.ErrSessionNotActive},
		{"unknown", running.Arn + "-other", closed, devicefarmtest.ErrNoSession},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.EndSession(tt.arn, tt.status)
			require.ErrorIs(t, err, tt.err)
		})
	}
	for _, status := range []devicefarm.TestGridSessionStatus{active, "", "DONE"} {
		_, err := s.EndSession(running.Arn, status)
		require.Error(t, err, status)
		assert.Contains(t, err.Error(), "CLOSED or ERRORED")
	}
}

func TestAddSessionsVisibleAt(t *testing.T) {
	s, clock := simServer(t)
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	early := session("early", active, epoch.Add(-time.Minute), time.Time{})
	late := session("late", active, epoch.Add(-2*time.Minute), time.Time{})
	later := session("later", active, epoch.Add(-3*time.Minute), time.Time{})
	s.AddSessionsVisibleAt(projectArn, epoch, early) // visible from now: AddSessions
	s.AddSessionsVisibleAt(projectArn, epoch.Add(5*time.Minute), late)
	s.AddSessionsVisibleAt(projectArn, epoch.Add(2*time.Hour), later)
	listIDs := func() []string {
		return ids(listed(t, s))
	}

	assert.Equal(t, []string{"early"}, listIDs())
	assert.Equal(t, 2, s.PendingSessions())
	p, _ := s.Project(projectArn)
	assert.Equal(t, 1, p.Sessions, "a session not visible is not counted")

	clock.advance(5*time.Minute - time.Millisecond)
	assert.Equal(t, []string{"early"}, listIDs())
	clock.advance(time.Millisecond)
	assert.Equal(t, []string{"late", "early"}, listIDs(), "listed in creation order, before a session created after it")

	// A session not yet visible can end; it appears ended.
	ended, err := s.EndSession(later.Arn, closed)
	require.NoError(t, err)
	assert.Equal(t, epoch.Add(5*time.Minute), ended.Ended)
	assert.Len(t, s.Sessions(projectArn), 2)
	clock.advance(2 * time.Hour)
	got := s.Sessions(projectArn)
	require.Len(t, got, 3)
	assert.Equal(t, "later", got[0].ID())
	assert.Equal(t, closed, got[0].Status)
	assert.Equal(t, 0, s.PendingSessions())
}

func TestAddSessionsVisibleAt_ForgottenWithItsProject(t *testing.T) {
	s, clock := simServer(t)
	s.AddSessionsVisibleAt(projectArn, epoch.Add(time.Minute), session("x", active, epoch, time.Time{}))
	_, ok := s.Project(projectArn)
	require.True(t, ok, "the project is registered at once")
	require.True(t, s.DeleteProject(projectArn))
	clock.advance(time.Hour)
	assert.Nil(t, s.Sessions(projectArn))
	_, ok = s.Project(projectArn)
	assert.False(t, ok)

	s.AddSessionsVisibleAt(projectArn2, epoch.Add(2*time.Hour), session("y", active, epoch, time.Time{}))
	s.ClearProjects()
	assert.Equal(t, 0, s.PendingSessions())
}
