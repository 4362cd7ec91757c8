package summary

import (
	"bufio"
	"fmt"
	"io"
	"time"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
)

// writeSummaryMarkdown writes s as GitHub-flavoured Markdown for a CI job
// summary: the totals, the status shares, a per-day table and the newest
// errored sessions. Every string from the service goes through
// safetext.MarkdownCell, so none can break a table or make a link, an
// image or HTML. The size grows with the days charted (one row of about
// 50 bytes each) and the errored sessions listed, not with the sessions.
func writeSummaryMarkdown(w io.Writer, s *stats.Summary) error {
	bw := bufio.NewWriter(w)
	md := safetext.MarkdownCell
	fmt.Fprintf(bw, "## Test grid summary\n\n")
	fmt.Fprintf(bw, "Project: %s  \n", md(s.Project))
	if len(s.Days) > 0 {
		fmt.Fprintf(bw, "Sessions created %s to %s (%s), listed %s\n",
			s.FirstDay().Format(time.DateOnly), s.Days[len(s.Days)-1].Date.Format(time.DateOnly),
			md(s.Loc.String()), s.Generated.Format(stats.TimeLayout))
	} else {
		fmt.Fprintf(bw, "No sessions; listed %s\n", s.Generated.Format(stats.TimeLayout))
	}
	for _, n := range s.Notes {
		fmt.Fprintf(bw, "\n> Note: %s\n", md(n))
	}

	fmt.Fprintf(bw, "\n| Sessions | Billing minutes | Peak concurrency | Median duration | p95 duration |\n|---:|---:|---:|---:|---:|\n")
	median, p95 := "-", "-"
	if d := s.Durations; d.Ended > 0 {
		median, p95 = stats.DurationText(d.Median), stats.DurationText(d.P95)
	}
	fmt.Fprintf(bw, "| %d | %s | %d | %s | %s |\n", s.Sessions, stats.MinutesText(s.BillingMinutes), s.Concurrency.Peak, median, p95)

	fmt.Fprintf(bw, "\n### Status\n\n| Status | Sessions | Share | Billing minutes |\n|---|---:|---:|---:|\n")
	for _, st := range s.Statuses {
		fmt.Fprintf(bw, "| %s | %d | %s | %s |\n", md(st.Status), st.Sessions, stats.Percent(st.Share), stats.MinutesText(st.BillingMinutes))
	}

	if len(s.Days) > 0 {
		fmt.Fprintf(bw, "\n### Per day (%s)\n\n| Day | Sessions | Errored | Billing minutes | Peak |\n|---|---:|---:|---:|---:|\n", md(s.Loc.String()))
		for _, d := range s.Days {
			fmt.Fprintf(bw, "| %s | %d | %d | %s | %d |\n", d.Date.Format(time.DateOnly), d.Sessions(), d.Errored, stats.MinutesText(d.BillingMinutes), d.PeakConcurrency)
		}
	}

	e := s.Errored
	fmt.Fprintf(bw, "\n### Errored sessions\n\n")
	if e.Total == 0 {
		fmt.Fprintf(bw, "None.\n")
		return bw.Flush()
	}
	if len(e.Sessions) > 0 {
		fmt.Fprintf(bw, "Newest first.\n\n| Created | Duration | Browser | Platform | Session |\n|---|---:|---|---|---|\n")
		for _, x := range e.Sessions {
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", md(x.CreatedText()), md(x.DurationText()),
				md(x.BrowserText()), md(x.Platform), md(x.Arn))
		}
	}
	if n := e.More(); n > 0 {
		fmt.Fprintf(bw, "\nand %d more %s.\n", n, safetext.Plural(n, "errored session", "errored sessions"))
	}
	return bw.Flush()
}
