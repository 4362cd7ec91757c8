package devicefarm_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// The watcher's tests run hours of simulated time in milliseconds: one
// simulated clock drives the fake's clock, the client's signing clock and
// the watcher's Now, and the watcher's Sleep advances it, carrying out the
// changes a scenario scheduled for the time it passes.

const watchProject = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:watch-0001"

var watchStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// simGrid is a fake Device Farm whose time is simulated.
type simGrid struct {
	t   *testing.T
	srv *devicefarmtest.Server

	mu     sync.Mutex
	now    time.Time
	offset time.Duration // the server's clock minus the local one
	plan   []planned
	end    time.Time
	cancel context.CancelFunc
}

type planned struct {
	at time.Time
	do func()
}

func newSimGrid(t *testing.T, offset time.Duration) *simGrid {
	t.Helper()
	g := &simGrid{t: t, now: watchStart, offset: offset}
	g.srv = devicefarmtest.NewServer(func(o *devicefarmtest.Options) {
		o.Now = func() time.Time { return g.Now().Add(g.offset) }
	})
	t.Cleanup(g.srv.Close)
	g.srv.AddProject(devicefarmtest.Project{Arn: watchProject})
	return g
}

// Now is the local clock.
func (g *simGrid) Now() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.now
}

// serverTime is the server's time at local offset d from watchStart.
func (g *simGrid) serverTime(d time.Duration) time.Time { return watchStart.Add(g.offset + d) }

// at schedules do at local offset d from watchStart.
func (g *simGrid) at(d time.Duration, do func()) {
	g.plan = append(g.plan, planned{watchStart.Add(d), do})
	sort.SliceStable(g.plan, func(i, j int) bool { return g.plan[i].at.Before(g.plan[j].at) })
}

// sleep is the watcher's Sleep: it advances the clock by d, carrying out
// what was planned on the way, and ends the run past its end.
func (g *simGrid) sleep(ctx context.Context, d time.Duration) error {
	target := g.Now().Add(d)
	for len(g.plan) > 0 && !g.plan[0].at.After(target) {
		p := g.plan[0]
		g.plan = g.plan[1:]
		g.set(p.at)
		p.do()
	}
	g.set(target)
	if !g.end.IsZero() && target.After(g.end) {
		g.cancel()
	}
	return ctx.Err()
}

func (g *simGrid) set(t time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t.After(g.now) {
		g.now = t
	}
}

// session is a session of the project created at server offset created.
func (g *simGrid) session(id string, created time.Duration) devicefarm.TestGridSession {
	return devicefarm.TestGridSession{
		Arn:     "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:watch-0001/" + id,
		Status:  devicefarm.TestGridSessionStatusActive,
		Created: g.serverTime(created),
	}
}

// end returns s ended with status at server offset ended.
func (g *simGrid) ended(s devicefarm.TestGridSession, status devicefarm.TestGridSessionStatus, ended time.Duration) devicefarm.TestGridSession {
	s.Status, s.Ended = status, g.serverTime(ended)
	s.BillingMinutes = s.Ended.Sub(s.Created).Minutes()
	return s
}

// endNow ends the ACTIVE session s with status at the fake's current time.
func (g *simGrid) endNow(s devicefarm.TestGridSession, status devicefarm.TestGridSessionStatus) {
	g.t.Helper()
	_, err := g.srv.EndSession(s.Arn, status)
	require.NoError(g.t, err)
}

// watch runs a watcher until the simulated clock passes local offset until
// (or the loop stops itself) and returns the events and errors it yielded.
func (g *simGrid) watch(until time.Duration, optFns ...func(*devicefarm.SessionWatcherOptions)) (*devicefarm.SessionWatcher, []devicefarm.SessionEvent, []error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g.end, g.cancel = watchStart.Add(until), cancel
	client := g.srv.Client(devicefarm.WithClock(g.Now))
	opts := append([]func(*devicefarm.SessionWatcherOptions){func(o *devicefarm.SessionWatcherOptions) {
		o.Sleep, o.Now = g.sleep, g.Now
	}}, optFns...)
	w := devicefarm.NewSessionWatcher(client, &devicefarm.ListTestGridSessionsInput{ProjectArn: watchProject}, opts...)
	var events []devicefarm.SessionEvent
	var errs []error
	for ev, err := range w.Events(ctx) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		events = append(events, ev)
	}
	return w, events, errs
}

