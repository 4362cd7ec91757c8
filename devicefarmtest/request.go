package devicefarmtest

import (
	"fmt"
	"math/big"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/internal/oneline"
)

// This file reads a request: its protocol (method, body size,
// Content-Type, X-Amz-Target), then its JSON body into a listCall, with the
// messages a request that fails gets. Request values echoed in messages go
// through echo.

const (
	jsonContentType = "application/x-amz-json-1.1"
	targetPrefix    = "DeviceFarm_20150623."
)

// maxEpochSeconds bounds accepted timestamps (9999-12-31T23:59:59Z).
const maxEpochSeconds = 253402300799

// maxEchoRunes caps a request value echoed in a message.
const maxEchoRunes = 128

// echo prepares a request value to be quoted in a message: cut to
// maxEchoRunes runes, with control characters and invalid UTF-8 escaped
// Go-style (\n, \x00, \xff), so that every message is one printable line.
func echo(v string) string { return oneline.Quote(v, maxEchoRunes) }

// checkProtocol checks what every awsJson1.1 call needs, and returns the
// operation called.
func checkProtocol(r *http.Request, tooLarge bool) (*operation, *apiError) {
	if r.Method != http.MethodPost {
		return nil, &apiError{status: http.StatusBadRequest, code: "UnknownOperationException",
			message: fmt.Sprintf("Method %s is not supported: awsJson1.1 operations are called with POST.", echo(r.Method))}
	}
	if tooLarge {
		return nil, &apiError{status: http.StatusRequestEntityTooLarge, code: "RequestEntityTooLargeException",
			message: fmt.Sprintf("The request body exceeds the limit of %d bytes.", MaxRequestBytes)}
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != jsonContentType {
		return nil, serializationError(`Content-Type must be %s, got "%s".`, jsonContentType, echo(ct))
	}
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		return nil, &apiError{status: http.StatusBadRequest, code: "UnknownOperationException", message: "Missing X-Amz-Target header."}
	}
	if name, ok := strings.CutPrefix(target, targetPrefix); ok {
		if op := operations[name]; op != nil {
			return op, nil
		}
	}
	return nil, &apiError{status: http.StatusBadRequest, code: "UnknownOperationException",
		message: fmt.Sprintf(`Unknown operation "%s": this fake serves only the test grid operations of %s: %s.`,
			echo(target), strings.TrimSuffix(targetPrefix, "."), strings.Join(OperationNames(), ", "))}
}

// listInput is a decoded ListTestGridSessions request; nil means absent
// (or JSON null).
type listInput struct {
	projectArn, status, nextToken *string
	maxResult                     *int64
	createdAfter, createdBefore   *int64 // Unix milliseconds
	endedAfter, endedBefore       *int64
	rangeErrs                     []string // members whose numbers are out of range
}

// parseInput decodes a ListTestGridSessions request body (see
// decodeMembers). A member of the wrong JSON type is a
// SerializationException.
func parseInput(body []byte) (*listInput, *apiError) {
	m, e := decodeMembers(body)
	if e != nil {
		return nil, e
	}
	in := &listInput{}
	for _, f := range []struct {
		name string
		dst  **string
	}{{"projectArn", &in.projectArn}, {"status", &in.status}, {"nextToken", &in.nextToken}} {
		if *f.dst, e = m.str(f.name); e != nil {
			return nil, e
		}
	}
	if in.maxResult, e = m.integer("maxResult"); e != nil {
		return nil, e
	}
	for _, f := range []struct {
		name string
		dst  **int64
	}{
		{"creationTimeAfter", &in.createdAfter}, {"creationTimeBefore", &in.createdBefore},
		{"endTimeAfter", &in.endedAfter}, {"endTimeBefore", &in.endedBefore},
	} {
		name, dst := f.name, f.dst
		raw := m.raw(name)
		if raw == nil {
			continue
		}
		if !isJSONNumber(raw) {
			return nil, serializationError("Member '%s' must be a timestamp in epoch seconds (a JSON number)", name)
		}
		ms, ok := parseEpochMillis(string(raw))
		if !ok {
			in.rangeErrs = append(in.rangeErrs, name)
			continue
		}
		*dst = &ms
	}
	return in, nil
}

