package devicefarmtest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/internal/oneline"
	"github.com/testgridkit/devicefarm/internal/uuid"
)

// ServeHTTP answers one request (a *Server is an http.Handler). It records
// the request, waits Latency, checks the protocol (POST, at most
// MaxRequestBytes of body, the awsJson1.1 Content-Type and the
// ListTestGridSessions X-Amz-Target) and the SigV4 signature (against
// Options: the key pair, session token, region and, through Now, a 5
// minute window), takes the next fault queued by FailNext if any, and
// otherwise answers ListTestGridSessions: input, nextToken, project, page.
// FaultEmptyPage and FaultRepeatToken go through those last steps too.
//
// To mount the server on one of your own, mount it where the client's path
// arrives unchanged (not under http.StripPrefix): the path is part of the
// signature. Faults that drop the connection hijack it, or panic with
// http.ErrAbortHandler when the ResponseWriter cannot be hijacked (HTTP/2,
// httptest.ResponseRecorder).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &Request{
		Time:      s.opts.Now(),
		Method:    r.Method,
		Path:      r.URL.Path,
		Target:    r.Header.Get("X-Amz-Target"),
		Header:    r.Header.Clone(),
		RequestID: uuid.New(),
	}
	if r.Body == nil { // a client-side request passed to ServeHTTP directly
		r.Body = http.NoBody
	}
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	rec.Body = body
	s.log.add(rec)
	rw := &responder{s: s, w: w, r: r, rec: rec}

	var tooLarge *http.MaxBytesError
	if readErr != nil && !errors.As(readErr, &tooLarge) {
		rw.abort() // the client went away mid-body
		return
	}
	if !s.wait(r.Context(), time.Duration(s.latency.Load())) {
		rw.abort()
		return
	}
	if e := checkProtocol(r, tooLarge != nil); e != nil {
		rw.sendError(e)
		return
	}
	if e := s.verifySignature(r, body); e != nil {
		rw.sendError(e)
		return
	}
	if f, ok := s.faults.pop(); ok {
		s.log.update(rec, func(r *Request) { r.Fault = &f })
		s.serveFault(rw, f, body)
		return
	}
	page, e := s.listTestGridSessions(body, noFault)
	if e != nil {
		rw.sendError(e)
		return
	}
	rw.send(http.StatusOK, "", jsonContentType, page)
}

// listTestGridSessions answers a signed call: normally when kind is
// noFault, else as the pagination fault kind (FaultEmptyPage,
// FaultRepeatToken) says. Invalid input, a bad nextToken or an unknown
// project get their normal error response in every case.
func (s *Server) listTestGridSessions(body []byte, kind FaultKind) ([]byte, *apiError) {
	c, e := s.parseListCall(body)
	if e != nil {
		return nil, e
	}
	page, next, e := s.list(c)
	if e != nil {
		return nil, e
	}
	token := ""
	switch {
	case kind == FaultEmptyPage:
		// A fresh token for the position this call started at: following
		// it returns the page this call would have returned.
		page, token = nil, s.encodeToken(c.qh, c.pos)
	case kind == FaultRepeatToken && c.token != nil:
		token = *c.token
	case next != nil:
		token = s.encodeToken(c.qh, positionAfter(*next))
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
		return nil, nil, &apiError{status: http.StatusBadRequest, code: devicefarm.CodeArgumentException,
			message: "Invalid nextToken: its position is unknown."}
	}
	return page, next, nil
}
