package watch

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

const (
	closed  = devicefarm.TestGridSessionStatusClosed
	errored = devicefarm.TestGridSessionStatusErrored
)

// playRun: "pre" is ACTIVE when the watch starts; a and b start; a
// ends; pre ends ERRORED and b CLOSED.
func playRun(g *grid) {
	g.start("pre")
	g.after(1, func() { g.start("a") })
	g.after(2, func() { g.start("b") })
	g.after(3, func() { g.end("a", closed) })
	g.after(4, func() {
		g.end("pre", errored)
		g.end("b", closed)
	})
}

var playRunLives = map[string][]string{
	"pre": {"started", "ended ERRORED"},
	"a":   {"started", "ended CLOSED"},
	"b":   {"started", "ended CLOSED"},
}

func TestWatchUntilIdle(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags []string
		code  int
	}{
		{"exit 0", nil, cmdutil.ExitOK},
		{"fail on errored", []string{"--fail-on-errored"}, cmdutil.ExitFailure},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGrid(t)
			playRun(g)
			r := g.watch(append([]string{"--output", "ndjson", "--until-idle"}, tc.flags...)...)
			require.Equal(t, tc.code, r.code, r.stderr)
			evs := events(t, r.stdout)
			assert.Equal(t, playRunLives, lives(evs))
			assert.Equal(t, 4, g.polls, "the fifth poll sees nothing ACTIVE and ends the watch")
			for _, ev := range evs {
				assert.NotEmpty(t, ev.Time)
			}
			if tc.code == cmdutil.ExitFailure {
				assert.Equal(t, "testgrid: 1 session ended ERRORED during the watch\n", r.stderr)
			} else {
				assert.Empty(t, r.stderr, "no token: the watch is over")
			}
		})
	}
}

func TestWatchAllowEmpty(t *testing.T) {
	g := newGrid(t)
	r := g.watch("--until-idle", "--allow-empty")
	assert.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Empty(t, r.stdout)
	assert.Equal(t, 0, g.polls, "ends after the first poll")

	// Without --allow-empty it waits for a session; here, until interrupted.
	g = newGrid(t)
	g.stop = 3
	r = g.watch("--until-idle")
	assert.Equal(t, cmdutil.ExitInterrupted, r.code)
	assert.Contains(t, r.stderr, "testgrid: interrupted after 0 sessions started")
	assert.Regexp(t, resumeLine, r.stderr)
}

func TestWatchTable(t *testing.T) {
	g := newGrid(t)
	playRun(g)
	r := g.watch("--until-idle")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	lines := clitest.Lines(r.stdout)
	require.Len(t, lines, 7)
	assert.Regexp(t, `^TIME +EVENT +SESSION ID +STATUS +DURATION +BILLING MIN$`, lines[0])
	assert.Regexp(t, `^\S+Z +started +pre +ACTIVE +- +-$`, lines[1])
	assert.Regexp(t, `^\S+Z +ended +pre +ERRORED +\d+s +[0-9.]+$`, lines[5])

	// The service's text cannot drive the terminal.
	g = newGrid(t)
	g.start("evil\x1b[2J\rx")
	g.after(1, func() { g.end("evil\x1b[2J\rx", closed) })
	r = g.watch("--until-idle")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "\x1b")
	assert.NotContains(t, r.stdout, "\r")
	assert.Contains(t, r.stdout, `evil\x1b[2J\rx`)
}

func TestWatchResumeNeitherRepeatsNorMisses(t *testing.T) {
	g := newGrid(t)
	playRun(g)
	g.stop = 2
	first := g.watch("--output", "ndjson")
	require.Equal(t, cmdutil.ExitInterrupted, first.code)
	m := resumeLine.FindStringSubmatch(first.stderr)
	require.NotNil(t, m, first.stderr)

	// While no watch runs: poll 3's step, and a session that starts and
	// ends unseen.
	g.steps[3]()
	g.start("unseen")
	g.end("unseen", closed)
	g.polls, g.stop = 3, 0
	second := g.watch("--output", "ndjson", "--until-idle", "--resume", m[1])
	require.Equal(t, cmdutil.ExitOK, second.code, second.stderr)
	want := map[string][]string{"unseen": {"started", "ended CLOSED"}}
	for id, l := range playRunLives {
		want[id] = l
	}
	assert.Equal(t, want, lives(append(events(t, first.stdout), events(t, second.stdout)...)))
}

