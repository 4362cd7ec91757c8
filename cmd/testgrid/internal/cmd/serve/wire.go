package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/devicefarmtest"
	"github.com/testgridkit/devicefarm/internal/awsjson"
)

// sessionJSON is a session as serve reads it: the service's wire shape
// (what ListTestGridSessions and the AWS CLI return) or the shape of
// 'testgrid sessions --output json/ndjson'. The members that differ are
// decoded by hand (see decodeSession).
type sessionJSON struct {
	Arn                string          `json:"arn"`
	Status             string          `json:"status"`
	Created            json.RawMessage `json:"created"`
	Ended              json.RawMessage `json:"ended"`
	BillingMinutes     json.RawMessage `json:"billingMinutes"`
	SeleniumProperties json.RawMessage `json:"seleniumProperties"`

	// Written by testgrid sessions, derived from the members above:
	// accepted and ignored.
	ID              json.RawMessage `json:"id"`
	DurationSeconds json.RawMessage `json:"durationSeconds"`
}

// decodeSession decodes one session object. Times are epoch seconds (a
// JSON number, as the service sends them) or RFC 3339 strings (as testgrid
// and the AWS CLI v2 write them); billingMinutes is a number, null (which
// testgrid writes for NaN) or "NaN", "Infinity", "-Infinity";
// seleniumProperties is the service's string or the JSON object testgrid
// embeds. With strict, unknown members are refused. Errors name the member
// and quote the value, escaped.
func decodeSession(raw []byte, strict bool) (devicefarm.TestGridSession, error) {
	var sj sessionJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	if strict {
		dec.DisallowUnknownFields()
	}
	if len(bytes.TrimSpace(raw)) == 0 || bytes.TrimSpace(raw)[0] != '{' {
		return devicefarm.TestGridSession{}, errors.New("a session must be a JSON object")
	}
	if err := dec.Decode(&sj); err != nil {
		return devicefarm.TestGridSession{}, describeJSONError(err, raw)
	}
	s := devicefarm.TestGridSession{Arn: sj.Arn, Status: devicefarm.TestGridSessionStatus(sj.Status)}
	if s.Arn == "" {
		return s, errors.New("arn: missing")
	}
	if _, err := projectOfSession(s.Arn); err != nil {
		return s, err
	}
	if err := checkSessionArn(s.Arn); err != nil {
		return s, err
	}
	switch s.Status {
	case "", devicefarm.TestGridSessionStatusActive, devicefarm.TestGridSessionStatusClosed, devicefarm.TestGridSessionStatusErrored:
	default:
		return s, fmt.Errorf("status: %s is not one the service sends (ACTIVE, CLOSED, ERRORED)", safetext.QuoteEcho(sj.Status))
	}
	var err error
	if s.Created, err = decodeTime(sj.Created); err != nil {
		return s, fmt.Errorf("created: %w", err)
	}
	if s.Ended, err = decodeTime(sj.Ended); err != nil {
		return s, fmt.Errorf("ended: %w", err)
	}
	if !s.Created.IsZero() && !s.Ended.IsZero() && s.Ended.Before(s.Created) {
		return s, fmt.Errorf("ended: %s is before created %s", s.Ended.UTC().Format(time.RFC3339Nano), s.Created.UTC().Format(time.RFC3339Nano))
	}
	if s.BillingMinutes, err = decodeBilling(sj.BillingMinutes); err != nil {
		return s, fmt.Errorf("billingMinutes: %w", err)
	}
	if s.SeleniumProperties, err = decodeProperties(sj.SeleniumProperties); err != nil {
		return s, fmt.Errorf("seleniumProperties: %w", err)
	}
	return s, nil
}

// isNull reports whether a member is absent or JSON null.
func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// maxEpochSeconds is 9999-12-31T23:59:59Z, the service's last timestamp.
const maxEpochSeconds = 253402300799

