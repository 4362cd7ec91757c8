package summary

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
)

// summaryCSVHeader names the columns of "testgrid summary --output csv":
// the summary in long form, one value per row, so that one header fits
// every section and a spreadsheet pivot or a csv tool can reshape it.
//
//	section      total, status, duration, concurrency, day, hour, browser,
//	             platform, errored (one errored session: name its ARN;
//	             metrics created, ended, durationSeconds, browser,
//	             browserVersion, platform), erroredList (metrics total
//	             and more), outside (what the day and hour rows leave out:
//	             name earlierDays, hoursBefore or hoursAfter; metrics
//	             from, to, and sessions... or peak) or note (metric text:
//	             what is left out, in words)
//	name         the status, day (YYYY-MM-DD), hour (RFC 3339), browser,
//	             platform or errored session's ARN; empty for total, duration, concurrency and note
//	version      the browser version; empty elsewhere
//	metric       sessions, share, billingMinutes, errored, errorRate,
//	             active, closed, other, peak, peakAt, exact, outOfOrder,
//	             ended, medianSeconds, p95Seconds, maxSeconds,
//	             relativeError, undated, from, to, text, total, more,
//	             created, ended, durationSeconds, browser,
//	             browserVersion, platform
//	value        as in the JSON output
var summaryCSVHeader = []string{"section", "name", "version", "metric", "value"}

// writeSummaryCSV writes s in long form (see summaryCSVHeader). Cells are
// guarded against formula injection by safetext.CSVSafeCell.
func writeSummaryCSV(w io.Writer, s *stats.Summary) error {
	j := newSummaryJSON(s)
	cw := csv.NewWriter(w)
	row := func(section, name, version, metric, value string) {
		cw.Write([]string{safetext.CSVSafeCell(section), safetext.CSVSafeCell(name), safetext.CSVSafeCell(version), safetext.CSVSafeCell(metric), safetext.CSVSafeCell(value)})
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	minutes := func(m minutesJSON) string {
		if f := float64(m); !math.IsInf(f, 0) && !math.IsNaN(f) {
			return num(f)
		}
		return stats.OutOfRange
	}
	itoa := strconv.Itoa

	cw.Write(summaryCSVHeader)
	row("total", "", "", "sessions", itoa(j.Totals.Sessions))
	row("total", "", "", "billingMinutes", minutes(j.Totals.BillingMinutes))
	if j.Totals.Undated > 0 {
		row("total", "", "", "undated", itoa(j.Totals.Undated))
	}
	for _, st := range j.Totals.Statuses {
		row("status", st.Status, "", "sessions", itoa(st.Sessions))
		row("status", st.Status, "", "share", num(st.Share))
		row("status", st.Status, "", "billingMinutes", minutes(st.BillingMinutes))
	}
	d := j.Totals.Durations
	row("duration", "", "", "ended", itoa(d.Ended))
	for _, q := range []struct {
		metric string
		v      *float64
	}{{"medianSeconds", d.MedianSeconds}, {"p95Seconds", d.P95Seconds}, {"maxSeconds", d.MaxSeconds}} {
		if q.v != nil {
			row("duration", "", "", q.metric, num(*q.v))
		}
	}
	row("duration", "", "", "relativeError", num(d.RelativeError))

	c := j.Concurrency
	row("concurrency", "", "", "peak", itoa(c.Peak))
	if c.PeakAt != "" {
		row("concurrency", "", "", "peakAt", c.PeakAt)
	}
	row("concurrency", "", "", "exact", strconv.FormatBool(c.Exact))
	row("concurrency", "", "", "outOfOrder", itoa(c.OutOfOrder))

	for _, day := range j.Days {
		for _, m := range []struct {
			metric string
			value  string
		}{
			{"sessions", itoa(day.Sessions)}, {"active", itoa(day.Active)}, {"closed", itoa(day.Closed)},
			{"errored", itoa(day.Errored)}, {"other", itoa(day.Other)},
			{"billingMinutes", minutes(day.BillingMinutes)}, {"peak", itoa(day.PeakConcurrency)},
		} {
			row("day", day.Date, "", m.metric, m.value)
		}
	}
	for _, h := range j.Concurrency.Hours {
		row("hour", h.Start, "", "peak", itoa(h.Peak))
	}
	if e := j.EarlierDays; e != nil {
		for _, m := range [][2]string{
			{"from", e.From}, {"to", e.To}, {"sessions", itoa(e.Sessions)}, {"active", itoa(e.Active)},
			{"closed", itoa(e.Closed)}, {"errored", itoa(e.Errored)}, {"other", itoa(e.Other)},
			{"billingMinutes", minutes(e.BillingMinutes)},
		} {
			row("outside", "earlierDays", "", m[0], m[1])
		}
	}
	for _, h := range []struct {
		name string
		span *hoursSpanJSON
	}{{"hoursBefore", c.HoursBefore}, {"hoursAfter", c.HoursAfter}} {
		if h.span != nil {
			row("outside", h.name, "", "from", h.span.From)
			row("outside", h.name, "", "to", h.span.To)
			row("outside", h.name, "", "peak", itoa(h.span.Peak))
		}
	}
	for _, n := range j.Notes {
		row("note", "", "", "text", n)
	}
	for _, mix := range []struct {
		section string
		rows    []mixJSON
	}{{"browser", j.Browsers}, {"platform", j.Platforms}} {
		for _, r := range mix.rows {
			row(mix.section, r.Name, r.Version, "sessions", itoa(r.Sessions))
			row(mix.section, r.Name, r.Version, "errored", itoa(r.Errored))
			row(mix.section, r.Name, r.Version, "errorRate", num(r.ErrorRate))
			row(mix.section, r.Name, r.Version, "billingMinutes", minutes(r.BillingMinutes))
		}
	}
	row("erroredList", "", "", "total", itoa(j.Errored.Total))
	row("erroredList", "", "", "more", itoa(j.Errored.More))
	for _, e := range j.Errored.Sessions {
		for _, m := range [][2]string{
			{"created", e.Created}, {"ended", e.Ended}, {"browser", e.Browser},
			{"browserVersion", e.BrowserVersion}, {"platform", e.Platform},
		} {
			if m[1] != "" {
				row("errored", e.Arn, "", m[0], m[1])
			}
		}
		if e.DurationSeconds != nil {
			row("errored", e.Arn, "", "durationSeconds", num(*e.DurationSeconds))
		}
	}
	cw.Flush()
	return cw.Error()
}
