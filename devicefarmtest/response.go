package devicefarmtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/internal/awsjson"
)

// This file writes responses: the JSON of a page of sessions and of an
// error, and the responder that sends them (or a part of them) with the
// service's headers, or drops the connection.

// apiError is an error response: status, X-Amzn-ErrorType and message.
type apiError struct {
	status  int
	code    string
	message string
}

func serializationError(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "SerializationException", message: fmt.Sprintf(format, args...)}
}

// errorBody renders {"__type":code,"message":message}.
func errorBody(code, message string) []byte {
	b, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{code, message})
	return b
}

// appendPage renders a ListTestGridSessions result, each session with
// awsjson.AppendSession (its rules for timestamps, NaN and infinite
// billingMinutes and left-out members) and strings escaped as
// encoding/json escapes them.
func appendPage(b []byte, sessions []devicefarm.TestGridSession, nextToken string) []byte {
	b = append(b, `{"testGridSessions":[`...)
	for i := range sessions {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendSession(b, &sessions[i])
	}
	b = append(b, ']')
	if nextToken != "" {
		b = append(b, `,"nextToken":`...)
		b = appendString(b, nextToken)
	}
	return append(b, '}')
}

// appendSession writes one session (see appendPage).
func appendSession(b []byte, s *devicefarm.TestGridSession) []byte {
	return awsjson.AppendSession(b, &awsjson.Session{
		Arn: s.Arn, Status: string(s.Status), Created: s.Created, Ended: s.Ended,
		BillingMinutes: s.BillingMinutes, SeleniumProperties: s.SeleniumProperties,
	}, awsjson.Layout{String: appendString})
}

// appendString writes s as encoding/json does ('<', '>' and '&' escaped).
func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(b, q...)
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

// sendPadded streams a valid JSON page of exactly size bytes (at least 23).
func (rw *responder) sendPadded(status, size int) {
	const empty = `{"testGridSessions":[]}`
	const prefix, suffix = `{"testGridSessions":[],"padding":"`, `"}`
	size = max(size, len(empty))
	head, tail := []byte(prefix), []byte(suffix)
	pad := size - len(prefix) - len(suffix)
	if pad < 0 {
		head, tail, pad = []byte(empty), bytes.Repeat([]byte(" "), size-len(empty)), 0
	}
	rw.header(status, "", jsonContentType, size)
	w := rw.w
	if _, err := w.Write(head); err != nil {
		return
	}
	chunk := []byte(strings.Repeat("x", 32<<10))
	for pad > 0 {
		n := min(pad, len(chunk))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		pad -= n
	}
	_, _ = w.Write(tail)
}

// abort drops the connection without (completing) a response: it hijacks
// and closes it, or, when the ResponseWriter cannot be hijacked (HTTP/2, a
// ResponseRecorder), panics with http.ErrAbortHandler as net/http expects.
func (rw *responder) abort() {
	rw.s.log.update(rw.rec, func(*Request) {}) // counted: its outcome is known
	if conn, _, err := http.NewResponseController(rw.w).Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}
