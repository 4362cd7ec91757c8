package devicefarmtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/testgridkit/devicefarm"
)

// The test grid's WebDriver remote end: a test grid URL, SERVER/_grid/TOKEN,
// takes W3C WebDriver commands and passes them to the WebDriver server of
// Options.WebDriverURL (chromedriver), recording each WebDriver session as
// a TestGridSession, each command as an Action and the session's commands
// and responses as its SELENIUM_LOG artifact.

// Defaults of the test grid's options.
const (
	// DefaultMaxSessions is the number of ACTIVE sessions the grid runs at
	// once: Device Farm's quota ("up to 50 sessions in an active state at
	// any time").
	DefaultMaxSessions = 50
	// DefaultIdleTimeout ends a session that received no command for that
	// long. Device Farm's documentation gives no idle timeout; this is
	// Selenium Grid's default session timeout (300 s).
	DefaultIdleTimeout = 5 * time.Minute
	// MaxWebDriverRequestBytes caps a WebDriver command's body: Device
	// Farm's "No POST payload may be greater than 30MB".
	MaxWebDriverRequestBytes = 30 << 20
	// maxDriverResponseBytes caps what the fake reads of a driver's answer
	// (screenshots of large pages are some MB).
	maxDriverResponseBytes = 64 << 20
	// maxLogBodyBytes caps each request or response body in a session's
	// log, and maxLogBytes the whole log.
	maxLogBodyBytes = 2 << 10
	maxLogBytes     = 4 << 20
	// driverCallTimeout bounds one command at the driver (a page load
	// included).
	driverCallTimeout = 5 * time.Minute
)

// ChromiumArgs are the command-line flags the grid adds to
// goog:chromeOptions args when the client's capabilities lack them, so
// that a browser runs headless, in a container, and makes no network
// call of its own. Each session also gets a fresh --user-data-dir,
// replacing any the client gave, removed when the session ends.
var ChromiumArgs = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
	"--disable-component-update", "--no-first-run",
}

// gridOffMessage is the message of the error a new session gets when no
// WebDriver server is configured.
const gridOffMessage = "this fake test grid runs no browser: set devicefarmtest.Options.WebDriverURL to a WebDriver server on loopback (testgrid serve starts /usr/bin/chromedriver, or takes --webdriver URL)"

// grid holds the WebDriver sessions in progress.
type grid struct {
	mu       sync.Mutex
	sessions map[string]*gridSession // by the driver's session ID
	pending  int                     // sessions being created
	closed   bool
	client   *http.Client
}

// gridSession is one WebDriver session in progress.
type gridSession struct {
	id          string // the driver's session ID, also the TestGridSession's ID
	projectArn  string
	session     devicefarm.TestGridSession
	userDataDir string

	mu      sync.Mutex
	ended   bool
	timer   *time.Timer
	log     bytes.Buffer
	logFull bool
	busy    int // commands in flight: the idle timer does not end a busy session
}