// lives groups events by session ID: "started", "ended" in the order seen.
func lives(events []devicefarm.SessionEvent) map[string][]string {
	out := map[string][]string{}
	for _, ev := range events {
		out[ev.Session.ID()] = append(out[ev.Session.ID()], string(ev.Type))
	}
	return out
}

// onlyCanceled asserts that the run ended by its context and had no other error.
func onlyCanceled(t *testing.T, errs []error) {
	t.Helper()
	require.NotEmpty(t, errs)
	for _, err := range errs[:len(errs)-1] {
		t.Errorf("unexpected error: %v", err)
	}
	require.ErrorIs(t, errs[len(errs)-1], context.Canceled)
}

func TestSessionWatcher_EachSessionStartsAndEndsOnce(t *testing.T) {
	for _, offset := range []time.Duration{0, time.Hour, -time.Hour} {
		t.Run(fmt.Sprintf("server clock %+v", offset), func(t *testing.T) {
			g := newSimGrid(t, offset)
			before := g.ended(g.session("old-closed", -3*time.Hour), devicefarm.TestGridSessionStatusClosed, -2*time.Hour)
			running := g.session("running-at-start", -90*time.Minute)
			g.srv.AddSessions(watchProject, before, running)

			a := g.session("a", 5*time.Minute)
			g.at(5*time.Minute, func() { g.srv.AddSessions(watchProject, a) })
			g.at(50*time.Minute, func() { g.endNow(a, devicefarm.TestGridSessionStatusClosed) })
			// b starts and ends between two polls.
			b := g.session("b", 20*time.Minute+time.Second)
			g.at(20*time.Minute+20*time.Second, func() {
				g.srv.AddSessions(watchProject, g.ended(b, devicefarm.TestGridSessionStatusErrored, 20*time.Minute+15*time.Second))
			})
			// c becomes visible four minutes after its creation.
			c := g.session("c", 30*time.Minute)
			g.srv.AddSessionsVisibleAt(watchProject, g.serverTime(34*time.Minute), c)
			g.at(2*time.Hour, func() { g.endNow(c, devicefarm.TestGridSessionStatusClosed) })
			// e is seen at once; late, created before e, becomes visible
			// ended, three minutes after its creation: found by the overlap.
			e := g.session("e", 31*time.Minute)
			g.at(31*time.Minute, func() {
				g.srv.AddSessions(watchProject, g.ended(e, devicefarm.TestGridSessionStatusClosed, 31*time.Minute))
			})
			late := g.session("late", 30*time.Minute+30*time.Second)
			g.at(33*time.Minute+30*time.Second, func() {
				g.srv.AddSessions(watchProject, g.ended(late, devicefarm.TestGridSessionStatusClosed, 32*time.Minute))
			})
			// The session running at the start ends, long after its creation
			// left every window: found by the look-up.
			g.at(61*time.Minute, func() { g.endNow(running, devicefarm.TestGridSessionStatusErrored) })
			// d ends, and later reappears with another status.
			d := g.session("d", 40*time.Minute)
			g.at(40*time.Minute, func() { g.srv.AddSessions(watchProject, d) })
			g.at(45*time.Minute, func() {
				g.srv.AddSessions(watchProject, g.ended(d, devicefarm.TestGridSessionStatusClosed, 45*time.Minute))
			})
			g.at(46*time.Minute, func() {
				g.srv.AddSessions(watchProject, g.ended(d, devicefarm.TestGridSessionStatusErrored, 45*time.Minute))
			})

			_, events, errs := g.watch(3 * time.Hour)
			onlyCanceled(t, errs)
			assert.Equal(t, map[string][]string{
				"running-at-start": {"started", "ended"},
				"a":                {"started", "ended"},
				"b":                {"started", "ended"},
				"c":                {"started", "ended"},
				"d":                {"started", "ended"},
				"e":                {"started", "ended"},
				"late":             {"started", "ended"},
			}, lives(events))
			for _, ev := range events {
				if ev.Type == devicefarm.SessionStarted {
					assert.Equal(t, ev.Session.Created, ev.Time)
				} else {
					assert.Equal(t, ev.Session.Ended, ev.Time)
					assert.NotEqual(t, devicefarm.TestGridSessionStatusActive, ev.Session.Status)
				}
				if ev.Session.ID() == "d" && ev.Type == devicefarm.SessionEnded {
					assert.Equal(t, devicefarm.TestGridSessionStatusClosed, ev.Session.Status, "the first end seen is reported")
				}
			}
		})
	}
}