func TestWatchResumeTokenOfAnotherProject(t *testing.T) {
	g := newGrid(t)
	g.stop = 1
	first := g.watch()
	m := resumeLine.FindStringSubmatch(first.stderr)
	require.NotNil(t, m, first.stderr)

	other := devicefarmtest.Project{Arn: project[:len(project)-1] + "9"}
	g.srv.AddProject(other)
	g.srv.ResetRequests()
	r := g.watch("--project", other.Arn, "--resume", m[1])
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Empty(t, r.stdout)
	line := clitest.Lines(r.stderr)[0]
	assert.Contains(t, line, "testgrid watch: --resume:")
	assert.Contains(t, line, "issued for project")
	assert.Empty(t, g.srv.Requests(), "nothing is sent")
}

func TestWatchFaultsLoseAndRepeatNothing(t *testing.T) {
	tests := []struct {
		name  string
		opts  func(*devicefarmtest.Options)
		fault func(g *grid)
		check func(t *testing.T, g *grid, r result)
	}{
		{
			name: "throttled for minutes",
			fault: func(g *grid) {
				// From poll 2 on, 10 polls fail (3 attempts each).
				g.after(1, chain(g.steps[1], func() {
					g.srv.Inject(devicefarmtest.Match{Operation: "ListTestGridSessions", ProjectArn: project, Times: 30}, devicefarmtest.Throttling())
				}))
			},
			check: func(t *testing.T, g *grid, r result) {
				assert.Equal(t, 10, countLines(r.stderr, "testgrid: poll failed, trying again: ThrottlingException"), r.stderr)
				var waited time.Duration
				for _, d := range g.waits {
					waited += d
				}
				assert.Greater(t, waited, 15*time.Minute, "backs off: %v", g.waits)
				assert.Contains(t, g.waits, 5*time.Minute, "up to 5 minutes")
			},
		},
		{
			name: "a page fails mid-poll",
			fault: func(g *grid) {
				// Poll 3's second request (the new sessions) fails, all attempts.
				g.after(2, chain(g.steps[2], func() {
					g.srv.Inject(devicefarmtest.Match{Operation: "ListTestGridSessions", ProjectArn: project, Nth: 2, Times: 3}, devicefarmtest.InternalError())
				}))
			},
			check: func(t *testing.T, _ *grid, r result) {
				assert.Equal(t, 1, countLines(r.stderr, "testgrid: poll failed, trying again: InternalServiceException"), r.stderr)
			},
		},
		{
			name: "a session ends and reappears with another status",
			fault: func(g *grid) {
				g.after(4, chain(g.steps[4], func() {
					s := g.srv.Sessions(project)[1] // a, CLOSED
					require.Equal(t, "a", s.ID())
					s.Status = errored
					g.srv.AddSessions(project, s)
				}))
			},
		},
		{name: "server clock an hour ahead", opts: func(o *devicefarmtest.Options) { o.Now = func() time.Time { return time.Now().Add(time.Hour) } }},
		{name: "server clock an hour behind", opts: func(o *devicefarmtest.Options) { o.Now = func() time.Time { return time.Now().Add(-time.Hour) } }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []func(*devicefarmtest.Options)
			if tt.opts != nil {
				opts = append(opts, tt.opts)
			}
			g := newGrid(t, opts...)
			playRun(g)
			if tt.fault != nil {
				tt.fault(g)
			}
			r := g.watch("--output", "ndjson", "--until-idle")
			require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
			assert.Equal(t, playRunLives, lives(events(t, r.stdout)))
			if tt.check != nil {
				tt.check(t, g, r)
			}
		})
	}
}

