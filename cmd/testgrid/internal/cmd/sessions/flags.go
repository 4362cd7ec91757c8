package sessions

import (
	"flag"
	"slices"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listflags"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
)

// sessionsFlagSet defines the flags of "testgrid sessions", storing into o
// and r; an alias shares its flag's variable. The help text is
// Usage.
func sessionsFlagSet(o *listflags.Options, r *listflags.Raw) *flag.FlagSet {
	fs := cmdutil.NewFlagSet("testgrid sessions")
	listflags.Add(fs, o, r)
	fs.StringVar(&r.StartingToken, "starting-token", "", "")
	fs.IntVar(&r.MaxItems, "max-items", 0, "")
	fs.IntVar(&r.MaxResult, "max-result", 0, "")
	fs.StringVar(&r.Output, "output", output.FormatTable, "")
	listflags.AddOutputFile(fs, &o.OutputFile)
	fs.BoolVar(&o.Debug, "debug", false, "")
	listflags.AddAWSCLIAliases(fs)
	return fs
}

// NewOptions parses and validates the arguments of "testgrid
// sessions". now anchors relative times. It returns flag.ErrHelp when help
// was asked for, and a *cmdutil.UsageError for anything wrong, including a
// --starting-token that does not belong to the listing asked for.
func NewOptions(args []string, now time.Time) (*listflags.Options, error) {
	var (
		o listflags.Options
		r listflags.Raw
	)
	set, err := cmdutil.ParseFlags(sessionsFlagSet(&o, &r), args)
	if err != nil {
		return nil, err
	}
	if err := listflags.Validate(set, &o, &r, now); err != nil {
		return nil, err
	}

	// How to print.
	o.Output = strings.ToLower(strings.TrimSpace(r.Output))
	if !slices.Contains(output.Formats, o.Output) {
		return nil, cmdutil.Usagef("--output %q is not one of %s", r.Output, strings.Join(output.Formats, ", "))
	}
	if (set["o"] || set["output-file"]) && strings.TrimSpace(o.OutputFile) == "" {
		return nil, cmdutil.Usagef("-o is empty; give a file name, or - for standard output")
	}
	return &o, nil
}

// Usage is the help text of "testgrid sessions".
const Usage = `Usage:
  testgrid sessions --project ARN [flags]
  testgrid sessions --demo [flags]

List the Selenium sessions of an AWS Device Farm test grid project
(DeviceFarm ListTestGridSessions), following every page.

Selection:
  --project ARN        the test grid project:
                       arn:aws:devicefarm:us-west-2:ACCOUNT:testgrid-project:ID
                       (required unless --demo)
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

Paging and resuming:
  --page-size N        sessions per request, 1-1000 (default: the service's)
  --max-items N        print at most N sessions in total; no page is fetched
                       after the Nth session (default: all)
  --starting-token TOKEN
                       resume a listing exactly where an earlier run stopped,
                       even inside a page: nothing is lost or repeated. Give
                       the same --project, --status and time flags, typed
                       the same (a relative time such as 24h keeps meaning
                       what it meant in the first run); --page-size,
                       --max-items and --output may differ.

  When the output stops before the end of the listing (--max-items reached,
  interrupted, or failed after some pages), the token to resume with is
  printed: as "nextToken" in the json and aws-json documents, else on
  stderr as "testgrid: more sessions follow; resume with --starting-token
  TOKEN". No token is printed with --demo, whose service lasts one run.

Output:
  --output FORMAT      table (default), json, ndjson, csv or aws-json
                       table: aligned columns and a total line, printed at
                         the end; active sessions show "-" as ended/duration;
                         control characters in the service's text are shown
                         escaped (\x1b), so they cannot drive the terminal
                       json: {"sessions":[...]}, one session per line
                       ndjson: one JSON session per line
                       csv: header row, then one row per session; a cell
                         that a spreadsheet would run as a formula (starting
                         with = + - @, tab or CR) gets a leading ' (OWASP).
                         Numbers are never negative, so only text can be
                         changed; there is no switch to turn this off
                       aws-json: what 'aws devicefarm list-test-grid-sessions
                         --output json' prints with AWS CLI v1 (or v2
                         with cli_timestamp_format = none; by default v2
                         prints ISO 8601 times): {"testGridSessions":[...]},
                         the service's members, epoch-second times, the
                         AWS CLI's indentation; for the whole listing
                       json, ndjson, csv and aws-json are written page by
                       page. Times are RFC 3339 UTC except in aws-json.
                       Progress is shown on stderr when it is a terminal and
                       there is more than one page.
  -o FILE, --output-file FILE
                       write to FILE instead of standard output, atomically:
                         a temporary file next to it, synced, then renamed
                         over FILE once the listing has ended, so an error or
                         Ctrl-C never leaves half a file (FILE keeps what it
                         had, and the resume token goes to stderr); - is
                         standard output
  --debug              write one record per HTTP attempt to stderr (attempt,
                       status, request ID, latency, error, retry delay);
                       never credentials. Standard output is unchanged.

AWS (from environment variables, shared config files, SSO or roles):
  --region R           region (default: configured, else us-west-2)
  --profile P          shared config profile (default: $AWS_PROFILE, else
                       "default")
  --endpoint URL       send requests to URL instead of DeviceFarm;
                       http:// only for loopback hosts. Without it,
                       AWS_ENDPOINT_URL_DEVICE_FARM, AWS_ENDPOINT_URL and
                       the profile's endpoint_url / services section apply,
                       as in the AWS SDKs
  --demo               list generated sessions from a built-in fake service:
                       no AWS account, credentials or network needed
                       (--project is then optional)

AWS CLI spellings, so that 'aws devicefarm list-test-grid-sessions ...'
ports by changing the command (and --output json to --output aws-json):
  --project-arn ARN          = --project
  --creation-time-after T    = --created-after
  --creation-time-before T   = --created-before
  --end-time-after T         = --ended-after
  --end-time-before T        = --ended-before
  --max-result N             = --max-items N --page-size N: one request of
                               N sessions, then the token, as the AWS CLI
                               prints one page and its nextToken
  --next-token TOKEN         = --starting-token (a token testgrid printed)
  --endpoint-url URL         = --endpoint

  -h, --help           show this help

Exit status: 0 success (also when --max-items stopped the listing); 1
service, network, credentials or output error (one line on stderr; for a
service error: code, message and request ID); 2 usage error, including a
configuration that cannot work (an unknown profile, a region DeviceFarm
does not serve) and a --starting-token that is not one or is for another
listing; 130 interrupted (what was received is written, and json is closed
validly; with -o, FILE is left as it was and nothing is written).

Examples:
  testgrid sessions --demo
  testgrid sessions --demo --status ACTIVE --created-after 24h
  testgrid sessions --project arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:ID \
      --created-after 7d --output ndjson --profile ci
  testgrid sessions --project-arn "$ARN" --max-result 50 --output aws-json \
      --next-token "$TOKEN"
`