func TestSessionWatcher_ResumeNeitherRepeatsNorMisses(t *testing.T) {
	g := newSimGrid(t, 0)
	var want []string
	for i := range 12 {
		s := g.session(fmt.Sprintf("s%02d", i), time.Duration(i)*7*time.Minute)
		g.at(time.Duration(i)*7*time.Minute, func() { g.srv.AddSessions(watchProject, s) })
		end := time.Duration(i)*7*time.Minute + time.Duration(3+i%5)*9*time.Minute
		g.at(end, func() { g.srv.AddSessions(watchProject, g.ended(s, devicefarm.TestGridSessionStatusClosed, end)) })
		want = append(want, s.ID())
	}
	first, events1, errs := g.watch(50 * time.Minute)
	onlyCanceled(t, errs)
	token := first.ResumeToken()
	require.NotEmpty(t, token)
	active := first.ActiveSessions()
	require.Positive(t, active)
	resumed := devicefarm.NewSessionWatcher(g.srv.Client(), &devicefarm.ListTestGridSessionsInput{ProjectArn: watchProject},
		func(o *devicefarm.SessionWatcherOptions) { o.ResumeToken = token })
	assert.Equal(t, active, resumed.ActiveSessions(), "the token carries the ACTIVE sessions")

	// Changes while no watcher runs are reported by the resumed one.
	g.at(80*time.Minute, func() {})
	_ = g.sleep(context.Background(), 30*time.Minute)
	_, events2, errs := g.watch(4*time.Hour, func(o *devicefarm.SessionWatcherOptions) { o.ResumeToken = token })
	onlyCanceled(t, errs)

	all := lives(append(events1, events2...))
	require.Len(t, all, len(want))
	for _, id := range want {
		assert.Equal(t, []string{"started", "ended"}, all[id], id)
	}
}

func TestSessionWatcher_ResumeTokenOfAnotherProject(t *testing.T) {
	g := newSimGrid(t, 0)
	w := devicefarm.NewSessionWatcher(g.srv.Client(), &devicefarm.ListTestGridSessionsInput{ProjectArn: watchProject + "-other"},
		func(o *devicefarm.SessionWatcherOptions) {
			o.ResumeToken = base64.RawURLEncoding.EncodeToString([]byte(`{"v":1,"p":"` + watchProject + `","f":0,"w":0}`))
		})
	for _, err := range w.Events(context.Background()) {
		require.ErrorIs(t, err, devicefarm.ErrInvalidWatchToken)
		assert.Contains(t, err.Error(), "issued for project")
	}
	assert.Empty(t, g.srv.Requests(), "nothing is sent")
}

func TestSessionWatcher_ThrottledForMinutesLosesNothing(t *testing.T) {
	g := newSimGrid(t, 0)
	s := g.session("x", 10*time.Minute)
	g.at(10*time.Minute, func() {
		g.srv.AddSessions(watchProject, s)
		g.srv.Inject(devicefarmtest.Match{Operation: "ListTestGridSessions", ProjectArn: watchProject, Times: 40}, devicefarmtest.Throttling()) // many polls' worth
	})
	g.at(11*time.Minute, func() {
		g.srv.AddSessions(watchProject, g.ended(s, devicefarm.TestGridSessionStatusErrored, 11*time.Minute))
	})
	_, events, errs := g.watch(2 * time.Hour)
	require.Greater(t, len(errs), 1)
	for _, err := range errs[:len(errs)-1] {
		var apiErr smithy.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "ThrottlingException", apiErr.ErrorCode())
	}
	require.ErrorIs(t, errs[len(errs)-1], context.Canceled)
	assert.Equal(t, map[string][]string{"x": {"started", "ended"}}, lives(events))
}

func TestSessionWatcher_RequestsPerHour(t *testing.T) {
	// 50 ACTIVE sessions at the default interval: 2 requests a poll, 120
	// polls an hour.
	g := newSimGrid(t, 0)
	for i := range 50 {
		g.srv.AddSessions(watchProject, g.session(fmt.Sprintf("busy%02d", i), -time.Duration(i+1)*time.Minute))
	}
	_, events, errs := g.watch(time.Hour - time.Second)
	onlyCanceled(t, errs)
	assert.Len(t, events, 50)
	assert.Len(t, g.srv.Requests(), 240)
}

