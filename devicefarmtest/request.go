package devicefarmtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/internal/oneline"
)

// This file reads a request: its protocol (method, body size,
// Content-Type, X-Amz-Target), then its JSON body into a listCall, with the
// messages a request that fails gets. Request values echoed in messages go
// through echo.

const (
	jsonContentType = "application/x-amz-json-1.1"
	listTarget      = "DeviceFarm_20150623.ListTestGridSessions"
)

// Model constraints of ListTestGridSessionsRequest (DeviceFarm 2015-06-23).
const (
	minProjectArnLen = 32
	maxProjectArnLen = 1011
	minMaxResult     = 1
	maxMaxResult     = 1000
	minNextTokenLen  = 4
	maxNextTokenLen  = 1024
	projectArnRegexp = `^arn:aws:devicefarm:.+`
	// maxEpochSeconds bounds accepted timestamps (9999-12-31T23:59:59Z).
	maxEpochSeconds = 253402300799
)

var projectArnPattern = regexp.MustCompile(projectArnRegexp)

// maxEchoRunes caps a request value echoed in a message.
const maxEchoRunes = 128

// echo prepares a request value to be quoted in a message: cut to
// maxEchoRunes runes, with control characters and invalid UTF-8 escaped
// Go-style (\n, \x00, \xff), so that every message is one printable line.
func echo(v string) string { return oneline.Quote(v, maxEchoRunes) }

// checkProtocol checks what every awsJson1.1 call needs.
func checkProtocol(r *http.Request, tooLarge bool) *apiError {
	if r.Method != http.MethodPost {
		return &apiError{status: http.StatusBadRequest, code: "UnknownOperationException",
			message: fmt.Sprintf("Method %s is not supported: awsJson1.1 operations are called with POST.", echo(r.Method))}
	}
	if tooLarge {
		return &apiError{status: http.StatusRequestEntityTooLarge, code: "RequestEntityTooLargeException",
			message: fmt.Sprintf("The request body exceeds the limit of %d bytes.", MaxRequestBytes)}
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != jsonContentType {
		return serializationError(`Content-Type must be %s, got "%s".`, jsonContentType, echo(ct))
	}
	switch target := r.Header.Get("X-Amz-Target"); target {
	case listTarget:
		return nil
	case "":
		return &apiError{status: http.StatusBadRequest, code: "UnknownOperationException", message: "Missing X-Amz-Target header."}
	default:
		return &apiError{status: http.StatusBadRequest, code: "UnknownOperationException",
			message: fmt.Sprintf(`Unknown operation "%s": this fake serves only %s.`, echo(target), listTarget)}
	}
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

// parseInput decodes an awsJson1.1 request body. An empty body counts as
// {}. Member names are case-sensitive; unknown members are ignored. A body
// that is not a JSON object, or a member of the wrong JSON type, is a
// SerializationException.
func parseInput(body []byte) (*listInput, *apiError) {
	in := &listInput{}
	if len(strings.TrimSpace(string(body))) == 0 {
		return in, nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil || members == nil {
		msg := "the request body is not a JSON object"
		if err != nil {
			msg += ": " + err.Error()
		}
		return nil, serializationError("%s", msg)
	}
	for _, m := range []struct {
		name string
		dst  **string
	}{{"projectArn", &in.projectArn}, {"status", &in.status}, {"nextToken", &in.nextToken}} {
		name, dst := m.name, m.dst
		raw, ok := members[name]
		if !ok || string(raw) == "null" {
			continue
		}
		var v string
		if raw[0] != '"' || json.Unmarshal(raw, &v) != nil {
			return nil, serializationError("Member '%s' must be a JSON string", name)
		}
		*dst = &v
	}
	if raw, ok := members["maxResult"]; ok && string(raw) != "null" {
		if !isJSONNumber(raw) {
			return nil, serializationError("Member 'maxResult' must be a JSON number")
		}
		v, err := strconv.ParseInt(string(raw), 10, 64)
		switch {
		case errors.Is(err, strconv.ErrRange):
			v = math.MaxInt64 // reported by validate as too large
			if raw[0] == '-' {
				v = math.MinInt64
			}
		case err != nil:
			return nil, serializationError("Member 'maxResult' must be an integer, got %s", raw)
		}
		in.maxResult = &v
	}
	for _, m := range []struct {
		name string
		dst  **int64
	}{
		{"creationTimeAfter", &in.createdAfter}, {"creationTimeBefore", &in.createdBefore},
		{"endTimeAfter", &in.endedAfter}, {"endTimeBefore", &in.endedBefore},
	} {
		name, dst := m.name, m.dst
		raw, ok := members[name]
		if !ok || string(raw) == "null" {
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

func isJSONNumber(raw json.RawMessage) bool {
	return len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9')
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
	var errs []string
	add := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if in.projectArn == nil {
		add("Value null at 'projectArn' failed to satisfy constraint: Member must not be null")
	} else {
		v := *in.projectArn
		switch n := utf8.RuneCountInString(v); {
		case n < minProjectArnLen:
			add("Value '%s' at 'projectArn' failed to satisfy constraint: Member must have length greater than or equal to %d", echo(v), minProjectArnLen)
		case n > maxProjectArnLen:
			add("Value '%s' at 'projectArn' failed to satisfy constraint: Member must have length less than or equal to %d", echo(v), maxProjectArnLen)
		}
		if !projectArnPattern.MatchString(v) {
			add("Value '%s' at 'projectArn' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", echo(v), projectArnRegexp)
		}
	}
	if in.status != nil && !devicefarm.TestGridSessionStatus(*in.status).Known() {
		add("Value '%s' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, CLOSED, ERRORED]", echo(*in.status))
	}
	if in.maxResult != nil {
		switch v := *in.maxResult; {
		case v < minMaxResult:
			add("Value '%d' at 'maxResult' failed to satisfy constraint: Member must have value greater than or equal to %d", v, minMaxResult)
		case v > maxMaxResult:
			add("Value '%d' at 'maxResult' failed to satisfy constraint: Member must have value less than or equal to %d", v, maxMaxResult)
		}
	}
	if in.nextToken != nil {
		switch n := utf8.RuneCountInString(*in.nextToken); {
		case n < minNextTokenLen:
			add("Value '%s' at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to %d", echo(*in.nextToken), minNextTokenLen)
		case n > maxNextTokenLen:
			add("Value '%s' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to %d", echo(*in.nextToken), maxNextTokenLen)
		}
	}
	for _, name := range in.rangeErrs {
		add("Value at '%s' failed to satisfy constraint: Member must be a timestamp between 0001-01-01 and 9999-12-31 in epoch seconds", name)
	}
	if len(errs) == 0 {
		return nil
	}
	noun := "error"
	if len(errs) > 1 {
		noun = "errors"
	}
	return &apiError{status: 400, code: devicefarm.CodeArgumentException,
		message: fmt.Sprintf("%d validation %s detected: %s", len(errs), noun, strings.Join(errs, "; "))}
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
