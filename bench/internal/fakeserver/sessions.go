package fakeserver

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// ProjectARN is the test grid project every scenario lists.
const ProjectARN = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"

// sessionARNPrefix is the ARN of a session of ProjectARN, up to the
// session's own UUID.
const sessionARNPrefix = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/"

// firstCreated is the creation time of session 0: 2024-03-01T12:00:00Z.
const firstCreated = 1709294400

// Session is one test grid session as the fake service knows it. Times are
// UTC with millisecond precision, the precision of the wire format.
type Session struct {
	Arn                string
	Status             string
	Created            time.Time
	Ended              time.Time // zero for an ACTIVE session
	BillingMinutes     float64
	SeleniumProperties string
}

// SessionAt returns session number i (0-based) of ProjectARN. The same i
// always gives the same session, so pages can be rendered once and tests can
// know what a client should have decoded.
func SessionAt(i int) Session {
	r := rand.New(rand.NewPCG(uint64(i), 0x5e551025))
	createdMs := int64(firstCreated+i*97)*1000 + int64(r.IntN(1000))
	s := Session{
		Arn:                sessionARNPrefix + uuid(r),
		Status:             "CLOSED",
		Created:            time.UnixMilli(createdMs).UTC(),
		SeleniumProperties: seleniumProperties(i),
	}
	switch {
	case i%7 == 3:
		s.Status = "ACTIVE"
		s.BillingMinutes = float64(r.IntN(30))
		return s
	case i%23 == 11:
		s.Status = "ERRORED"
	}
	durationMs := int64(30_000 + r.IntN(1_800_000))
	s.Ended = time.UnixMilli(createdMs + durationMs).UTC()
	s.BillingMinutes = math.Round(float64(durationMs)/600) / 100 // minutes, 2 decimals
	return s
}

// uuid draws a random version-4 UUID from r.
func uuid(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	a = a&^0xf000 | 0x4000     // version 4
	b = b&^(0xc<<60) | 0x8<<60 // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, a>>16&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

// browsers are the Selenium browsers the sessions rotate through.
var browsers = [...]struct{ name, options string }{
	{"chrome", `"goog:chromeOptions":{"args":["--headless=new","--disable-gpu","--window-size=1920,1080"]}`},
	{"firefox", `"moz:firefoxOptions":{"args":["-headless"],"prefs":{"dom.webnotifications.enabled":false}}`},
	{"MicrosoftEdge", `"ms:edgeOptions":{"args":["--headless","--disable-gpu","--window-size=1280,800"]}`},
}

// seleniumProperties returns the capabilities a session was started with:
// about 200 bytes of JSON text, which the service sends as a JSON string.
func seleniumProperties(i int) string {
	b := browsers[i%len(browsers)]
	return fmt.Sprintf(`{"browserName":%q,"browserVersion":"latest","platformName":"windows",%s,"acceptInsecureCerts":true,"se:recordVideo":%t}`,
		b.name, b.options, i%2 == 0)
}

// appendJSON appends the session as the service encodes it: epoch-second
// timestamps with milliseconds as JSON numbers, no "ended" for an ACTIVE
// session, and the Selenium capabilities escaped inside a JSON string.
func (s Session) appendJSON(b []byte) []byte {
	b = append(b, `{"arn":`...)
	b = appendString(b, s.Arn)
	b = append(b, `,"status":`...)
	b = appendString(b, s.Status)
	b = append(b, `,"created":`...)
	b = appendEpoch(b, s.Created)
	if !s.Ended.IsZero() {
		b = append(b, `,"ended":`...)
		b = appendEpoch(b, s.Ended)
	}
	b = append(b, `,"billingMinutes":`...)
	b = fmt.Appendf(b, "%.2f", s.BillingMinutes)
	b = append(b, `,"seleniumProperties":`...)
	b = appendString(b, s.SeleniumProperties)
	return append(b, '}')
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	q, err := json.Marshal(s)
	if err != nil {
		panic(err) // a Go string always marshals
	}
	return append(b, q...)
}

// appendEpoch appends t as epoch seconds with milliseconds, e.g.
// 1709294400.123.
func appendEpoch(b []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	return fmt.Appendf(b, "%d.%03d", ms/1000, ms%1000)
}