// decodeTime reads epoch seconds (truncated to the millisecond, as the
// wire carries them) or an RFC 3339 string; absent or null is the zero
// time.
func decodeTime(raw json.RawMessage) (time.Time, error) {
	if isNull(raw) {
		return time.Time{}, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return time.Time{}, err
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s is not an RFC 3339 time", safetext.QuoteEcho(s))
		}
		return t.UTC(), nil
	}
	num := string(raw)
	if len(num) > 64 || num[0] != '-' && (num[0] < '0' || num[0] > '9') {
		return time.Time{}, fmt.Errorf("%s is not epoch seconds or an RFC 3339 string", safetext.QuoteEcho(num))
	}
	beyond := fmt.Errorf("%s is beyond year 9999", safetext.QuoteEcho(num))
	if i := strings.IndexAny(num, "eE"); i >= 0 {
		// Bound the exponent before big.Rat expands it.
		switch exp, err := strconv.Atoi(strings.TrimPrefix(num[i+1:], "+")); {
		case err != nil || exp > 40:
			return time.Time{}, beyond
		case exp < -80:
			return time.Unix(0, 0).UTC(), nil // under a millisecond
		}
	}
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return time.Time{}, fmt.Errorf("%s is not epoch seconds or an RFC 3339 string", safetext.QuoteEcho(num))
	}
	if new(big.Rat).Abs(r).Cmp(big.NewRat(maxEpochSeconds, 1)) > 0 {
		return time.Time{}, beyond
	}
	ms := new(big.Int).Mul(r.Num(), big.NewInt(1000))
	return time.UnixMilli(ms.Quo(ms, r.Denom()).Int64()).UTC(), nil
}

// decodeBilling reads billingMinutes; absent is 0 and null is NaN.
func decodeBilling(raw json.RawMessage) (float64, error) {
	switch {
	case len(raw) == 0:
		return 0, nil
	case string(raw) == "null":
		return math.NaN(), nil
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		f, err := awsjson.ParseDoubleString(s)
		if err != nil {
			return 0, fmt.Errorf("%s is not a number, \"NaN\", \"Infinity\" or \"-Infinity\"", safetext.QuoteEcho(s))
		}
		return f, nil
	}
	f, err := awsjson.ParseDouble(raw)
	if err != nil {
		return 0, fmt.Errorf("%s is not a number", safetext.QuoteEcho(string(raw)))
	}
	return f, nil
}

// decodeProperties reads seleniumProperties: a string, or an object whose
// compact text becomes the string.
func decodeProperties(raw json.RawMessage) (string, error) {
	switch {
	case isNull(raw):
		return "", nil
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case raw[0] == '{':
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return "", err
		}
		return b.String(), nil
	}
	return "", errors.New("must be a string or a JSON object")
}

// projectOfSession returns the project ARN of a session ARN:
// arn:PARTITION:devicefarm:REGION:ACCOUNT:testgrid-session:PROJECTID/SESSIONID
// belongs to arn:PARTITION:devicefarm:REGION:ACCOUNT:testgrid-project:PROJECTID.
func projectOfSession(arn string) (string, error) {
	if p, ok := devicefarmtest.ProjectOfSession(arn); ok {
		if err := cmdutil.CheckProjectArn(p); err != nil {
			return "", fmt.Errorf("arn: project of %s: %w", safetext.QuoteEcho(arn), err)
		}
		return p, nil
	}
	return "", fmt.Errorf("arn: %s is not a test grid session ARN (arn:aws:devicefarm:REGION:ACCOUNT:testgrid-session:PROJECTID/SESSIONID)", safetext.QuoteEcho(arn))
}

// sessionArnPattern is a test grid session ARN as the service forms it: a
// partition, a region such as us-west-2, a 12-digit account, and a
// project ID and session ID of ARN resource characters.
var sessionArnPattern = regexp.MustCompile(`^arn:aws(-[a-z]+)*:devicefarm:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:testgrid-session:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

// checkSessionArn refuses a session ARN the service would never send: a
// partition, region or account of the wrong shape, or a resource that is
// not PROJECTID/SESSIONID.
func checkSessionArn(arn string) error {
	if !sessionArnPattern.MatchString(arn) {
		return fmt.Errorf("arn: %s is not a test grid session ARN the service sends (arn:aws:devicefarm:REGION:ACCOUNT:testgrid-session:PROJECTID/SESSIONID, ACCOUNT 12 digits, REGION such as us-west-2)", safetext.QuoteEcho(arn))
	}
	return nil
}
