// Package summary is "testgrid summary": totals, a per-day chart, browsers
// and platforms, and concurrency, as a table, JSON, CSV or an HTML report.
package summary

import (
	"context"
	"fmt"
	"io"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/awsclient"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listing"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/report"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
)

// Run runs "testgrid summary args..." and returns the exit code.
//
// It lists like "testgrid sessions" (the same lister, client and progress
// line) into an aggregator instead of an output format, and writes the
// summary once the listing has ended. If the listing fails or is
// interrupted, nothing is written to standard output: a summary of part
// of the sessions would read as a summary of all of them.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, e cmdutil.Env) int {
	const cmd = "testgrid summary"
	now := e.Now()
	o, err := NewOptions(args, now)
	if code, end := cmdutil.HelpOrUsage(err, stdout, stderr, cmd, Usage); end {
		return code
	}
	awsclient.AnnounceDemo(stderr, o.list)

	client, release, err := awsclient.Open(ctx, o.list, e)
	if err != nil {
		if ctx.Err() != nil {
			return cmdutil.Interrupted(stderr, "0 pages (0 sessions); no summary written")
		}
		return cmdutil.Failure(stderr, cmd, err)
	}
	defer release()

	agg := stats.NewAggregator(now, o.loc)
	agg.ListErrored(o.listErrored)
	prog := listing.NewProgress(stderr, e.IsTerminal(stderr), e.Now)
	l := listing.Lister{
		Client:    client,
		Input:     o.list.Input(),
		PageSize:  o.list.PageSize,
		Out:       agg,
		Progress:  prog,
		AfterPage: e.AfterPage,
	}
	err = l.Run(ctx)
	prog.Stop()
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return cmdutil.Interrupted(stderr, fmt.Sprintf("%d %s (%d %s); no summary written",
			l.Pages, safetext.Plural(l.Pages, "page", "pages"), l.Written, safetext.Plural(l.Written, "session", "sessions")))
	default:
		return cmdutil.Failure(stderr, cmd, err)
	}

	s := agg.Summary()
	s.Project = o.list.Project
	if !s.Concurrency.Exact {
		fmt.Fprintf(stderr, "testgrid: %d %s arrived out of creation order: the concurrency shown is a lower bound\n",
			s.Concurrency.OutOfOrder, safetext.Plural(s.Concurrency.OutOfOrder, "session", "sessions"))
	}
	for _, n := range s.Notes {
		fmt.Fprintf(stderr, "testgrid: warning: %s\n", n)
	}
	if o.output == formatHTML && o.file == "" && e.IsTerminal(stdout) {
		fmt.Fprintln(stderr, "testgrid: writing HTML to the terminal; write it to a file: testgrid summary --output html -o report.html")
	}
	out, err := cmdutil.OpenOutput(o.file, stdout)
	if err != nil {
		return cmdutil.Failure(stderr, cmd, err)
	}
	if err := writeSummary(out, s, o, e.Getenv); err != nil {
		out.Abort()
		return cmdutil.Failure(stderr, cmd, &cmdutil.OutputError{Err: err})
	}
	if ctx.Err() != nil { // interrupted while writing: no file is left
		out.Abort()
		return cmdutil.Interrupted(stderr, "the listing; no summary written")
	}
	if err := out.Commit(); err != nil {
		return cmdutil.Failure(stderr, cmd, err)
	}
	code := cmdutil.ExitOK
	for _, g := range o.gates {
		if msg := g.check(s); msg != "" {
			fmt.Fprintln(stderr, msg)
			code = cmdutil.ExitFailure
		}
	}
	return code
}

// writeSummary writes s in o's format. getenv tells the table whether the
// terminal shows Unicode.
func writeSummary(w io.Writer, s *stats.Summary, o *Options, getenv func(string) string) error {
	switch o.output {
	case output.FormatJSON:
		return writeSummaryJSON(w, s)
	case output.FormatCSV:
		return writeSummaryCSV(w, s)
	case formatHTML:
		return report.WriteHTML(w, s)
	case formatMarkdown:
		return writeSummaryMarkdown(w, s)
	default:
		return writeSummaryTable(w, s, o.ascii || !unicodeTerminal(getenv))
	}
}

