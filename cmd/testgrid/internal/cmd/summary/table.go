package summary

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
)

// dayBarWidth is the width, in cells, of the longest bar of the per-day
// chart.
const dayBarWidth = 40

// writeSummaryTable writes s for a terminal: totals, a per-day table with
// a bar chart of the sessions started, then the browser and platform mix.
// Every string from the service goes through safetext.Cell. ascii draws the
// bars with '#' instead of Unicode blocks.
func writeSummaryTable(w io.Writer, s *stats.Summary, ascii bool) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Summary of %s\n", safetext.Cell(s.Project))
	if len(s.Days) > 0 {
		fmt.Fprintf(bw, "Sessions created %s to %s (%s), listed %s\n",
			s.FirstDay().Format(time.DateOnly), s.Days[len(s.Days)-1].Date.Format(time.DateOnly),
			s.Loc, s.Generated.Format(stats.TimeLayout))
	} else {
		fmt.Fprintf(bw, "No sessions; listed %s\n", s.Generated.Format(stats.TimeLayout))
	}
	for _, n := range s.Notes {
		fmt.Fprintf(bw, "Note: %s\n", n)
	}

	fmt.Fprintf(bw, "\nTOTALS\n")
	totals := textTable{right: []bool{false, true, true, true}}
	totals.add("Sessions", fmt.Sprint(s.Sessions), "", "")
	for _, st := range s.Statuses {
		totals.add("  "+safetext.Cell(st.Status), fmt.Sprint(st.Sessions), stats.Percent(st.Share), stats.MinutesText(st.BillingMinutes)+" billing min")
	}
	totals.add("Billing minutes", stats.MinutesText(s.BillingMinutes), "", "")
	totals.write(bw)
	if d := s.Durations; d.Ended > 0 {
		fmt.Fprintf(bw, "Duration of the %d ended: median %s, p95 %s, max %s (median and p95 within %g%%)\n",
			d.Ended, stats.DurationText(d.Median), stats.DurationText(d.P95), stats.DurationText(d.Max), stats.DurationRelErr*100)
	}
	if c := s.Concurrency; c.Peak > 0 {
		fmt.Fprintf(bw, "Peak concurrency: %d %s at %s", c.Peak, safetext.Plural(c.Peak, "session", "sessions"), c.PeakAt.Format(stats.TimeLayout))
		if !c.Exact {
			fmt.Fprintf(bw, " (a lower bound: %d %s arrived out of creation order)", c.OutOfOrder, safetext.Plural(c.OutOfOrder, "session", "sessions"))
		}
		fmt.Fprintln(bw)
	}
	if s.Undated > 0 {
		fmt.Fprintf(bw, "%d %s without a creation time, left out of the days and of concurrency\n", s.Undated, safetext.Plural(s.Undated, "session", "sessions"))
	}

	if len(s.Days) > 0 {
		fmt.Fprintf(bw, "\nPER DAY (%s)\n", s.Loc)
		most := 0
		for _, d := range s.Days {
			most = max(most, d.Sessions())
		}
		days := textTable{
			header: []string{"DAY", "SESSIONS", "ERRORED", "BILLING MIN", "PEAK", ""},
			right:  []bool{false, true, true, true, true, false},
		}
		for _, d := range s.Days {
			days.add(d.Date.Format(time.DateOnly), fmt.Sprint(d.Sessions()), fmt.Sprint(d.Errored),
				stats.MinutesText(d.BillingMinutes), fmt.Sprint(d.PeakConcurrency), bar(float64(d.Sessions()), float64(most), dayBarWidth, ascii))
		}
		days.write(bw)
		fmt.Fprintf(bw, "(bars: sessions started; PEAK: most sessions running at once)\n")
	}

	writeMix(bw, "BROWSERS", []string{"BROWSER", "VERSION"}, s.Browsers)
	writeMix(bw, "PLATFORMS", []string{"PLATFORM"}, s.Platforms)
	writeErroredTable(bw, s.Errored)
	return bw.Flush()
}

// writeErroredTable lists the newest errored sessions, then how many more
// there are.
func writeErroredTable(w io.Writer, e stats.ErroredList) {
	if e.Total == 0 {
		return
	}
	fmt.Fprintf(w, "\nERRORED SESSIONS (newest first)\n")
	if len(e.Sessions) > 0 {
		t := textTable{header: []string{"CREATED", "DURATION", "BROWSER", "PLATFORM", "SESSION"}, right: []bool{false, true}}
		for _, x := range e.Sessions {
			t.add(x.CreatedText(), x.DurationText(), safetext.Cell(x.BrowserText()), safetext.Cell(x.Platform), safetext.Cell(x.Arn))
		}
		t.write(w)
	}
	if n := e.More(); n > 0 {
		fmt.Fprintf(w, "and %d more %s\n", n, safetext.Plural(n, "errored session", "errored sessions"))
	}
}

// writeMix writes a browser or platform table.
func writeMix(w io.Writer, title string, names []string, rows []stats.MixRow) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n", title)
	t := textTable{header: slices.Concat(names, []string{"SESSIONS", "ERROR RATE", "BILLING MIN"})}
	for range names {
		t.right = append(t.right, false)
	}
	t.right = append(t.right, true, true, true)
	for _, r := range rows {
		cells := []string{safetext.Cell(r.Name)}
		if len(names) > 1 {
			cells = append(cells, safetext.Cell(r.Version))
		}
		t.add(append(cells, fmt.Sprint(r.Sessions), stats.Percent(r.ErrorRate()), stats.MinutesText(r.BillingMinutes))...)
	}
	t.write(w)
}

// textTable aligns columns of text: left, or right where right says so.
// It measures width in runes (text/tabwriter cannot right-align one column
// and leave a bar chart column ragged). The last column is not padded.
type textTable struct {
	header []string
	right  []bool
	rows   [][]string
}

func (t *textTable) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *textTable) write(w io.Writer) {
	all := t.rows
	if t.header != nil {
		all = append([][]string{t.header}, t.rows...)
	}
	var widths []int
	for _, row := range all {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range all {
		var line strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				line.WriteString("  ")
			}
			switch {
			case i < len(t.right) && t.right[i]:
				line.WriteString(pad + c)
			case i == len(row)-1:
				line.WriteString(c)
			default:
				line.WriteString(c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
	}
}
