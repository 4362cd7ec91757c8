package devicefarm

import (
	"bytes"
	"errors"
	"fmt"
	"time"
)

// decodeOutput decodes a 2xx body into out. An empty body or a literal null
// yields an empty page, as in the official SDK.
//
// It is a decoder for this one response shape on a streaming scanner: no
// reflection, no intermediate values, one allocation per string member and
// none for numbers, timestamps or known statuses. It follows encoding/json's
// rules (member names matched case-insensitively after an exact match, later
// duplicates win, null leaves a member unset, unknown members skipped but
// validated), and FuzzDecodeOutput holds it to encoding/json's answers. One
// difference is designed: a page of more than maxSessionsPerPage sessions is
// refused.
func decodeOutput(body []byte, out *ListTestGridSessionsOutput) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || string(body) == "null" {
		return nil
	}
	if body[0] != '{' {
		return errors.New("response is not a JSON object")
	}
	s := &jsonScanner{data: body}
	if err := decodeResult(s, out); err != nil {
		return err
	}
	if !s.atEnd() {
		return s.syntaxError("after top-level value")
	}
	return nil
}

// Member names of the response.
const (
	memberSessions      = "testGridSessions"
	memberNextToken     = "nextToken"
	memberArn           = "arn"
	memberStatus        = "status"
	memberCreated       = "created"
	memberEnded         = "ended"
	memberBilling       = "billingMinutes"
	memberSeleniumProps = "seleniumProperties"
)

// matchMember returns which of names the key selects: the exact name, else
// the one equal under encoding/json's case folding, else "".
func matchMember(key []byte, names ...string) string {
	for _, n := range names {
		if string(key) == n {
			return n
		}
	}
	var buf [64]byte
	folded := foldKey(buf[:0], key)
	for _, n := range names {
		var nbuf [32]byte
		if string(folded) == string(foldKey(nbuf[:0], []byte(n))) {
			return n
		}
	}
	return ""
}

func decodeResult(s *jsonScanner, out *ListTestGridSessionsOutput) error {
	if err := s.beginObject(); err != nil {
		return err
	}
	for first := true; ; first = false {
		key, ok, err := s.nextMember(first)
		if err != nil || !ok {
			return err
		}
		switch matchMember(key, memberSessions, memberNextToken) {
		case memberSessions:
			err = decodeSessions(s, &out.TestGridSessions)
		case memberNextToken:
			err = decodeString(s, &out.NextToken, memberNextToken)
		default:
			err = s.skipValue(2)
		}
		if err != nil {
			return err
		}
	}
}

// maxSessionsPerPage bounds the sessions of one page. The service sends at
// most maxResult (at most 1000); the bound keeps a broken or hostile
// response of "{}," repeated from costing 35 times its size in memory.
const maxSessionsPerPage = 100_000

// decodeSessions decodes the testGridSessions array. Like encoding/json, a
// repeated member reuses the slice from the start, and null sets it to nil.
func decodeSessions(s *jsonScanner, dst *[]TestGridSession) error {
	switch s.peek() {
	case 'n':
		*dst = nil
		return s.literal("null")
	case '[':
	default:
		return s.typeError(memberSessions, "an array")
	}
	if err := s.beginArray(); err != nil {
		return err
	}
	list := (*dst)[:0]
	if list == nil {
		// Sized from the body (a realistic session takes 300-500 bytes),
		// so a full page needs no growing and copying.
		list = make([]TestGridSession, 0, min(len(s.data)/300+1, 1000))
	}
	for first := true; ; first = false {
		ok, err := s.nextElement(first)
		if err != nil {
			return err
		}
		if !ok {
			*dst = list
			return nil
		}
		if len(list) == maxSessionsPerPage {
			return fmt.Errorf("%s: more than %d sessions in one page", memberSessions, maxSessionsPerPage)
		}
		if len(list) < cap(list) {
			list = list[:len(list)+1]
		} else {
			list = append(list, TestGridSession{})
		}
		if err := decodeSession(s, &list[len(list)-1]); err != nil {
			return fmt.Errorf("%s[%d]: %w", memberSessions, len(list)-1, err)
		}
	}
}