// Usage is the help text of "testgrid summary".
const Usage = `Usage:
  testgrid summary --project ARN [flags]
  testgrid summary --demo [flags]

Summarise the sessions of an AWS Device Farm test grid project: totals by
status, billing minutes, durations, sessions per day, the browser and
platform mix, and how many sessions ran at once. Pages are summarised as
they arrive, so memory does not grow with the number of sessions, nor
with the time span they claim: at most the last 3,653 days (10 years) and
8,784 hours (366 days) are charted, and what falls outside is summed up
and noted (a warning on stderr, "notes" in json).

Selection (as in "testgrid sessions"):
  --project ARN        the test grid project (required unless --demo)
  --status STATUS      only sessions in this state: ACTIVE, CLOSED or ERRORED
  --created-after T    only sessions created after T
  --created-before T   only sessions created before T
  --ended-after T      only sessions that ended after T
  --ended-before T     only sessions that ended before T

  T is an RFC 3339 time (2025-03-01T09:30:00Z, 2025-03-01T09:30:00+01:00),
  a date (2025-03-01, midnight UTC), epoch seconds (1740821400 or
  1740821400.5, from 2000 to 9999) or a duration before now: 45s, 90m,
  36h, 1h30m, 7d, 2w, 1w3d (a day is 24h, a week 7d). A bare number is
  always epoch seconds, never a duration.

Paging:
  --page-size N        sessions per request, 1-1000 (default: the service's)

Output:
  --output FORMAT      table (default), json, csv, markdown or html
                       table: totals, a per-day bar chart and the browser
                         and platform tables, for a terminal
                       json: one document with every figure, including
                         the peak concurrency of every hour
                       csv: the same figures, one per row:
                         section,name,version,metric,value
                       markdown: GitHub-flavoured Markdown for a CI job
                         summary ($GITHUB_STEP_SUMMARY, GitLab reports):
                         totals, status shares, a per-day table and the
                         errored sessions; the service's text is escaped,
                         so it cannot break a table or make a link. About
                         50 bytes a day charted plus 250 an errored
                         session listed: 6 KB for the demo, the same for
                         100,000 sessions over 30 days
                       html: a self-contained report (inline CSS and SVG
                         charts, no script, nothing fetched when viewed),
                         readable from phone to desktop, dark or light as
                         the viewer prefers: -o report.html
  -o FILE, --output-file FILE
                       write to FILE instead of standard output, atomically:
                         a temporary file next to it, synced, then renamed
                         over FILE, so an error or Ctrl-C never leaves half
                         a file (FILE keeps what it had); - is stdout
  --list-errored N     list the N newest errored sessions (default 20, 0 to
                       10000) in every format: created, duration, browser,
                       platform and ARN, then "and N more"
  --tz ZONE            IANA time zone of days, hours and times shown
                       (default UTC), such as Europe/Paris
  --ascii              draw the table's bars with '#'; also chosen when
                       TERM=dumb or the locale (LC_ALL, LC_CTYPE, LANG) is
                       not UTF-8

  Sessions still ACTIVE run until now. Durations are those of ended
  sessions; median and p95 are within 1%, max is exact. Days count the
  sessions created that day. Names from seleniumProperties (browserName,
  browserVersion, platformName) are shown with control characters
  escaped; sessions without them are "(unknown)".

Gates, for CI (checked once the output is written):
  --max-errored LIMIT  fail (exit 1) when the ERRORED sessions exceed LIMIT:
                       a share of all sessions (5%) or a number (3), with
                       one line on stderr such as
                       errored 8.8% (22 of 250) exceeds --max-errored 5%
  --max-active LIMIT   the same for sessions still ACTIVE (runs that hang
                       or never closed their session)

AWS (as in "testgrid sessions"):
  --region R           region (default: configured, else us-west-2)
  --profile P          shared config profile
  --endpoint URL       send requests to URL instead of DeviceFarm;
                       http:// only for loopback hosts
  --endpoint-url URL   the same, spelled as in the AWS CLI
  --demo               summarise generated sessions from a built-in fake
                       service: no AWS account, credentials or network

  -h, --help           show this help

Exit status: 0 success; 1 service, network, credentials or output error,
or a --max-errored or --max-active gate exceeded (the output is written
in full first); 2 usage error; 130 interrupted (no summary is written).

Examples:
  testgrid summary --demo
  testgrid summary --demo --tz Europe/Paris --output html -o report.html
  testgrid summary --project "$ARN" --created-after 24h --max-errored 5% \
      --output markdown >> "$GITHUB_STEP_SUMMARY"
  testgrid summary --project "$ARN" --created-after 7d --output json
`