func TestSessionWatcher_MemoryBoundedByWindow(t *testing.T) {
	g := newSimGrid(t, 0)
	for i := range 300 {
		start := time.Duration(i+1) * 2 * time.Minute
		s := g.session(fmt.Sprintf("m%03d", i), start)
		g.at(start, func() {
			g.srv.AddSessions(watchProject, g.ended(s, devicefarm.TestGridSessionStatusClosed, start))
		})
	}
	w, events, errs := g.watch(10*time.Hour, func(o *devicefarm.SessionWatcherOptions) { o.Interval = 2 * time.Minute })
	onlyCanceled(t, errs)
	assert.Len(t, events, 600)
	raw, err := base64.RawURLEncoding.DecodeString(w.ResumeToken())
	require.NoError(t, err)
	var tok struct {
		A []json.RawMessage `json:"a"`
		E []json.RawMessage `json:"e"`
	}
	require.NoError(t, json.Unmarshal(raw, &tok))
	assert.Empty(t, tok.A)
	assert.LessOrEqual(t, len(tok.E), 6, "only sessions within the 10-minute overlap are kept")
}

func TestSessionWatcher_RefusesWhatItCannotHonour(t *testing.T) {
	tests := []struct {
		name  string
		in    devicefarm.ListTestGridSessionsInput
		opt   func(*devicefarm.SessionWatcherOptions)
		field string
	}{
		{"status filter", devicefarm.ListTestGridSessionsInput{ProjectArn: watchProject, Status: "ERRORED"}, nil, "Status"},
		{"end-time filter", devicefarm.ListTestGridSessionsInput{ProjectArn: watchProject, EndTimeAfter: watchStart}, nil, "EndTimeAfter"},
		{"page token", devicefarm.ListTestGridSessionsInput{ProjectArn: watchProject, NextToken: "abcd"}, nil, "NextToken"},
		{"negative interval", devicefarm.ListTestGridSessionsInput{ProjectArn: watchProject}, func(o *devicefarm.SessionWatcherOptions) { o.Interval = -1 }, "Interval"},
		{"negative overlap", devicefarm.ListTestGridSessionsInput{ProjectArn: watchProject}, func(o *devicefarm.SessionWatcherOptions) { o.Overlap = -1 }, "Overlap"},
		{"negative lookups", devicefarm.ListTestGridSessionsInput{ProjectArn: watchProject}, func(o *devicefarm.SessionWatcherOptions) { o.Lookups = -1 }, "Lookups"},
		{"no project", devicefarm.ListTestGridSessionsInput{}, nil, "ProjectArn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []func(*devicefarm.SessionWatcherOptions)
			if tt.opt != nil {
				opts = append(opts, tt.opt)
			}
			w := devicefarm.NewSessionWatcher(new(devicefarm.Client), &tt.in, opts...)
			n := 0
			for _, err := range w.Events(context.Background()) {
				n++
				var ve *devicefarm.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tt.field, ve.Field)
			}
			assert.Equal(t, 1, n)
		})
	}
}

func TestSessionWatcher_OneLoopAtATime(t *testing.T) {
	g := newSimGrid(t, 0)
	var w *devicefarm.SessionWatcher
	inner := 0
	w = devicefarm.NewSessionWatcher(g.srv.Client(devicefarm.WithClock(g.Now)), &devicefarm.ListTestGridSessionsInput{ProjectArn: watchProject},
		func(o *devicefarm.SessionWatcherOptions) {
			o.Now = g.Now
			o.Sleep = func(ctx context.Context, d time.Duration) error {
				for _, err := range w.Events(ctx) { // a second loop while the first runs
					inner++
					require.ErrorIs(t, err, devicefarm.ErrWatcherInUse)
				}
				return context.Canceled
			}
		})
	for _, err := range w.Events(context.Background()) {
		require.ErrorIs(t, err, context.Canceled)
	}
	assert.Equal(t, 1, inner)
}

// cancelingClient ends the watch's context during its first request.
type cancelingClient struct{ cancel context.CancelFunc }

func (c cancelingClient) ListTestGridSessions(ctx context.Context, _ *devicefarm.ListTestGridSessionsInput, _ ...func(*devicefarm.Options)) (*devicefarm.ListTestGridSessionsOutput, error) {
	c.cancel()
	return nil, fmt.Errorf("request: %w", ctx.Err())
}

func TestSessionWatcher_ContextEndedDuringAPoll(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := devicefarm.NewSessionWatcher(cancelingClient{cancel}, &devicefarm.ListTestGridSessionsInput{ProjectArn: watchProject})
	var errs []error
	for _, err := range w.Events(ctx) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1, "the context's error, once, and the loop ends")
	assert.Equal(t, context.Canceled, errs[0])
}