// parseEpochMillis converts a JSON number of epoch seconds to Unix
// milliseconds, exactly, truncating toward zero (as the AWS SDKs do). It
// fails for values beyond year 9999 in either direction.
func parseEpochMillis(num string) (int64, bool) {
	if len(num) > 64 {
		return 0, false
	}
	if i := strings.IndexAny(num, "eE"); i >= 0 {
		exp, err := strconv.Atoi(strings.TrimPrefix(num[i+1:], "+"))
		switch {
		case err != nil || exp > 40:
			return 0, false
		case exp < -80:
			return 0, true // a mantissa of at most 64 digits stays below a millisecond
		}
	}
	r, ok := new(big.Rat).SetString(num)
	if !ok || new(big.Rat).Abs(r).Cmp(new(big.Rat).SetInt64(maxEpochSeconds)) > 0 {
		return 0, false
	}
	ms := new(big.Int).Mul(r.Num(), big.NewInt(1000))
	return ms.Quo(ms, r.Denom()).Int64(), true
}

// validate checks the model's constraints and returns every violation, in
// the AWS "N validation errors detected: ..." style, as an
// ArgumentException.
func (in *listInput) validate() *apiError {
	var v violations
	v.arn("projectArn", in.projectArn, true)
	if in.status != nil && !devicefarm.TestGridSessionStatus(*in.status).Known() {
		v.enum("status", in.status, "ACTIVE", "CLOSED", "ERRORED")
	}
	v.paging(in.maxResult, in.nextToken)
	for _, name := range in.rangeErrs {
		v.add("Value at '%s' failed to satisfy constraint: Member must be a timestamp between 0001-01-01 and 9999-12-31 in epoch seconds", name)
	}
	return v.err()
}

// query returns the selection the input asks for.
func (in *listInput) query() *query {
	q := &query{
		projectArn:    *in.projectArn,
		createdAfter:  in.createdAfter,
		createdBefore: in.createdBefore,
		endedAfter:    in.endedAfter,
		endedBefore:   in.endedBefore,
	}
	if in.status != nil {
		q.status = *in.status
	}
	return q
}

// listCall is a parsed and validated ListTestGridSessions call.
type listCall struct {
	q *query
	pageCall
}

// pageCall is the paging of a list call.
type pageCall struct {
	qh    queryHash
	token *string       // the request's nextToken, nil if none
	pos   tokenPosition // where the page starts: token's position, or the start
	size  int           // maxResult, or Options.DefaultPageSize
}

// paging decodes a list call's nextToken, which must have been issued for
// the request hashed as qh (else the ArgumentException message mismatch),
// and its page size.
func (s *Server) paging(qh queryHash, nextToken *string, maxResult *int64, mismatch string) (pageCall, *apiError) {
	c := pageCall{qh: qh, token: nextToken, pos: tokenPosition{start: true}, size: s.opts.DefaultPageSize}
	if nextToken != nil {
		pos, msg := s.decodeToken(*nextToken, qh, mismatch)
		if msg != "" {
			return c, &apiError{status: http.StatusBadRequest, code: devicefarm.CodeArgumentException, message: msg}
		}
		c.pos = *pos
	}
	if maxResult != nil {
		c.size = int(*maxResult)
	}
	return c, nil
}

// nextToken returns the token of a page that ended at next (nil: the last
// page), as the pagination fault kind (FaultEmptyPage, FaultRepeatToken)
// says; empty tells FaultEmptyPage to send no items.
func (s *Server) nextToken(c *pageCall, kind FaultKind, next *tokenPosition) (token string, empty bool) {
	switch {
	case kind == FaultEmptyPage:
		// A fresh token for the position this call started at: following
		// it returns the page this call would have returned.
		return s.encodeToken(c.qh, c.pos), true
	case kind == FaultRepeatToken && c.token != nil:
		return *c.token, false
	case next != nil:
		return s.encodeToken(c.qh, *next), false
	}
	return "", false
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
	c := &listCall{q: in.query()}
	c.pageCall, e = s.paging(c.q.hash(), in.nextToken, in.maxResult,
		"Invalid nextToken: it was issued for a different projectArn, status or time filter; repeat the request that returned it, changing only nextToken (and maxResult if you like).")
	if e != nil {
		return nil, e
	}
	return c, nil
}
