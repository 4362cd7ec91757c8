package devicefarmtest_test

import (
	"net/http"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm/devicefarmtest"
	"github.com/testgridkit/devicefarm/internal/chromedriver"
)

// killWaitBound bounds the wait for a process the grid should have
// killed, so that a test that fails does not hang.
const killWaitBound = 10 * time.Second

// startBrowserStandIn starts a process with the profile flag a browser of
// the session with profile dir has, and returns it.
func startBrowserStandIn(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("/bin/sh", "-c", "sleep 300; :", "sh", "--user-data-dir="+dir)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd
}

// killedBySIGKILL waits for cmd and reports whether SIGKILL ended it. It
// gives up after killWaitBound: the kill has happened, or will not.
func killedBySIGKILL(cmd *exec.Cmd) bool {
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	var err error
	select {
	case err = <-waited:
	case <-time.After(killWaitBound):
		return false
	}
	ee, ok := err.(*exec.ExitError)
	if !ok {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// TestGridDeadDriverBrowserKilled: when the driver is gone, a session's
// end kills the browser it left running, found by the session's profile
// directory, whether the server is told (EndGridSessions) or finds out at
// the next command; another session's browser is left alone until its
// own end.
func TestGridDeadDriverBrowserKilled(t *testing.T) {
	for _, told := range []bool{true, false} {
		name := map[bool]string{true: "told", false: "next command"}[told]
		t.Run(name, func(t *testing.T) {
			d := newFakeDriver(t)
			s := newServer(t, func(o *devicefarmtest.Options) { o.WebDriverURL = d.URL })
			u := gridURL(t, s)
			_, a, _ := newSession(t, u, `{"browserName":"chrome"}`)
			_, b, _ := newSession(t, u, `{"browserName":"chrome"}`)
			dirB := d.profileOf(t, 1)
			browserA := startBrowserStandIn(t, d.profileOf(t, 0))
			browserB := startBrowserStandIn(t, dirB)
			d.Close()

			if told {
				s.EndGridSessions()
				assert.True(t, killedBySIGKILL(browserA))
				assert.True(t, killedBySIGKILL(browserB))
			} else {
				status, _ := wd(t, http.MethodGet, u+"/session/"+a+"/title", "")
				assert.Equal(t, http.StatusInternalServerError, status)
				assert.True(t, killedBySIGKILL(browserA))
				assert.Equal(t, []int{browserB.Process.Pid}, chromedriver.ProcessesWithArg("--user-data-dir="+dirB), "session b has not ended")
				assert.Equal(t, 1, s.GridSessions())
				status, _ = wd(t, http.MethodGet, u+"/session/"+b+"/title", "")
				assert.Equal(t, http.StatusInternalServerError, status)
				assert.True(t, killedBySIGKILL(browserB))
			}
			assert.Zero(t, s.GridSessions())
			for _, ss := range s.Sessions(projectArn) {
				assert.Equal(t, errored, ss.Status)
				assert.Contains(t, string(s.Artifacts(ss.Arn)[0].Data), "(the driver could not end it: browser killed) -> 500",
					"the session's log says why it ended")
				var actions []string
				for _, a := range s.Actions(ss.Arn) {
					actions = append(actions, a.Action)
				}
				assert.Contains(t, actions, "DELETE /session/{sessionId} (the driver could not end it: browser killed)")
			}
		})
	}
}
