package devicefarmtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm"
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

// apiError is an error response: status, X-Amzn-ErrorType and message.
type apiError struct {
	status  int
	code    string
	message string
}

func serializationError(format string, args ...any) *apiError {
	return &apiError{status: 400, code: "SerializationException", message: fmt.Sprintf(format, args...)}
}

// errorBody renders {"__type":code,"message":message}.
func errorBody(code, message string) []byte {
	b, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{code, message})
	return b
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
			add("Value '%s' at 'projectArn' failed to satisfy constraint: Member must have length greater than or equal to %d", quoteValue(v), minProjectArnLen)
		case n > maxProjectArnLen:
			add("Value '%s' at 'projectArn' failed to satisfy constraint: Member must have length less than or equal to %d", quoteValue(v), maxProjectArnLen)
		}
		if !projectArnPattern.MatchString(v) {
			add("Value '%s' at 'projectArn' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", quoteValue(v), projectArnRegexp)
		}
	}
	if in.status != nil && !devicefarm.TestGridSessionStatus(*in.status).Known() {
		add("Value '%s' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, CLOSED, ERRORED]", quoteValue(*in.status))
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
			add("Value '%s' at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to %d", quoteValue(*in.nextToken), minNextTokenLen)
		case n > maxNextTokenLen:
			add("Value '%s' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to %d", quoteValue(*in.nextToken), maxNextTokenLen)
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

// maxQuotedRunes caps a value quoted in a message.
const maxQuotedRunes = 128

// quoteValue prepares a value quoted in a message: shortened (see shorten),
// with control characters and invalid UTF-8 escaped (see escapeControl).
func quoteValue(v string) string { return escapeControl(shorten(v)) }

// shorten cuts v to at most maxQuotedRunes runes (an invalid byte counts as
// one), ending a cut value with "...".
func shorten(v string) string {
	if utf8.RuneCountInString(v) <= maxQuotedRunes {
		return v
	}
	n, end := 0, 0
	for end = range v {
		if n == maxQuotedRunes-3 {
			break
		}
		n++
	}
	return v[:end] + "..."
}

// escapeControl escapes, Go-style, the control characters (\n, \x00,
// \u0085) and invalid UTF-8 bytes (\xff) of v, so that a message quoting
// a value is printable text.
func escapeControl(v string) string {
	if utf8.ValidString(v) && !strings.ContainsFunc(v, unicode.IsControl) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, v[i])
		case unicode.IsControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(v[i : i+size])
		}
		i += size
	}
	return b.String()
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

// appendPage renders a ListTestGridSessions result. Timestamps are epoch
// seconds with millisecond decimals and no exponent; ended is omitted for
// sessions without one, created when it is zero, and seleniumProperties
// when empty. A NaN or infinite billingMinutes is sent as the string
// "NaN", "Infinity" or "-Infinity", as awsJson allows.
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

func appendSession(b []byte, s *devicefarm.TestGridSession) []byte {
	b = append(b, `{"arn":`...)
	b = appendString(b, s.Arn)
	b = append(b, `,"status":`...)
	b = appendString(b, string(s.Status))
	if !s.Created.IsZero() {
		b = append(b, `,"created":`...)
		b = appendEpoch(b, s.Created)
	}
	if !s.Ended.IsZero() {
		b = append(b, `,"ended":`...)
		b = appendEpoch(b, s.Ended)
	}
	b = append(b, `,"billingMinutes":`...)
	switch f := s.BillingMinutes; {
	case math.IsNaN(f):
		b = append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		b = append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		b = append(b, `"-Infinity"`...)
	default:
		b = strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	if s.SeleniumProperties != "" {
		b = append(b, `,"seleniumProperties":`...)
		b = appendString(b, s.SeleniumProperties)
	}
	return append(b, '}')
}

// appendEpoch writes t as epoch seconds with up to three decimals
// (1709294400.123; whole seconds without a fraction).
func appendEpoch(b []byte, t time.Time) []byte {
	return strconv.AppendFloat(b, float64(t.UnixMilli())/1e3, 'f', -1, 64)
}

func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(b, q...)
}
