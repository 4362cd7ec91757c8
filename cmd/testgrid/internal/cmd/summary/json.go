package summary

import (
	"encoding/json"
	"io"
	"math"
	"time"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
)

// summaryJSON is the document of "testgrid summary --output json". Times
// are RFC 3339 in the --tz zone (with its offset), dates are YYYY-MM-DD in
// it, billing minutes are rounded to 6 decimals, shares and error rates
// are fractions (0.25 for 25%).
type summaryJSON struct {
	Project   string `json:"project"`
	Generated string `json:"generated"`
	TimeZone  string `json:"timeZone"`
	// Notes say what days and concurrency.hours leave out (earlierDays,
	// concurrency.hoursBefore and hoursAfter), when they do.
	Notes       []string        `json:"notes,omitempty"`
	Totals      totalsJSON      `json:"totals"`
	Concurrency concurrencyJSON `json:"concurrency"`
	Days        []dayJSON       `json:"days"`
	EarlierDays *dayRangeJSON   `json:"earlierDays,omitempty"`
	Browsers    []mixJSON       `json:"browsers"`
	Platforms   []mixJSON       `json:"platforms"`
	// Errored lists the newest errored sessions (at most --list-errored).
	Errored erroredListJSON `json:"errored"`
}

// erroredListJSON: the newest errored sessions, newest first; total
// counts them all, more those not listed.
type erroredListJSON struct {
	Total    int                  `json:"total"`
	More     int                  `json:"more"`
	Sessions []erroredSessionJSON `json:"sessions"`
}

// erroredSessionJSON is an errored session: created and ended are omitted
// when the service sent none, durationSeconds when it has no end.
type erroredSessionJSON struct {
	Arn             string   `json:"arn"`
	Created         string   `json:"created,omitempty"`
	Ended           string   `json:"ended,omitempty"`
	DurationSeconds *float64 `json:"durationSeconds,omitempty"`
	Browser         string   `json:"browser"`
	BrowserVersion  string   `json:"browserVersion,omitempty"`
	Platform        string   `json:"platform"`
}

// dayRangeJSON sums up the days before those of days.
type dayRangeJSON struct {
	From           string      `json:"from"`
	To             string      `json:"to"`
	Sessions       int         `json:"sessions"`
	Active         int         `json:"active"`
	Closed         int         `json:"closed"`
	Errored        int         `json:"errored"`
	Other          int         `json:"other"`
	BillingMinutes minutesJSON `json:"billingMinutes"`
}

// hoursSpanJSON sums up hours outside concurrency.hours: from the start of
// the first to the end of the last, and their peak.
type hoursSpanJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
	Peak int    `json:"peak"`
}

type totalsJSON struct {
	Sessions       int           `json:"sessions"`
	Undated        int           `json:"undated,omitempty"`
	BillingMinutes minutesJSON   `json:"billingMinutes"`
	Statuses       []statusJSON  `json:"statuses"`
	Durations      durationsJSON `json:"durations"`
}

type statusJSON struct {
	Status         string      `json:"status"`
	Sessions       int         `json:"sessions"`
	Share          float64     `json:"share"`
	BillingMinutes minutesJSON `json:"billingMinutes"`
}

// durationsJSON: the seconds are null when no session has ended.
type durationsJSON struct {
	Ended         int      `json:"ended"`
	MedianSeconds *float64 `json:"medianSeconds"`
	P95Seconds    *float64 `json:"p95Seconds"`
	MaxSeconds    *float64 `json:"maxSeconds"`
	RelativeError float64  `json:"relativeError"`
}

type concurrencyJSON struct {
	Peak       int        `json:"peak"`
	PeakAt     string     `json:"peakAt,omitempty"`
	Exact      bool       `json:"exact"`
	OutOfOrder int        `json:"outOfOrder"`
	Hours      []hourJSON `json:"hours"`
	// The hours before and after those of hours, when the span exceeds
	// what is charted.
	HoursBefore *hoursSpanJSON `json:"hoursBefore,omitempty"`
	HoursAfter  *hoursSpanJSON `json:"hoursAfter,omitempty"`
}

type hourJSON struct {
	Start string `json:"start"`
	Peak  int    `json:"peak"`
}

type dayJSON struct {
	Date            string      `json:"date"`
	Sessions        int         `json:"sessions"`
	Active          int         `json:"active"`
	Closed          int         `json:"closed"`
	Errored         int         `json:"errored"`
	Other           int         `json:"other"`
	BillingMinutes  minutesJSON `json:"billingMinutes"`
	PeakConcurrency int         `json:"peakConcurrency"`
}

type mixJSON struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	Sessions       int         `json:"sessions"`
	Errored        int         `json:"errored"`
	ErrorRate      float64     `json:"errorRate"`
	BillingMinutes minutesJSON `json:"billingMinutes"`
}

