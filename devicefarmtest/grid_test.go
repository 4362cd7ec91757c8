package devicefarmtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
	"github.com/testgridkit/devicefarm/internal/chromedriver"
)

// fakeDriver is a WebDriver server that answers the commands the grid
// tests send, as chromedriver does, and reports what it received.
type fakeDriver struct {
	*httptest.Server
	n       atomic.Int64
	mu      sync.Mutex
	created []map[string]any // the alwaysMatch of each New Session
	deleted chan string      // session IDs deleted
}

func newFakeDriver(t *testing.T) *fakeDriver {
	d := &fakeDriver{deleted: make(chan string, 16)}
	d.Server = httptest.NewServer(http.HandlerFunc(d.serve))
	t.Cleanup(d.Close)
	return d
}

func (d *fakeDriver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/session":
		var req struct {
			Capabilities struct {
				AlwaysMatch map[string]any `json:"alwaysMatch"`
			} `json:"capabilities"`
		}
		_ = json.Unmarshal(body, &req)
		d.mu.Lock()
		d.created = append(d.created, req.Capabilities.AlwaysMatch)
		d.mu.Unlock()
		if req.Capabilities.AlwaysMatch["test:fail"] == true {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"value":{"error":"session not created","message":"Chrome failed to start: crashed.\nmore","stacktrace":""}}`)
			return
		}
		id := fmt.Sprintf("%032d", d.n.Add(1))
		fmt.Fprintf(w, `{"value":{"sessionId":%q,"capabilities":{"browserName":"chrome","goog:chromeOptions":{"debuggerAddress":"localhost:9222"},"chrome":{"userDataDir":"/tmp/x"}}}}`, id)
	case r.Method == http.MethodDelete:
		d.deleted <- strings.TrimPrefix(r.URL.Path, "/session/")
		fmt.Fprint(w, `{"value":null}`)
	case strings.HasSuffix(r.URL.Path, "/crash"):
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"value":{"error":"invalid session id","message":"session deleted as the browser has closed the connection","stacktrace":""}}`)
	default:
		fmt.Fprintf(w, `{"value":%q}`, r.Method+" "+r.URL.Path)
	}
}

// gridURL returns a test grid URL of a new project of s.
func gridURL(t *testing.T, s *devicefarmtest.Server) string {
	t.Helper()
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	out := callJSON(t, s, "CreateTestGridUrl", `{"projectArn":"`+projectArn+`","expiresInSeconds":300}`)
	return out["url"].(string)
}

