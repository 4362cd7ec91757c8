package clitest

import (
	"testing"
	"time"
)

// SummaryDoc is the JSON output of "testgrid summary" as the tests read
// it, spelled out here rather than borrowed from the command's own types
// so that a renamed member fails.
type SummaryDoc struct {
	Project   string    `json:"project"`
	Generated time.Time `json:"generated"`
	TimeZone  string    `json:"timeZone"`
	Notes     []string  `json:"notes"`
	Totals    struct {
		Sessions       int     `json:"sessions"`
		Undated        int     `json:"undated"`
		BillingMinutes float64 `json:"billingMinutes"`
		Statuses       []struct {
			Status         string  `json:"status"`
			Sessions       int     `json:"sessions"`
			Share          float64 `json:"share"`
			BillingMinutes float64 `json:"billingMinutes"`
		} `json:"statuses"`
		Durations struct {
			Ended         int      `json:"ended"`
			MedianSeconds *float64 `json:"medianSeconds"`
			P95Seconds    *float64 `json:"p95Seconds"`
			MaxSeconds    *float64 `json:"maxSeconds"`
			RelativeError float64  `json:"relativeError"`
		} `json:"durations"`
	} `json:"totals"`
	Concurrency struct {
		Peak       int       `json:"peak"`
		PeakAt     time.Time `json:"peakAt"`
		Exact      bool      `json:"exact"`
		OutOfOrder int       `json:"outOfOrder"`
		Hours      []struct {
			Start time.Time `json:"start"`
			Peak  int       `json:"peak"`
		} `json:"hours"`
		HoursBefore *HoursSpan `json:"hoursBefore"`
		HoursAfter  *HoursSpan `json:"hoursAfter"`
	} `json:"concurrency"`
	Days []struct {
		Date            string  `json:"date"`
		Sessions        int     `json:"sessions"`
		Active          int     `json:"active"`
		Closed          int     `json:"closed"`
		Errored         int     `json:"errored"`
		Other           int     `json:"other"`
		BillingMinutes  float64 `json:"billingMinutes"`
		PeakConcurrency int     `json:"peakConcurrency"`
	} `json:"days"`
	EarlierDays *struct {
		From           string  `json:"from"`
		To             string  `json:"to"`
		Sessions       int     `json:"sessions"`
		Active         int     `json:"active"`
		Closed         int     `json:"closed"`
		Errored        int     `json:"errored"`
		Other          int     `json:"other"`
		BillingMinutes float64 `json:"billingMinutes"`
	} `json:"earlierDays"`
	Browsers  []MixRow `json:"browsers"`
	Platforms []MixRow `json:"platforms"`
	Errored   struct {
		Total    int              `json:"total"`
		More     int              `json:"more"`
		Sessions []ErroredSession `json:"sessions"`
	} `json:"errored"`
}

// ErroredSession is one of the errored sessions listed.
type ErroredSession struct {
	Arn             string    `json:"arn"`
	Created         time.Time `json:"created"`
	Ended           time.Time `json:"ended"`
	DurationSeconds *float64  `json:"durationSeconds"`
	Browser         string    `json:"browser"`
	BrowserVersion  string    `json:"browserVersion"`
	Platform        string    `json:"platform"`
}

// HoursSpan is a span of hours outside the charted ones.
type HoursSpan struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	Peak int       `json:"peak"`
}

// MixRow is a row of the browsers or platforms.
type MixRow struct {
	Name           string  `json:"name"`
	Version        string  `json:"version"`
	Sessions       int     `json:"sessions"`
	Errored        int     `json:"errored"`
	ErrorRate      float64 `json:"errorRate"`
	BillingMinutes float64 `json:"billingMinutes"`
}

// DecodeSummary decodes a summary's json output.
func DecodeSummary(t *testing.T, out string) SummaryDoc {
	t.Helper()
	return DecodeStrict[SummaryDoc](t, out)
}
