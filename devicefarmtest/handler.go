package devicefarmtest

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/internal/uuid"
)

const (
	jsonContentType = "application/x-amz-json-1.1"
	targetPrefix    = "DeviceFarm_20150623."
	listTarget      = targetPrefix + "ListTestGridSessions"
)

// ServeHTTP handles one request: it records it, waits Latency, then checks
// the protocol (method, body size, Content-Type, X-Amz-Target) and the
// SigV4 signature, takes the next queued fault if any, and otherwise
// answers ListTestGridSessions (input validation, nextToken, project,
// page). FaultEmptyPage and FaultRepeatToken go through those last steps
// too.
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

// checkProtocol checks what every awsJson1.1 call needs.
func checkProtocol(r *http.Request, tooLarge bool) *apiError {
	if r.Method != http.MethodPost {
		return &apiError{status: http.StatusBadRequest, code: "UnknownOperationException",
			message: fmt.Sprintf("Method %s is not supported: awsJson1.1 operations are called with POST.", quoteValue(r.Method))}
	}
	if tooLarge {
		return &apiError{status: http.StatusRequestEntityTooLarge, code: "RequestEntityTooLargeException",
			message: fmt.Sprintf("The request body exceeds the limit of %d bytes.", MaxRequestBytes)}
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != jsonContentType {
		return serializationError("Content-Type must be %s, got %q.", jsonContentType, shorten(ct))
	}
	switch target := r.Header.Get("X-Amz-Target"); target {
	case listTarget:
		return nil
	case "":
		return &apiError{status: http.StatusBadRequest, code: "UnknownOperationException", message: "Missing X-Amz-Target header."}
	default:
		return &apiError{status: http.StatusBadRequest, code: "UnknownOperationException",
			message: fmt.Sprintf("Unknown operation %q: this fake serves only %s.", shorten(target), listTarget)}
	}
}

// listCall is a parsed and validated ListTestGridSessions call.
type listCall struct {
	q     *query
	qh    queryHash
	token *string       // the request's nextToken, nil if none
	pos   tokenPosition // where the page starts: token's position, or the start
	size  int           // maxResult, or Options.DefaultPageSize
}

// parseListCall parses and validates a request body and decodes its
// nextToken, returning the error response the call gets if any of that
// fails.
func (s *Server) parseListCall(body []byte) (*listCall, *apiError) {
	in, e := parseInput(body)
	if e != nil {
		return nil, e
	}
	if e := in.validate(); e != nil {
		return nil, e
	}
	c := &listCall{q: in.query(), token: in.nextToken, pos: tokenPosition{start: true}, size: s.opts.DefaultPageSize}
	c.qh = c.q.hash()
	if in.nextToken != nil {
		pos, msg := s.decodeToken(*in.nextToken, c.qh)
		if msg != "" {
			return nil, &apiError{status: http.StatusBadRequest, code: devicefarm.CodeArgumentException, message: msg}
		}
		c.pos = *pos
	}
	if in.maxResult != nil {
		c.size = int(*in.maxResult)
	}
	return c, nil
}

// list returns the call's page and, when more matching sessions follow,
// the key of the last one returned.
func (s *Server) list(c *listCall) ([]devicefarm.TestGridSession, *sessionKey, *apiError) {
	page, next, lerr := s.store.list(c.q, &c.pos, c.size)
	switch lerr {
	case errNoProject:
		return nil, nil, &apiError{status: http.StatusBadRequest, code: devicefarm.CodeNotFoundException,
			message: fmt.Sprintf("Project %s was not found.", escapeControl(c.q.projectArn))}
	case errBadPosition:
		return nil, nil, &apiError{status: http.StatusBadRequest, code: devicefarm.CodeArgumentException,
			message: "Invalid nextToken: its position is unknown."}
	}
	return page, next, nil
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

// responder writes the response to one request and records its outcome
// before writing, so a client that has the response finds it in Requests.
type responder struct {
	s   *Server
	w   http.ResponseWriter
	r   *http.Request
	rec *Request
}

// header writes the status line and headers: Content-Type,
// x-amzn-RequestId, Date (from Options.Now), Content-Length and, for
// errors, X-Amzn-ErrorType.
func (rw *responder) header(status int, code, contentType string, length int) {
	h := rw.w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Amzn-Requestid", rw.rec.RequestID)
	h.Set("Date", rw.s.opts.Now().UTC().Format(http.TimeFormat))
	h.Set("Content-Length", strconv.Itoa(length))
	if code != "" {
		h.Set("X-Amzn-Errortype", code)
	}
	rw.s.log.update(rw.rec, func(r *Request) { r.StatusCode, r.ErrorCode = status, code })
	rw.w.WriteHeader(status)
}

func (rw *responder) send(status int, code, contentType string, body []byte) {
	rw.header(status, code, contentType, len(body))
	_, _ = rw.w.Write(body)
}

func (rw *responder) sendError(e *apiError) {
	rw.send(e.status, e.code, jsonContentType, errorBody(e.code, e.message))
}

// sendPartial announces body in full but sends only its first n bytes;
// the caller then drops or holds the connection.
func (rw *responder) sendPartial(status int, body []byte, n int) {
	rw.header(status, "", jsonContentType, len(body))
	_, _ = rw.w.Write(body[:n])
	_ = http.NewResponseController(rw.w).Flush()
}

// abort drops the connection without (completing) a response: it hijacks
// and closes it, or, when the ResponseWriter cannot be hijacked (HTTP/2, a
// ResponseRecorder), panics with http.ErrAbortHandler as net/http expects.
func (rw *responder) abort() {
	if conn, _, err := http.NewResponseController(rw.w).Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}
