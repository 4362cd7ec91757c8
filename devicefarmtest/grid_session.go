package devicefarmtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm"
)

// A WebDriver session through the grid: its start, its commands, its
// recording as a test grid session, and its end.

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
	if msg := s.sessionRateExceeded(start); msg != "" {
		g.mu.Unlock()
		rw.sendWebDriverError(http.StatusInternalServerError, "session not created", msg)
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
		killBrowser(dir) // one the driver started before it failed
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
	if status/100 != 2 {
		killBrowser(gs.userDataDir)
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
// when stopBrowser is set (its browser killed if the driver cannot
// delete it), its profile removed, and the TestGridSession gets its end,
// status, billing minutes and log.
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
	gs.mu.Unlock()

	if stopBrowser {
		// Stop the browser if it still runs. A driver that cannot is
		// gone (or lost the session): its failed DELETE goes into the
		// session's actions and log, and the browser is killed.
		start := s.opts.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		code, resp, err := s.callDriver(ctx, http.MethodDelete, "/session/"+gs.id, nil)
		cancel()
		if err != nil {
			code, resp = http.StatusInternalServerError, []byte(err.Error())
		}
		if code/100 != 2 {
			gs.record(s, start, s.opts.Now(), "DELETE", "/session/"+gs.id+" (the driver could not end it: browser killed)", nil, code, resp)
			killBrowser(gs.userDataDir)
		}
	}
	gs.mu.Lock()
	log := bytes.Clone(gs.log.Bytes())
	gs.mu.Unlock()
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