// wd sends one WebDriver command and returns the status and decoded body.
func wd(t *testing.T, method, u, body string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	require.NoError(t, err)
	resp, err := httpClient(t).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

func wdError(out map[string]any) string {
	v, _ := out["value"].(map[string]any)
	e, _ := v["error"].(string)
	return e
}

func newSession(t *testing.T, u, caps string) (int, string, map[string]any) {
	t.Helper()
	status, out := wd(t, http.MethodPost, u+"/session", `{"capabilities":{"alwaysMatch":`+caps+`}}`)
	v, _ := out["value"].(map[string]any)
	id, _ := v["sessionId"].(string)
	return status, id, out
}

// TestGridSessionLifecycle runs a session through the grid and checks what
// the store records: ACTIVE while open, CLOSED with its capabilities,
// actions and log after the client deletes it.
func TestGridSessionLifecycle(t *testing.T) {
	d := newFakeDriver(t)
	s := newServer(t, func(o *devicefarmtest.Options) { o.WebDriverURL = d.URL })
	u := gridURL(t, s)

	status, id, out := newSession(t, u, `{"browserName":"chrome","browserVersion":"latest","platform":"windows","goog:chromeOptions":{"args":["--window-size=800,600","--user-data-dir=/home/me"]}}`)
	require.Equal(t, http.StatusOK, status, out)
	caps := out["value"].(map[string]any)["capabilities"].(map[string]any)
	assert.NotContains(t, caps["goog:chromeOptions"], "debuggerAddress", "the browser's DevTools port is not revealed")
	assert.NotContains(t, caps["chrome"], "userDataDir")

	d.mu.Lock()
	sent := d.created[0]
	d.mu.Unlock()
	assert.Equal(t, "chrome", sent["browserName"])
	assert.NotContains(t, sent, "browserVersion")
	args := sent["goog:chromeOptions"].(map[string]any)["args"].([]any)
	for _, a := range devicefarmtest.ChromiumArgs {
		assert.Contains(t, args, a)
	}
	assert.Contains(t, args, "--window-size=800,600")
	assert.NotContains(t, args, "--user-data-dir=/home/me")
	profile := strings.TrimPrefix(args[len(args)-1].(string), "--user-data-dir=")
	require.DirExists(t, profile)

	sessions := s.Sessions(projectArn)
	require.Len(t, sessions, 1)
	arn := sessions[0].Arn
	assert.Equal(t, active, sessions[0].Status)
	assert.Equal(t, id, sessions[0].ID())
	assert.JSONEq(t, `{"browserName":"chrome","browserVersion":"latest","platform":"windows","goog:chromeOptions":{"args":["--window-size=800,600","--user-data-dir=/home/me"]}}`, sessions[0].SeleniumProperties)

	status, _ = wd(t, http.MethodPost, u+"/session/"+id+"/url", `{"url":"data:text/html,<title>x</title>"}`)
	require.Equal(t, http.StatusOK, status)
	status, _ = wd(t, http.MethodPost, u+"/session/"+id+"/element/E1/value", `{"text":"hunter2"}`)
	require.Equal(t, http.StatusOK, status)
	status, _ = wd(t, http.MethodDelete, u+"/session/"+id, "")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, id, <-d.deleted)
	assert.NoDirExists(t, profile, "the profile is removed with the session")

	got := s.Sessions(projectArn)[0]
	assert.Equal(t, closed, got.Status)
	assert.False(t, got.Ended.IsZero())
	assert.GreaterOrEqual(t, got.BillingMinutes, 0.0)
	var actions []string
	for _, a := range s.Actions(arn) {
		actions = append(actions, a.RequestMethod+" "+a.StatusCode+" "+a.Action)
	}
	assert.Equal(t, []string{
		"POST 200 POST /session",
		"POST 200 POST /session/{sessionId}/url",
		"POST 200 POST /session/{sessionId}/element/E1/value",
		"DELETE 200 DELETE /session/{sessionId}",
	}, actions)
	arts := s.Artifacts(arn)
	require.Len(t, arts, 1)
	assert.Equal(t, devicefarmtest.ArtifactSeleniumLog, arts[0].Type)
	log := string(arts[0].Data)
	assert.Contains(t, log, "data:text/html")
	assert.NotContains(t, log, "hunter2", "typed text is scrubbed")
	assert.NotContains(t, log, strings.TrimPrefix(u, s.URL+"/_grid/"), "the URL's token is not logged")

	status, out = wd(t, http.MethodGet, u+"/session/"+id+"/title", "")
	assert.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, "invalid session id", wdError(out), "a deleted session is unknown")
}

// TestGridBadInput checks the WebDriver errors of bad commands.
func TestGridBadInput(t *testing.T) {
	d := newFakeDriver(t)
	s := newServer(t, func(o *devicefarmtest.Options) { o.WebDriverURL = d.URL; o.MaxSessions = 1 })
	u := gridURL(t, s)

	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		error                    string
	}{
		{"malformed new session", http.MethodPost, "/session", `{"capabilities":`, http.StatusBadRequest, "invalid argument"},
		{"no capabilities", http.MethodPost, "/session", `{}`, http.StatusBadRequest, "invalid argument"},
		{"unknown session", http.MethodGet, "/session/0123/title", "", http.StatusNotFound, "invalid session id"},
		{"unknown endpoint", http.MethodGet, "/sessions", "", http.StatusNotFound, "unknown command"},
		{"dot segments", http.MethodGet, "/session/0123/%2e%2e/%2e%2e/shutdown", "", http.StatusNotFound, "unknown command"},
		{"forged token", http.MethodPost, "/../forged/session", `{"capabilities":{}}`, http.StatusNotFound, "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := u + tc.path
			if tc.name == "forged token" {
				target = s.URL + "/_grid/forged/session"
			}
			status, out := wd(t, tc.method, target, tc.body)
			assert.Equal(t, tc.status, status, out)
			assert.Equal(t, tc.error, wdError(out), out)
		})
	}

	_, id, _ := newSession(t, u, `{"browserName":"chrome"}`)
	status, out := wd(t, http.MethodPost, u+"/session/"+id+"/url", `{"url":`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid argument", wdError(out))

	status, _, out = newSession(t, u, `{"browserName":"chrome"}`)
	assert.Equal(t, http.StatusInternalServerError, status, "MaxSessions is 1")
	assert.Equal(t, "session not created", wdError(out))
	assert.Contains(t, out["value"].(map[string]any)["message"], "LimitExceededException")

	// The browser crashes: the session ends ERRORED.
	status, out = wd(t, http.MethodPost, u+"/session/"+id+"/crash", `{}`)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, "invalid session id", wdError(out))
	assert.Equal(t, id, <-d.deleted, "the grid stops what is left of the browser")
	assert.Equal(t, errored, s.Sessions(projectArn)[0].Status)
	assert.Zero(t, s.GridSessions())
}