func chain(fns ...func()) func() {
	return func() {
		for _, f := range fns {
			if f != nil {
				f()
			}
		}
	}
}

func countLines(s, prefix string) int {
	n := 0
	for _, l := range clitest.Lines(s) {
		if len(l) >= len(prefix) && l[:len(prefix)] == prefix {
			n++
		}
	}
	return n
}

func TestWatchMetrics(t *testing.T) {
	g := newGrid(t)
	playRun(g)
	var during, after map[string]float64
	g.after(3, chain(g.steps[3], func() { during = scrape(t, g.stderr.String()) }))
	g.after(5, func() { after = scrape(t, g.stderr.String()) })
	g.stop = 5
	r := g.watch("--metrics-addr", "127.0.0.1:0")
	require.Equal(t, cmdutil.ExitInterrupted, r.code, r.stderr)

	// After poll 3 (a has just ended, unseen yet).
	assert.Equal(t, map[string]float64{
		name("active_sessions"):                          3,
		name("sessions_started_total"):                   3,
		name("sessions_ended_total", `status="CLOSED"`):  0,
		name("sessions_ended_total", `status="ERRORED"`): 0,
		name("billing_minutes_total"):                    0,
		name("poll_errors_total"):                        0,
		name("last_poll_success_timestamp_seconds"):      float64(clitest.Now.Unix()), // the env's clock
	}, during)
	var billed float64
	for _, s := range g.srv.Sessions(project) {
		billed += s.BillingMinutes
	}
	assert.Equal(t, map[string]float64{
		name("active_sessions"):                          0,
		name("sessions_started_total"):                   3,
		name("sessions_ended_total", `status="CLOSED"`):  2,
		name("sessions_ended_total", `status="ERRORED"`): 1,
		name("billing_minutes_total"):                    billed,
		name("poll_errors_total"):                        0,
		name("last_poll_success_timestamp_seconds"):      float64(clitest.Now.Unix()),
	}, after)
	assert.Greater(t, billed, 0.0)

	// Stopped with the watch.
	_, err := http.Get(metricsLine.FindStringSubmatch(r.stderr)[1])
	require.Error(t, err)
}

func TestWatchStatusLineOnATerminalOnly(t *testing.T) {
	g := newGrid(t)
	playRun(g)
	g.terminal = true
	r := g.watch("--output", "ndjson", "--until-idle")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Equal(t, playRunLives, lives(events(t, r.stdout)), "stdout holds the events alone")
	assert.Contains(t, r.stderr, "\r\x1b[Kwatching: 3 sessions started, 1 ended (0 ERRORED), 2 active")
	assert.True(t, strings.HasSuffix(r.stderr, "\r\x1b[K"), "erased at the end: %q", r.stderr)

	g = newGrid(t)
	playRun(g)
	r = g.watch("--output", "ndjson", "--until-idle")
	assert.Empty(t, r.stderr)
}

// A resumed watch counts the sessions its token carries as ACTIVE: it is
// not idle while they run, and ends with --until-idle once they end.
func TestWatchResumedUntilIdle(t *testing.T) {
	g := newGrid(t)
	g.start("pre")
	g.stop = 1
	first := g.watch("--output", "ndjson")
	require.Equal(t, cmdutil.ExitInterrupted, first.code)
	m := resumeLine.FindStringSubmatch(first.stderr)
	require.NotNil(t, m, first.stderr)

	g.polls, g.stop = 0, 0
	g.after(2, func() { g.end("pre", closed) })
	var active float64
	g.after(1, func() { active = scrape(t, g.stderr.String())[name("active_sessions")] })
	second := g.watch("--output", "ndjson", "--until-idle", "--resume", m[1], "--metrics-addr", "127.0.0.1:0")
	require.Equal(t, cmdutil.ExitOK, second.code, second.stderr)
	assert.Equal(t, 1.0, active)
	assert.Equal(t, 2, g.polls, "idle at the poll that saw pre end")
	assert.Equal(t, map[string][]string{"pre": {"started", "ended CLOSED"}},
		lives(append(events(t, first.stdout), events(t, second.stdout)...)))
}