func decodeSession(s *jsonScanner, ts *TestGridSession) error {
	switch s.peek() {
	case 'n':
		return s.literal("null")
	case '{':
	default:
		return s.typeError("session", "an object")
	}
	if err := s.beginObject(); err != nil {
		return err
	}
	for first := true; ; first = false {
		key, ok, err := s.nextMember(first)
		if err != nil || !ok {
			return err
		}
		switch matchMember(key, memberArn, memberStatus, memberCreated, memberEnded, memberBilling, memberSeleniumProps) {
		case memberArn:
			err = decodeString(s, &ts.Arn, memberArn)
		case memberStatus:
			err = decodeStatus(s, &ts.Status)
		case memberCreated:
			err = decodeTimestamp(s, &ts.Created, memberCreated)
		case memberEnded:
			err = decodeTimestamp(s, &ts.Ended, memberEnded)
		case memberBilling:
			err = decodeBillingMinutes(s, &ts.BillingMinutes)
		case memberSeleniumProps:
			err = decodeString(s, &ts.SeleniumProperties, memberSeleniumProps)
		default:
			err = s.skipValue(4)
		}
		if err != nil {
			return err
		}
	}
}

// nullableString reads a member that must be a string or null; ok is
// false for null, which leaves the member unset. b is only valid until the
// next read.
func nullableString(s *jsonScanner, member string) (b []byte, ok bool, err error) {
	switch s.peek() {
	case 'n':
		return nil, false, s.literal("null")
	case '"':
		b, err = s.stringBytes()
		return b, err == nil, err
	default:
		return nil, false, s.typeError(member, "a string")
	}
}

func decodeString(s *jsonScanner, dst *string, member string) error {
	b, ok, err := nullableString(s, member)
	if ok {
		*dst = string(b)
	}
	return err
}

// decodeStatus decodes a status, without allocating for the known values.
func decodeStatus(s *jsonScanner, dst *TestGridSessionStatus) error {
	b, ok, err := nullableString(s, memberStatus)
	if !ok {
		return err
	}
	switch TestGridSessionStatus(b) {
	case TestGridSessionStatusActive:
		*dst = TestGridSessionStatusActive
	case TestGridSessionStatusClosed:
		*dst = TestGridSessionStatusClosed
	case TestGridSessionStatusErrored:
		*dst = TestGridSessionStatusErrored
	default:
		*dst = TestGridSessionStatus(b)
	}
	return nil
}

func decodeTimestamp(s *jsonScanner, dst *time.Time, member string) error {
	return decodeNumberOrString(s, dst, member, "a timestamp", parseTimestampNumber, parseTimestampString)
}

func decodeBillingMinutes(s *jsonScanner, dst *float64) error {
	return decodeNumberOrString(s, dst, memberBilling, "a number", parseBillingMinutes, parseBillingMinutesString)
}

// decodeNumberOrString decodes a member sent as a JSON number, or as a
// string for robustness (timestamps in RFC 3339, "NaN" for doubles); null
// leaves dst as it is.
func decodeNumberOrString[T any](s *jsonScanner, dst *T, member, want string, fromNumber func([]byte) (T, error), fromString func(string) (T, error)) error {
	var (
		v   T
		b   []byte
		err error
	)
	switch c := s.peek(); {
	case c == 'n':
		return s.literal("null")
	case c == '"':
		if b, err = s.stringBytes(); err == nil {
			v, err = fromString(string(b))
		}
	case c == '-' || '0' <= c && c <= '9':
		if b, err = s.number(); err == nil {
			v, err = fromNumber(b)
		}
	default:
		return s.typeError(member, want)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", member, err)
	}
	*dst = v
	return nil
}
