package devicefarm

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/testgridkit/devicefarm/internal/awsjson"
)

// decodeOutput decodes a 2xx body into out. An empty body or a literal null
// yields an empty page, as in the official SDK.
//
// It is a decoder for this one response shape on awsjson's scanner: no
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
	s := awsjson.NewScanner(body)
	if err := decodeResult(s, out); err != nil {
		return err
	}
	return s.End()
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

func decodeResult(s *awsjson.Scanner, out *ListTestGridSessionsOutput) error {
	return s.Object(func(key []byte) error {
		switch awsjson.MatchMember(key, memberSessions, memberNextToken) {
		case memberSessions:
			return decodeSessions(s, &out.TestGridSessions)
		case memberNextToken:
			return decodeString(s, &out.NextToken, memberNextToken)
		}
		return s.SkipValue()
	})
}

// maxSessionsPerPage bounds the sessions of one page. The service sends at
// most maxResult (at most 1000); the bound keeps a broken or hostile
// response of "{}," repeated from costing 35 times its size in memory.
const maxSessionsPerPage = 100_000

// decodeSessions decodes the testGridSessions array. Like encoding/json, a
// repeated member reuses the slice from the start, and null sets it to nil.
func decodeSessions(s *awsjson.Scanner, dst *[]TestGridSession) error {
	switch s.Peek() {
	case 'n':
		*dst = nil
		return s.Literal("null")
	case '[':
	default:
		return s.TypeError(memberSessions, "an array")
	}
	list := (*dst)[:0]
	if list == nil {
		// Sized from the body (a realistic session takes 300-500 bytes),
		// so a full page needs no growing and copying.
		list = make([]TestGridSession, 0, min(s.Len()/300+1, 1000))
	}
	err := s.Array(func() error {
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
		return nil
	})
	if err != nil {
		return err
	}
	*dst = list
	return nil
}

func decodeSession(s *awsjson.Scanner, ts *TestGridSession) error {
	switch s.Peek() {
	case 'n':
		return s.Literal("null")
	case '{':
	default:
		return s.TypeError("session", "an object")
	}
	return s.Object(func(key []byte) error {
		switch awsjson.MatchMember(key, memberArn, memberSeleniumProps, memberStatus, memberBilling, memberCreated, memberEnded) {
		case memberArn:
			return decodeString(s, &ts.Arn, memberArn)
		case memberSeleniumProps:
			return decodeString(s, &ts.SeleniumProperties, memberSeleniumProps)
		case memberStatus:
			return decodeStatus(s, &ts.Status)
		case memberBilling:
			return decodeBillingMinutes(s, &ts.BillingMinutes)
		case memberCreated:
			return decodeTimestamp(s, &ts.Created, memberCreated)
		case memberEnded:
			return decodeTimestamp(s, &ts.Ended, memberEnded)
		}
		return s.SkipValue()
	})
}

// nullableString reads a member that must be a string or null; ok is
// false for null, which leaves the member unset. b is only valid until the
// next read.
func nullableString(s *awsjson.Scanner, member string) (b []byte, ok bool, err error) {
	switch s.Peek() {
	case 'n':
		return nil, false, s.Literal("null")
	case '"':
		b, err = s.StringBytes()
		return b, err == nil, err
	default:
		return nil, false, s.TypeError(member, "a string")
	}
}

func decodeString(s *awsjson.Scanner, dst *string, member string) error {
	b, ok, err := nullableString(s, member)
	if ok {
		*dst = string(b)
	}
	return err
}

// decodeStatus decodes a status, without allocating for the known values.
func decodeStatus(s *awsjson.Scanner, dst *TestGridSessionStatus) error {
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

func decodeTimestamp(s *awsjson.Scanner, dst *time.Time, member string) error {
	return decodeNumberOrString(s, dst, member, "a timestamp", awsjson.ParseTimestamp, awsjson.ParseTimestampString)
}

func decodeBillingMinutes(s *awsjson.Scanner, dst *float64) error {
	return decodeNumberOrString(s, dst, memberBilling, "a number", awsjson.ParseDouble, awsjson.ParseDoubleString)
}

// decodeNumberOrString decodes a member sent as a JSON number, or as a
// string for robustness (timestamps in RFC 3339, "NaN" for doubles); null
// leaves dst as it is.
func decodeNumberOrString[T any](s *awsjson.Scanner, dst *T, member, want string, fromNumber func([]byte) (T, error), fromString func(string) (T, error)) error {
	var (
		v   T
		b   []byte
		err error
	)
	switch c := s.Peek(); {
	case c == 'n':
		return s.Literal("null")
	case c == '"':
		if b, err = s.StringBytes(); err == nil {
			v, err = fromString(string(b))
		}
	case c == '-' || '0' <= c && c <= '9':
		if b, err = s.Number(); err == nil {
			v, err = fromNumber(b)
		}
	default:
		return s.TypeError(member, want)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", member, err)
	}
	*dst = v
	return nil
}