func (g *grid) init() {
	g.sessions = make(map[string]*gridSession)
	g.client = &http.Client{
		// Its own transport: no proxy from the environment, and idle
		// connections closed with the server.
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute},
		Timeout:   driverCallTimeout,
		// Never follow a driver's redirect: the fake answers for it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// serveGrid answers a request to a test grid URL, BASE/_grid/TOKEN/PATH,
// with W3C WebDriver's endpoints under it: GET status, POST session, and
// every command of a session, /session/ID/..., which goes to the driver.
func (s *Server) serveGrid(rw *responder, body []byte, tooLarge bool) {
	rest := strings.TrimPrefix(rw.r.URL.Path, gridPathPrefix)
	token, path, _ := strings.Cut(rest, "/")
	if !isLoopbackRemote(rw.r.RemoteAddr) {
		rw.sendWebDriverError(http.StatusForbidden, "unknown error", "the test grid takes WebDriver clients on loopback only")
		return
	}
	s.store.mu.RLock()
	g, ok := s.store.grids[token]
	s.store.mu.RUnlock()
	if !ok || !s.opts.Now().Before(g.expires) {
		rw.sendWebDriverError(http.StatusNotFound, "unknown command", "the test grid URL is unknown or has expired; get one with CreateTestGridUrl")
		return
	}
	if tooLarge {
		rw.sendWebDriverError(http.StatusRequestEntityTooLarge, "invalid argument", fmt.Sprintf("the command's body is over %d bytes", MaxWebDriverRequestBytes))
		return
	}
	path = strings.TrimSuffix(path, "/")
	for _, seg := range strings.Split(path, "/") {
		if seg == "." || seg == ".." || strings.ContainsAny(seg, "?#\\") {
			// A dot segment would climb out of /session/ID at the driver.
			rw.sendWebDriverError(http.StatusNotFound, "unknown command", "a WebDriver command's path has no dot segments")
			return
		}
	}
	method := rw.r.Method
	switch {
	case path == "status" && method == http.MethodGet:
		ready := s.opts.WebDriverURL != ""
		msg := "the fake test grid is ready"
		if !ready {
			msg = gridOffMessage
		}
		b, _ := json.Marshal(map[string]any{"value": map[string]any{"ready": ready, "message": msg}})
		rw.send(http.StatusOK, "", jsonUTF8, b)
	case path == "session" && method == http.MethodPost:
		s.newGridSession(rw, g.projectArn, body)
	case strings.HasPrefix(path, "session/"):
		id, _, _ := strings.Cut(strings.TrimPrefix(path, "session/"), "/")
		s.gridCommand(rw, g.projectArn, id, path, body)
	default:
		rw.sendWebDriverError(http.StatusNotFound, "unknown command", "unknown WebDriver command "+method+" /"+path)
	}
}

const jsonUTF8 = "application/json; charset=utf-8"

func (rw *responder) sendWebDriverError(status int, code, msg string) {
	rw.send(status, "", jsonUTF8, appendWebDriverError(nil, code, msg))
}

// isLoopbackRemote reports whether a request's RemoteAddr is a loopback
// address. An empty one (a request handed to ServeHTTP directly) counts.
func isLoopbackRemote(addr string) bool {
	if addr == "" {
		return true
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newGridSession starts a WebDriver session at the driver.
func (s *Server) newGridSession(rw *responder, projectArn string, body []byte) {
	start := s.opts.Now()
	requested, upstream, err := sessionCapabilities(body)
	if err != nil {
		rw.sendWebDriverError(http.StatusBadRequest, "invalid argument", err.Error())
		return
	}
	if s.opts.WebDriverURL == "" {
		rw.sendWebDriverError(http.StatusInternalServerError, "session not created", gridOffMessage)
		return
	}
	g := &s.grid
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		rw.sendWebDriverError(http.StatusInternalServerError, "session not created", "the test grid is shutting down")
		return
	}
	if len(g.sessions)+g.pending >= s.opts.MaxSessions {
		g.mu.Unlock()
		rw.sendWebDriverError(http.StatusInternalServerError, "session not created",
			fmt.Sprintf("LimitExceededException: you may have up to %d sessions in an active state at any time", s.opts.MaxSessions))
		return
	}
	g.pending++
	g.mu.Unlock()
	release := func() { g.mu.Lock(); g.pending--; g.mu.Unlock() }

	dir, err := os.MkdirTemp("", "devicefarmtest-profile-")
	if err != nil {
		release()
		rw.sendWebDriverError(http.StatusInternalServerError, "session not created", "cannot make a browser profile directory: "+err.Error())
		return
	}
	setChromeProfile(upstream, dir)
	out, _ := json.Marshal(map[string]any{"capabilities": map[string]any{"alwaysMatch": upstream}})
	// Not cancelled with the client's request: a browser the driver
	// starts after all is then known, and ended by the idle timeout,
	// instead of running unseen until the driver stops.
	status, resp, callErr := s.callDriver(context.WithoutCancel(rw.r.Context()), http.MethodPost, "/session", out)
	end := s.opts.Now()

	var created struct {
		Value struct {
			SessionID    string         `json:"sessionId"`
			Capabilities map[string]any `json:"capabilities"`
		} `json:"value"`
	}
	if callErr == nil && status == http.StatusOK {
		_ = json.Unmarshal(resp, &created)
	}
	id := created.Value.SessionID
	if id == "" || !validSessionID(id) {
		release()
		_ = os.RemoveAll(dir)
		// The browser did not start: an ERRORED session, as Device Farm
		// records one, with the driver's answer in its log.
		msg := "the browser did not start"
		if callErr != nil {
			msg = "the WebDriver server does not answer: " + callErr.Error()
		} else if m := webDriverMessage(resp); m != "" {
			msg += ": " + m
		}
		var u [16]byte
		_, _ = rand.Read(u[:])
		arn := sessionArn(projectArn, hex.EncodeToString(u[:]))
		s.AddSessions(projectArn, devicefarm.TestGridSession{Arn: arn, Status: devicefarm.TestGridSessionStatusErrored,
			Created: start, Ended: end, BillingMinutes: billingMinutes(end.Sub(start).Milliseconds()), SeleniumProperties: requested})
		_ = s.AddActions(arn, Action{Action: "POST /session", Started: start, Duration: end.Sub(start), StatusCode: "500", RequestMethod: http.MethodPost})
		var log bytes.Buffer
		appendLogEntry(&log, start, "POST", "/session", body, http.StatusInternalServerError, []byte(msg))
		_ = s.AddArtifacts(arn, seleniumLog(log.Bytes()))
		rw.sendWebDriverError(http.StatusInternalServerError, "session not created", msg)
		return
	}

	gs := &gridSession{id: id, projectArn: projectArn, userDataDir: dir}
	gs.session = devicefarm.TestGridSession{
		Arn: sessionArn(projectArn, id), Status: devicefarm.TestGridSessionStatusActive,
		Created: start, SeleniumProperties: requested,
	}
	s.AddSessions(projectArn, gs.session)
	scrubCapabilities(created.Value.Capabilities)
	answer, _ := json.Marshal(map[string]any{"value": map[string]any{"sessionId": id, "capabilities": created.Value.Capabilities}})
	gs.record(s, start, end, http.MethodPost, "/session", body, http.StatusOK, answer)

	g.mu.Lock()
	g.pending--
	if g.closed {
		g.mu.Unlock()
		s.endGridSession(gs, devicefarm.TestGridSessionStatusErrored, true)
		rw.sendWebDriverError(http.StatusInternalServerError, "session not created", "the test grid is shutting down")
		return
	}
	g.sessions[id] = gs
	gs.timer = time.AfterFunc(s.opts.IdleTimeout, func() { s.idle(gs) })
	g.mu.Unlock()
	rw.send(http.StatusOK, "", jsonUTF8, answer)
}

// validSessionID accepts the session IDs drivers give: letters, digits,
// '-' and '_', so that one is safe in a path and an ARN.
func validSessionID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// gridCommand passes one command of a session to the driver.
func (s *Server) gridCommand(rw *responder, projectArn, id, path string, body []byte) {
	g := &s.grid
	g.mu.Lock()
	gs := g.sessions[id]
	g.mu.Unlock()
	if gs == nil || gs.projectArn != projectArn {
		rw.sendWebDriverError(http.StatusNotFound, "invalid session id", "no active session with this ID on this test grid")
		return
	}
	method := rw.r.Method
	if method == http.MethodPost && len(bytes.TrimSpace(body)) > 0 && !json.Valid(body) {
		rw.sendWebDriverError(http.StatusBadRequest, "invalid argument", "the command's body is not JSON")
		return
	}
	if !gs.begin() {
		rw.sendWebDriverError(http.StatusNotFound, "invalid session id", "the session has ended")
		return
	}
	start := s.opts.Now()
	status, resp, err := s.callDriver(rw.r.Context(), method, "/"+path, body)
	end := s.opts.Now()
	deleting := method == http.MethodDelete && path == "session/"+id
	if err != nil {
		msg := "the WebDriver server does not answer: " + err.Error()
		resp = appendWebDriverError(nil, "unknown error", msg)
		gs.record(s, start, end, method, "/"+path, body, http.StatusInternalServerError, resp)
		gs.done(s)
		s.endGridSession(gs, devicefarm.TestGridSessionStatusErrored, true)
		rw.send(http.StatusInternalServerError, "", jsonUTF8, resp)
		return
	}
	gs.record(s, start, end, method, "/"+path, body, status, resp)
	gs.done(s)
	switch {
	case deleting:
		s.endGridSession(gs, devicefarm.TestGridSessionStatusClosed, false)
	case status >= 400 && browserGone(resp):
		// The browser crashed or was closed under the session.
		s.endGridSession(gs, devicefarm.TestGridSessionStatusErrored, true)
	}
	rw.send(status, "", jsonUTF8, resp)
}

// browserGone reports whether a driver's error says the session's browser
// is gone.
func browserGone(resp []byte) bool {
	var e struct {
		Value struct {
			Error string `json:"error"`
		} `json:"value"`
	}
	_ = json.Unmarshal(resp, &e)
	return e.Value.Error == "invalid session id"
}

func webDriverMessage(resp []byte) string {
	var e struct {
		Value struct {
			Message string `json:"message"`
		} `json:"value"`
	}
	_ = json.Unmarshal(resp, &e)
	m, _, _ := strings.Cut(e.Value.Message, "\n")
	return m
}

// begin marks a command in flight, false once the session has ended.
func (gs *gridSession) begin() bool {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	if gs.ended {
		return false
	}
	gs.busy++
	return true
}

// done ends a command and restarts the idle timer.
func (gs *gridSession) done(s *Server) {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	gs.busy--
	if gs.timer != nil && !gs.ended {
		gs.timer.Reset(s.opts.IdleTimeout)
	}
}

// idle ends a session abandoned past the idle timeout, ERRORED.
func (s *Server) idle(gs *gridSession) {
	gs.mu.Lock()
	busy := gs.busy > 0 || gs.ended
	gs.mu.Unlock()
	if busy {
		return // done restarts the timer
	}
	start := s.opts.Now()
	status, resp, err := s.callDriver(context.Background(), http.MethodDelete, "/session/"+gs.id, nil)
	if err != nil {
		status, resp = http.StatusInternalServerError, []byte(err.Error())
	}
	gs.record(s, start, s.opts.Now(), "DELETE", "/session/"+gs.id+" (idle timeout)", nil, status, resp)
	s.endGridSession(gs, devicefarm.TestGridSessionStatusErrored, false)
}

// record adds a command to the session's actions and log.
func (gs *gridSession) record(s *Server, start, end time.Time, method, path string, req []byte, status int, resp []byte) {
	action := method + " " + strings.Replace(path, "/session/"+gs.id, "/session/{sessionId}", 1)
	_ = s.AddActions(gs.session.Arn, Action{Action: action, Started: start, Duration: end.Sub(start), StatusCode: fmt.Sprint(status), RequestMethod: method})
	gs.mu.Lock()
	defer gs.mu.Unlock()
	if gs.logFull {
		return
	}
	if gs.log.Len() > maxLogBytes {
		gs.log.WriteString("... log truncated\n")
		gs.logFull = true
		return
	}
	appendLogEntry(&gs.log, start, method, path, scrubCommand(path, req), status, resp)
}

// endGridSession ends a session once: the driver's session is deleted
// when stopBrowser is set, its profile removed, and the TestGridSession
// gets its end, status, billing minutes and log.
func (s *Server) endGridSession(gs *gridSession, status devicefarm.TestGridSessionStatus, stopBrowser bool) {
	gs.mu.Lock()
	if gs.ended {
		gs.mu.Unlock()
		return
	}
	gs.ended = true
	if gs.timer != nil {
		gs.timer.Stop()
	}
	log := bytes.Clone(gs.log.Bytes())
	gs.mu.Unlock()

	if stopBrowser {
		// Stop the browser if it still runs.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, _, _ = s.callDriver(ctx, http.MethodDelete, "/session/"+gs.id, nil)
		cancel()
	}
	_ = os.RemoveAll(gs.userDataDir)
	ss := gs.session
	ss.Status = status
	ss.Ended = s.opts.Now()
	ss.BillingMinutes = billingMinutes(ss.Ended.Sub(ss.Created).Milliseconds())
	s.AddSessions(gs.projectArn, ss)
	_ = s.AddArtifacts(ss.Arn, seleniumLog(log))

	g := &s.grid
	g.mu.Lock()
	delete(g.sessions, gs.id)
	g.mu.Unlock()
}

func seleniumLog(data []byte) Artifact {
	return Artifact{Filename: "selenium.log", Type: ArtifactSeleniumLog, ContentType: "text/plain; charset=utf-8", Data: data}
}

// appendLogEntry writes one command to a log: its time, method and path,
// status, and both bodies, each cut to maxLogBodyBytes.
func appendLogEntry(b *bytes.Buffer, t time.Time, method, path string, req []byte, status int, resp []byte) {
	fmt.Fprintf(b, "%s %s %s -> %d\n", t.UTC().Format("2006-01-02T15:04:05.000Z"), method, path, status)
	for _, part := range []struct {
		name string
		body []byte
	}{{"request", req}, {"response", resp}} {
		if len(bytes.TrimSpace(part.body)) == 0 {
			continue
		}
		body := part.body
		cut := ""
		if len(body) > maxLogBodyBytes {
			body, cut = body[:maxLogBodyBytes], fmt.Sprintf(" ... (%d bytes)", len(part.body))
		}
		fmt.Fprintf(b, "  %s: %s%s\n", part.name, strings.ToValidUTF8(strings.ReplaceAll(string(body), "\n", `\n`), "\uFFFD"), cut)
	}
}

// scrubCommand hides what a command may carry of the user's secrets: the
// keys typed into elements and sent as actions (passwords among them) and
// cookie values.
func scrubCommand(path string, body []byte) []byte {
	switch {
	case strings.HasSuffix(path, "/value"), strings.HasSuffix(path, "/actions"),
		strings.HasSuffix(path, "/cookie"), strings.HasSuffix(path, "/alert/text"):
		if len(body) > 0 {
			return []byte(`"[scrubbed]"`)
		}
	}
	return body
}

// scrubCapabilities drops from a driver's answer what would reveal the
// browser's own endpoints or files: the DevTools address, the profile
// directory, the BiDi WebSocket URL.
func scrubCapabilities(caps map[string]any) {
	delete(caps, "webSocketUrl")
	delete(caps, "se:cdp")
	delete(caps, "goog:processID")
	for _, k := range []string{"goog:chromeOptions", "chrome", "ms:edgeOptions", "msedge"} {
		if m, ok := caps[k].(map[string]any); ok {
			delete(m, "debuggerAddress")
			delete(m, "userDataDir")
		}
	}
}

// sessionCapabilities reads a New Session body: it returns the capabilities
// the client asked for (alwaysMatch merged with the first firstMatch), as
// JSON for seleniumProperties, and those to send the driver.
func sessionCapabilities(body []byte) (string, map[string]any, error) {
	var req struct {
		Capabilities *struct {
			AlwaysMatch map[string]any   `json:"alwaysMatch"`
			FirstMatch  []map[string]any `json:"firstMatch"`
		} `json:"capabilities"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return "", nil, errors.New("the New Session body is not a JSON object with a capabilities object: " + err.Error())
	}
	if req.Capabilities == nil {
		return "", nil, errors.New(`the New Session body has no "capabilities" object (W3C WebDriver)`)
	}
	caps := map[string]any{}
	for k, v := range req.Capabilities.AlwaysMatch {
		caps[k] = v
	}
	if len(req.Capabilities.FirstMatch) > 0 {
		for k, v := range req.Capabilities.FirstMatch[0] {
			caps[k] = v
		}
	}
	requested, err := json.Marshal(caps)
	if err != nil {
		return "", nil, err
	}
	// The driver runs Chromium whatever browser, version and platform
	// were asked for; Device Farm's own aws: capabilities stay here.
	up := map[string]any{}
	for k, v := range caps {
		switch {
		case k == "browserName", k == "browserVersion", k == "platformName", k == "platform", strings.HasPrefix(k, "aws:"),
			k == "moz:firefoxOptions", k == "ms:edgeOptions", k == "se:options":
			continue
		}
		up[k] = v
	}
	up["browserName"] = "chrome"
	return string(requested), up, nil
}

// setChromeProfile adds ChromiumArgs the client's args lack and points
// --user-data-dir at dir, replacing the client's.
func setChromeProfile(caps map[string]any, dir string) {
	opts, _ := caps["goog:chromeOptions"].(map[string]any)
	if opts == nil {
		opts = map[string]any{}
	}
	var args []any
	have := map[string]bool{}
	if list, ok := opts["args"].([]any); ok {
		for _, a := range list {
			str, _ := a.(string)
			name, _, _ := strings.Cut(strings.TrimLeft(str, "-"), "=")
			if name == "user-data-dir" {
				continue
			}
			have[name] = true
			args = append(args, a)
		}
	}
	for _, a := range ChromiumArgs {
		if !have[strings.TrimLeft(a, "-")] && !(a == "--headless" && have["headless"]) {
			args = append(args, a)
		}
	}
	args = append(args, "--user-data-dir="+dir)
	opts["args"] = args
	delete(opts, "debuggerAddress") // never attach to a browser of the client's choosing
	caps["goog:chromeOptions"] = opts
}

// callDriver sends one request to the WebDriver server.
func (s *Server) callDriver(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	// Joined as is: serveGrid refused dot segments, and cleaning the
	// path here would change what the client asked.
	u := strings.TrimSuffix(s.opts.WebDriverURL, "/") + (&url.URL{Path: path}).EscapedPath()
	var rd io.Reader
	if body != nil && method != http.MethodGet && method != http.MethodDelete {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := s.grid.client.Do(req)
	if err != nil {
		// The error names the driver's address: keep it out of what the
		// client sees.
		if errors.Is(err, context.Canceled) {
			return 0, nil, errors.New("the command was cancelled")
		}
		return 0, nil, errors.New("the connection to the WebDriver server failed")
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxDriverResponseBytes))
	if err != nil {
		return 0, nil, errors.New("the WebDriver server's answer broke off")
	}
	return resp.StatusCode, b, nil
}

// closeGrid ends the sessions in progress, ERRORED, and stops their
// browsers.
func (s *Server) closeGrid() {
	g := &s.grid
	g.mu.Lock()
	g.closed = true
	live := make([]*gridSession, 0, len(g.sessions))
	for _, gs := range g.sessions {
		live = append(live, gs)
	}
	g.mu.Unlock()
	var wg sync.WaitGroup
	for _, gs := range live {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.endGridSession(gs, devicefarm.TestGridSessionStatusErrored, true)
		}()
	}
	wg.Wait()
	g.client.CloseIdleConnections()
}

// GridSessions returns the number of WebDriver sessions in progress.
func (s *Server) GridSessions() int {
	s.grid.mu.Lock()
	defer s.grid.mu.Unlock()
	return len(s.grid.sessions)
}