// TestGridBrowserFailsToStart records an ERRORED session with the
// driver's reason.
func TestGridBrowserFailsToStart(t *testing.T) {
	d := newFakeDriver(t)
	s := newServer(t, func(o *devicefarmtest.Options) { o.WebDriverURL = d.URL })
	u := gridURL(t, s)
	status, _, out := newSession(t, u, `{"browserName":"chrome","test:fail":true}`)
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Equal(t, "session not created", wdError(out))
	assert.Contains(t, out["value"].(map[string]any)["message"], "Chrome failed to start")
	ss := s.Sessions(projectArn)
	require.Len(t, ss, 1)
	assert.Equal(t, errored, ss[0].Status)
	assert.JSONEq(t, `{"browserName":"chrome","test:fail":true}`, ss[0].SeleniumProperties)
	require.Len(t, s.Artifacts(ss[0].Arn), 1)
}

// TestGridDriverDies: a driver that stops answering errors the session.
func TestGridDriverDies(t *testing.T) {
	d := newFakeDriver(t)
	s := newServer(t, func(o *devicefarmtest.Options) { o.WebDriverURL = d.URL })
	u := gridURL(t, s)
	_, id, _ := newSession(t, u, `{"browserName":"chrome"}`)
	d.Close()
	status, out := wd(t, http.MethodGet, u+"/session/"+id+"/title", "")
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Equal(t, "unknown error", wdError(out))
	assert.NotContains(t, out["value"].(map[string]any)["message"], strings.TrimPrefix(d.URL, "http://"), "the driver's address is not revealed")
	assert.Equal(t, errored, s.Sessions(projectArn)[0].Status)

	// A missing driver: new sessions fail, ERRORED.
	status, _, out = newSession(t, u, `{"browserName":"chrome"}`)
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Equal(t, "session not created", wdError(out))
}

// profileOf returns the profile directory the grid gave the n-th session
// the fake driver created.
func (d *fakeDriver) profileOf(t *testing.T, n int) string {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	require.Greater(t, len(d.created), n)
	args := d.created[n]["goog:chromeOptions"].(map[string]any)["args"].([]any)
	dir, ok := strings.CutPrefix(args[len(args)-1].(string), "--user-data-dir=")
	require.True(t, ok, args)
	return dir
}

// TestGridEndGridSessions: told that its driver exited, the server ends
// every session in progress ERRORED at once, and the grid goes on taking
// sessions.
func TestGridEndGridSessions(t *testing.T) {
	d := newFakeDriver(t)
	s := newServer(t, func(o *devicefarmtest.Options) { o.WebDriverURL = d.URL })
	u := gridURL(t, s)
	_, a, _ := newSession(t, u, `{"browserName":"chrome"}`)
	_, b, _ := newSession(t, u, `{"browserName":"chrome"}`)
	dirA, dirB := d.profileOf(t, 0), d.profileOf(t, 1)

	s.EndGridSessions()
	assert.Zero(t, s.GridSessions())
	assert.ElementsMatch(t, []string{a, b}, []string{<-d.deleted, <-d.deleted}, "a driver that answers deletes them")
	for _, ss := range s.Sessions(projectArn) {
		assert.Equal(t, errored, ss.Status, ss.Arn)
		assert.False(t, ss.Ended.IsZero())
		assert.Len(t, s.Artifacts(ss.Arn), 1, "its log")
		assert.NotContains(t, string(s.Artifacts(ss.Arn)[0].Data), "could not end it", "the driver ended it")
	}
	assert.NoDirExists(t, dirA)
	assert.NoDirExists(t, dirB)
	status, _ := wd(t, http.MethodGet, u+"/session/"+a+"/title", "")
	assert.Equal(t, http.StatusNotFound, status, "an ended session takes no command")

	status, c, out := newSession(t, u, `{"browserName":"chrome"}`)
	require.Equal(t, http.StatusOK, status, out)
	assert.Equal(t, 1, s.GridSessions(), "the grid stays open")
	s.EndGridSessions()
	assert.Equal(t, c, <-d.deleted)
}

