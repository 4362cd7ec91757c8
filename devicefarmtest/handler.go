package devicefarmtest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/internal/oneline"
	"github.com/testgridkit/devicefarm/internal/uuid"
)

// ServeHTTP answers one request (a *Server is an http.Handler). It
// records the request and waits Latency. A GET for an artifact's URL or a
// request to a test grid URL is answered as such. Any other request is a
// service call: the protocol (POST, at most MaxRequestBytes of body, the
// awsJson1.1 Content-Type, an X-Amz-Target naming a test grid operation)
// and the SigV4 signature (against Options: the key pair, session token,
// region and, through Now, a 5 minute window) are checked, the first
// injected fault due takes it if any (see Inject), and otherwise the
// operation answers it.
// FaultEmptyPage and FaultRepeatToken go through the operation too.
//
// To mount the server on one of your own, mount it where the client's path
// arrives unchanged (not under http.StripPrefix): the path is part of the
// signature, and of artifact and test grid URLs. Faults that drop the
// connection hijack it, or panic with http.ErrAbortHandler when the
// ResponseWriter cannot be hijacked (HTTP/2, httptest.ResponseRecorder).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &Request{
		Time:      s.opts.Now(),
		Method:    r.Method,
		Path:      r.URL.Path,
		Target:    r.Header.Get("X-Amz-Target"),
		Header:    r.Header.Clone(),
		RequestID: uuid.New(),
	}
	s.revealDue()
	if r.Body == nil { // a client-side request passed to ServeHTTP directly
		r.Body = http.NoBody
	}
	limit := int64(MaxRequestBytes)
	grid := strings.HasPrefix(r.URL.Path, gridPathPrefix)
	if grid {
		limit = MaxWebDriverRequestBytes
		// The token is a secret: the log keeps the path without it, and
		// no WebDriver body (typed text may be a password).
		rec.Path = gridPathPrefix + "TOKEN"
	}
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if !grid {
		rec.Body = body
	}
	rec.BodySize, rec.HeaderSize = len(body), headerSize(rec.Header)
	s.log.add(rec)
	rw := &responder{s: s, w: w, r: r, rec: rec}

	var tooLarge *http.MaxBytesError
	if readErr != nil && !errors.As(readErr, &tooLarge) {
		s.log.reject(rec)
		rw.abort() // the client went away mid-body
		return
	}
	if !s.wait(r.Context(), time.Duration(s.latency.Load())) {
		rw.abort()
		return
	}
	switch {
	case strings.HasPrefix(r.URL.Path, artifactPathPrefix) && r.Method == http.MethodGet:
		s.serveArtifact(rw)
		return
	case grid:
		s.serveGrid(rw, body, tooLarge != nil)
		return
	}
	op, e := checkProtocol(r, tooLarge != nil)
	if e == nil {
		e = s.verifySignature(r, body)
	}
	if e != nil {
		s.log.reject(rec)
		rw.sendError(e)
		return
	}
	c := &call{body: body, kind: noFault, r: r}
	if f, ok := s.faults.take(op.name, func() string { return s.projectOfCall(body) }); ok {
		s.log.update(rec, func(r *Request) { r.Fault = &f })
		s.serveFault(rw, f, op, c)
		return
	}
	out, e := op.serve(s, c)
	if e != nil {
		rw.sendError(e)
		return
	}
	rw.send(http.StatusOK, "", jsonContentType, out)
}

// listTestGridSessions answers a signed call: normally when kind is
// noFault, else as the pagination fault kind (FaultEmptyPage,
// FaultRepeatToken) says. Invalid input, a bad nextToken or an unknown
// project get their normal error response in every case.
func (s *Server) listTestGridSessions(c *call) ([]byte, *apiError) {
	lc, e := s.parseListCall(c.body)
	if e != nil {
		return nil, e
	}
	page, next, e := s.list(lc)
	if e != nil {
		return nil, e
	}
	var pos *tokenPosition
	if next != nil {
		p := positionAfter(*next)
		pos = &p
	}
	token, empty := s.nextToken(&lc.pageCall, c.kind, pos)
	if empty {
		page = nil
	}
	return appendPage(make([]byte, 0, 512*len(page)+128), page, token), nil
}

// list returns the call's page and, when more matching sessions follow,
// the key of the last one returned.
func (s *Server) list(c *listCall) ([]devicefarm.TestGridSession, *sessionKey, *apiError) {
	page, next, lerr := s.store.list(c.q, &c.pos, c.size)
	switch lerr {
	case errNoProject:
		// The ARN passed validation, so it is never cut.
		return nil, nil, &apiError{status: http.StatusBadRequest, code: devicefarm.CodeNotFoundException,
			message: fmt.Sprintf("Project %s was not found.", oneline.Quote(c.q.projectArn, maxProjectArnLen))}
	case errBadPosition:
		return nil, nil, unknownPosition()
	}
	return page, next, nil
}
