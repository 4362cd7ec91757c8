package watch

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
)

// How long a process test waits for one line, and for the whole test.
const (
	lineTimeout    = 20 * time.Second
	processTimeout = 2 * time.Minute
)

// process is a running testgrid command whose output is read line by line.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr chan string
	exited         chan struct{}
	err            error
}

func startProcess(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), processTimeout)
	p := &process{stdout: make(chan string, 100), stderr: make(chan string, 100), exited: make(chan struct{})}
	p.cmd = exec.CommandContext(ctx, clitest.Binary(t), args...)
	p.cmd.Env = env
	p.cmd.WaitDelay = 5 * time.Second
	outPipe, err := p.cmd.StdoutPipe()
	require.NoError(t, err)
	errPipe, err := p.cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start())
	lines := func(r io.Reader, ch chan<- string, done chan<- struct{}) {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			ch <- sc.Text()
		}
		close(ch)
		close(done)
	}
	outDone, errDone := make(chan struct{}), make(chan struct{})
	go lines(outPipe, p.stdout, outDone)
	go lines(errPipe, p.stderr, errDone)
	go func() {
		<-outDone
		<-errDone
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		defer cancel()
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Signal(syscall.SIGTERM)
			<-p.exited
		}
	})
	return p
}

// line returns the next line of ch, failing the test if none comes.
func line(t *testing.T, ch <-chan string, what string) string {
	t.Helper()
	select {
	case l, ok := <-ch:
		require.True(t, ok, "%s: the output ended", what)
		return l
	case <-time.After(lineTimeout):
		t.Fatalf("%s: no line within %s", what, lineTimeout)
		return ""
	}
}

// exitCode waits for p to exit and returns its status.
func (p *process) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(lineTimeout):
		t.Fatalf("no exit within %s", lineTimeout)
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	require.NoError(t, p.err)
	return 0
}

func post(t *testing.T, url, body string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
}

// A test grid served by "testgrid serve" and watched by "testgrid watch",
// two processes: sessions added and ended through the control API give
// one started and one ended event each, in order; the metrics follow;
// --until-idle exits 0, or 1 with --fail-on-errored after an ERRORED one.
func TestWatchProcess(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		failOnErr  bool
		wantStatus int
	}{
		{"until idle", false, 0},
		{"fail on errored", true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			serve := startProcess(t, clitest.CleanEnv(t), "serve", "--project", project)
			var ready struct {
				Endpoint, Control, AccessKeyID, SecretAccessKey string
			}
			require.NoError(t, json.Unmarshal([]byte(line(t, serve.stdout, "serve's ready line")), &ready))

			args := []string{"watch", "--project", project, "--endpoint", ready.Endpoint, "--interval", "1s",
				"--output", "ndjson", "--until-idle", "--metrics-addr", "127.0.0.1:0"}
			if tc.failOnErr {
				args = append(args, "--fail-on-errored")
			}
			watch := startProcess(t, clitest.CleanEnv(t, "AWS_ACCESS_KEY_ID="+ready.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+ready.SecretAccessKey), args...)
			m := metricsLine.FindStringSubmatch(line(t, watch.stderr, "the metrics address"))
			require.NotNil(t, m)
			metricsURL := m[1]
			// The watch starts from the first poll; wait for it before adding.
			require.Eventually(t, func() bool { return scrapeURL(t, metricsURL)[name("last_poll_success_timestamp_seconds")] > 0 },
				lineTimeout, 50*time.Millisecond)

			arn := func(id string) string { return sessionArn(id) }
			now := float64(time.Now().UnixMilli()) / 1000
			post(t, ready.Control+"/sessions", fmt.Sprintf(`{"testGridSessions":[
				{"arn":%q,"status":"ACTIVE","created":%.3f},{"arn":%q,"status":"ACTIVE","created":%.3f}]}`,
				arn("one"), now, arn("two"), now+0.001))
			next := func() event { return events(t, line(t, watch.stdout, "an event"))[0] }
			assert.Equal(t, []string{"started one", "started two"}, []string{eventText(next()), eventText(next())})
			got := scrapeURL(t, metricsURL)
			assert.Equal(t, 2.0, got[name("active_sessions")])
			assert.Equal(t, 2.0, got[name("sessions_started_total")])

			post(t, ready.Control+"/end-session", `{"sessionArn":"`+arn("one")+`","status":"CLOSED"}`)
			ev := next()
			assert.Equal(t, "ended one", eventText(ev))
			require.NotNil(t, ev.Session.BillingMinutes)
			got = scrapeURL(t, metricsURL)
			assert.Equal(t, 1.0, got[name("active_sessions")])
			assert.Equal(t, 1.0, got[name("sessions_ended_total", `status="CLOSED"`)])
			assert.Equal(t, 0.0, got[name("sessions_ended_total", `status="ERRORED"`)])
			assert.Equal(t, *ev.Session.BillingMinutes, got[name("billing_minutes_total")])
			assert.Equal(t, 0.0, got[name("poll_errors_total")])

			post(t, ready.Control+"/end-session", `{"sessionArn":"`+arn("two")+`","status":"ERRORED"}`)
			assert.Equal(t, "ended two", eventText(next()))
			assert.Equal(t, tc.wantStatus, watch.exitCode(t))
			_, more := <-watch.stdout
			assert.False(t, more, "exactly one started and one ended event per session")
		})
	}
}

func eventText(ev event) string { return ev.Event + " " + ev.Session.ID }

// name is a metric's sample name with the project label and labels.
func name(metric string, labels ...string) string {
	return "devicefarm_testgrid_" + metric + "{" + strings.Join(append([]string{fmt.Sprintf("project=%q", project)}, labels...), ",") + "}"
}