// TestGridIdleTimeout: a client that vanishes leaves a session that ends
// ERRORED at the idle timeout, deleted at the driver.
func TestGridIdleTimeout(t *testing.T) {
	d := newFakeDriver(t)
	s := newServer(t, func(o *devicefarmtest.Options) { o.WebDriverURL = d.URL; o.IdleTimeout = 20 * time.Millisecond })
	u := gridURL(t, s)
	_, id, _ := newSession(t, u, `{"browserName":"chrome"}`)
	assert.Equal(t, id, <-d.deleted)
	require.Eventually(t, func() bool { return s.GridSessions() == 0 }, 10*time.Second, time.Millisecond)
	ss := s.Sessions(projectArn)[0]
	assert.Equal(t, errored, ss.Status)
	log := string(s.Artifacts(ss.Arn)[0].Data)
	assert.Contains(t, log, "idle timeout")
}

// TestGridCloseEndsSessions: closing the server deletes the sessions in
// progress at the driver, ERRORED.
func TestGridCloseEndsSessions(t *testing.T) {
	d := newFakeDriver(t)
	s := devicefarmtest.NewServer(func(o *devicefarmtest.Options) { o.WebDriverURL = d.URL })
	u := gridURL(t, s)
	_, id, _ := newSession(t, u, `{"browserName":"chrome"}`)
	s.Close()
	assert.Equal(t, id, <-d.deleted)
	assert.Equal(t, errored, s.Sessions(projectArn)[0].Status)
}

// TestGridLoopbackOnly refuses a client that is not on loopback.
func TestGridLoopbackOnly(t *testing.T) {
	s := devicefarmtest.NewUnstartedServer()
	defer s.Close()
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	req := httptest.NewRequest(http.MethodPost, "/_grid/x/session", strings.NewReader(`{}`))
	req.RemoteAddr = "192.0.2.1:1234"
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Contains(t, rec.Body.String(), "loopback only")
}

// TestGridChromium drives a real headless Chromium through the grid with
// the W3C protocol over net/http; skipped without /usr/bin/chromedriver
// (Debian's chromium-driver).
func TestGridChromium(t *testing.T) {
	const driver = chromedriver.DefaultPath
	if _, err := os.Stat(driver); err != nil {
		t.Skip("no " + driver + " (apt-get install chromium-driver)")
	}
	drv, err := chromedriver.Start(driver)
	require.NoError(t, err)
	defer drv.Stop()
	s := newServer(t, func(o *devicefarmtest.Options) { o.WebDriverURL = drv.URL })
	u := gridURL(t, s)

	status, id, out := newSession(t, u, `{"browserName":"chrome","browserVersion":"latest"}`)
	require.Equal(t, http.StatusOK, status, out)
	status, _ = wd(t, http.MethodPost, u+"/session/"+id+"/url", `{"url":"data:text/html,<title>grid ok</title>"}`)
	require.Equal(t, http.StatusOK, status)
	_, out = wd(t, http.MethodGet, u+"/session/"+id+"/title", "")
	assert.Equal(t, "grid ok", out["value"])
	status, _ = wd(t, http.MethodDelete, u+"/session/"+id, "")
	require.Equal(t, http.StatusOK, status)

	out2, err := s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err)
	require.Len(t, out2.TestGridSessions, 1)
	assert.Equal(t, closed, out2.TestGridSessions[0].Status)
	assert.Len(t, s.Actions(out2.TestGridSessions[0].Arn), 4)
}
