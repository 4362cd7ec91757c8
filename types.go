package devicefarm

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TestGridSessionStatus is the state of a test grid session.
//
// The service may add states in the future: unknown values decode without
// error and are kept verbatim, so do not rely on an exhaustive switch.
type TestGridSessionStatus string

// Known TestGridSessionStatus values.
const (
	TestGridSessionStatusActive  TestGridSessionStatus = "ACTIVE"
	TestGridSessionStatusClosed  TestGridSessionStatus = "CLOSED"
	TestGridSessionStatusErrored TestGridSessionStatus = "ERRORED"
)

// Values returns the statuses known to this version of the library, in the
// order the service model lists them.
func (TestGridSessionStatus) Values() []TestGridSessionStatus {
	return []TestGridSessionStatus{
		TestGridSessionStatusActive,
		TestGridSessionStatusClosed,
		TestGridSessionStatusErrored,
	}
}

// Known reports whether s is one of the values returned by Values.
func (s TestGridSessionStatus) Known() bool {
	switch s {
	case TestGridSessionStatusActive, TestGridSessionStatusClosed, TestGridSessionStatusErrored:
		return true
	}
	return false
}

// TestGridSession is a single instance of a browser launched from the URL
// returned by CreateTestGridUrl.
//
// Zero values mean the service did not send the member: an ACTIVE session has
// a zero Ended time.
type TestGridSession struct {
	// Arn is the ARN of the session, in the form
	// arn:aws:devicefarm:us-west-2:ACCOUNT:testgrid-session:PROJECT-ID/SESSION-ID.
	Arn string

	// Status is the state of the session.
	Status TestGridSessionStatus

	// Created is when the session was started (UTC, millisecond precision).
	Created time.Time

	// Ended is when the session ended (UTC, millisecond precision); zero
	// while the session is still active.
	Ended time.Time

	// BillingMinutes is the number of billed minutes used by the session.
	BillingMinutes float64

	// SeleniumProperties is the JSON object of options and capabilities that
	// was passed to the Selenium WebDriver, as the text the service sent.
	// DecodeSeleniumProperties parses it.
	SeleniumProperties string
}

// ID returns the session's own identifier: the last path segment of its ARN.
// It returns "" when the ARN is empty.
func (s TestGridSession) ID() string {
	if i := strings.LastIndexByte(s.Arn, '/'); i >= 0 {
		return s.Arn[i+1:]
	}
	if i := strings.LastIndexByte(s.Arn, ':'); i >= 0 {
		return s.Arn[i+1:]
	}
	return s.Arn
}

// Duration returns Ended minus Created. For a session that has not ended
// (Ended is zero), or whose Created time is unknown, it returns zero; it never
// reads the clock, so the result is the same on every call.
func (s TestGridSession) Duration() time.Duration {
	if s.Ended.IsZero() || s.Created.IsZero() {
		return 0
	}
	return s.Ended.Sub(s.Created)
}

// DecodeSeleniumProperties parses SeleniumProperties, which the service sends
// as a JSON object serialised into a string. An empty SeleniumProperties
// yields a nil map and no error; text that is not a JSON object yields an
// error that says so.
func (s TestGridSession) DecodeSeleniumProperties() (map[string]any, error) {
	if strings.TrimSpace(s.SeleniumProperties) == "" {
		return nil, nil
	}
	var m map[string]any
	err := json.Unmarshal([]byte(s.SeleniumProperties), &m)
	if err == nil && m == nil { // the text was "null"
		err = errors.New("null")
	}
	if err != nil {
		return nil, fmt.Errorf("devicefarm: session %s: seleniumProperties is not a JSON object: %w", s.ID(), err)
	}
	return m, nil
}