// newSummaryJSON converts s to its JSON form.
func newSummaryJSON(s *stats.Summary) summaryJSON {
	j := summaryJSON{
		Project:   s.Project,
		Generated: jsonTime(s.Generated),
		TimeZone:  s.Loc.String(),
		Totals: totalsJSON{
			Sessions:       s.Sessions,
			Undated:        s.Undated,
			BillingMinutes: roundMinutes(s.BillingMinutes),
			Statuses:       []statusJSON{},
			Durations:      durationsJSON{Ended: s.Durations.Ended, RelativeError: stats.DurationRelErr},
		},
		Concurrency: concurrencyJSON{
			Peak:       s.Concurrency.Peak,
			Exact:      s.Concurrency.Exact,
			OutOfOrder: s.Concurrency.OutOfOrder,
			Hours:      make([]hourJSON, 0, len(s.Concurrency.Hours)),
		},
		Days:      make([]dayJSON, 0, len(s.Days)),
		Browsers:  mixJSONs(s.Browsers),
		Platforms: mixJSONs(s.Platforms),
		Errored:   erroredJSON(s.Errored),
	}
	for _, st := range s.Statuses {
		j.Totals.Statuses = append(j.Totals.Statuses, statusJSON{st.Status, st.Sessions, st.Share, roundMinutes(st.BillingMinutes)})
	}
	if d := s.Durations; d.Ended > 0 {
		j.Totals.Durations.MedianSeconds = seconds(d.Median)
		j.Totals.Durations.P95Seconds = seconds(d.P95)
		j.Totals.Durations.MaxSeconds = seconds(d.Max)
	}
	if s.Concurrency.Peak > 0 {
		j.Concurrency.PeakAt = jsonTime(s.Concurrency.PeakAt)
	}
	for _, h := range s.Concurrency.Hours {
		j.Concurrency.Hours = append(j.Concurrency.Hours, hourJSON{jsonTime(h.Start), h.Peak})
	}
	j.Notes = s.Notes
	span := func(h *stats.HoursSpan) *hoursSpanJSON {
		if h == nil {
			return nil
		}
		return &hoursSpanJSON{jsonTime(h.From), jsonTime(h.To), h.Peak}
	}
	j.Concurrency.HoursBefore, j.Concurrency.HoursAfter = span(s.Concurrency.Before), span(s.Concurrency.After)
	if e := s.EarlierDays; e != nil {
		j.EarlierDays = &dayRangeJSON{
			From: e.From.Format(time.DateOnly), To: e.To.Format(time.DateOnly), Sessions: e.Sessions(),
			Active: e.Active, Closed: e.Closed, Errored: e.Errored, Other: e.Other,
			BillingMinutes: roundMinutes(e.BillingMinutes),
		}
	}
	for _, d := range s.Days {
		j.Days = append(j.Days, dayJSON{
			Date: d.Date.Format(time.DateOnly), Sessions: d.Sessions(),
			Active: d.Active, Closed: d.Closed, Errored: d.Errored, Other: d.Other,
			BillingMinutes: roundMinutes(d.BillingMinutes), PeakConcurrency: d.PeakConcurrency,
		})
	}
	return j
}

func erroredJSON(l stats.ErroredList) erroredListJSON {
	j := erroredListJSON{Total: l.Total, More: l.More(), Sessions: make([]erroredSessionJSON, 0, len(l.Sessions))}
	for _, x := range l.Sessions {
		e := erroredSessionJSON{Arn: x.Arn, Browser: x.Browser, BrowserVersion: x.Version, Platform: x.Platform}
		if !x.Created.IsZero() {
			e.Created = jsonTime(x.Created)
		}
		if !x.Ended.IsZero() {
			e.Ended = jsonTime(x.Ended)
			if !x.Created.IsZero() {
				e.DurationSeconds = seconds(x.Duration)
			}
		}
		j.Sessions = append(j.Sessions, e)
	}
	return j
}

func mixJSONs(rows []stats.MixRow) []mixJSON {
	out := make([]mixJSON, 0, len(rows))
	for _, r := range rows {
		out = append(out, mixJSON{r.Name, r.Version, r.Sessions, r.Errored, r.ErrorRate(), roundMinutes(r.BillingMinutes)})
	}
	return out
}

// writeSummaryJSON writes s as one indented JSON document.
func writeSummaryJSON(w io.Writer, s *stats.Summary) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(newSummaryJSON(s))
}

// jsonTime formats t as RFC 3339 with milliseconds when there are any.
func jsonTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

func seconds(d time.Duration) *float64 {
	s := d.Seconds()
	return &s
}

// roundMinutes rounds a sum of billing minutes to 6 decimals, hiding the
// error of adding binary fractions (0.1 + 0.2).
func roundMinutes(m float64) minutesJSON { return minutesJSON(math.Round(m*1e6) / 1e6) }

// minutesJSON is a sum of billing minutes: null when it is past what a
// float64 holds (a note says so), so that the document stays valid JSON.
type minutesJSON float64

// MarshalJSON writes m as a number, or null when it is not finite.
func (m minutesJSON) MarshalJSON() ([]byte, error) {
	f := float64(m)
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}
