package main

import (
	"flag"
	"slices"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listing"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
)

// sessionsOptions is the validated command line of "testgrid sessions".
type sessionsOptions struct {
	project       string
	status        devicefarm.TestGridSessionStatus
	createdAfter  time.Time
	createdBefore time.Time
	endedAfter    time.Time
	endedBefore   time.Time
	pageSize      int32 // 0: the service's default
	maxItems      int   // 0: no limit
	output        string
	region        string
	profile       string
	endpoint      string
	demo          bool
	debug         bool

	// query is the listing as resume tokens record it.
	query listing.ResumeQuery
	// start is where --starting-token resumes; nil: from the beginning.
	start *listing.ResumePoint
}

// input returns the request that the options select (without paging).
func (o *sessionsOptions) input() *devicefarm.ListTestGridSessionsInput {
	return &devicefarm.ListTestGridSessionsInput{
		ProjectArn:         o.project,
		Status:             o.status,
		CreationTimeAfter:  o.createdAfter,
		CreationTimeBefore: o.createdBefore,
		EndTimeAfter:       o.endedAfter,
		EndTimeBefore:      o.endedBefore,
	}
}

// awsCLIAliases are the AWS CLI's spellings of the options of
// "aws devicefarm list-test-grid-sessions", accepted as other names of the
// flags they mean, so that a script ports by changing the program name.
// (--max-result, which stands for two flags, is handled on its own.)
var awsCLIAliases = []struct{ alias, flag string }{
	{"project-arn", "project"},
	{"creation-time-after", "created-after"},
	{"creation-time-before", "created-before"},
	{"end-time-after", "ended-after"},
	{"end-time-before", "ended-before"},
	{"next-token", "starting-token"},
	{"endpoint-url", "endpoint"},
}

// rawFlags holds flag values before validation.
type rawFlags struct {
	status, output              string
	createdAfter, createdBefore string
	endedAfter, endedBefore     string
	pageSize, maxItems          int
	maxResult                   int
	startingToken               string
}

// addListFlags defines on fs the flags that "testgrid sessions" and
// "testgrid summary" share, storing into o and r: what to list (project,
// status, times), the page size, and where to list from (AWS or --demo).
// validateList checks them.
func addListFlags(fs *flag.FlagSet, o *sessionsOptions, r *rawFlags) {
	for name, p := range map[string]*string{
		"project":        &o.project,
		"status":         &r.status,
		"created-after":  &r.createdAfter,
		"created-before": &r.createdBefore,
		"ended-after":    &r.endedAfter,
		"ended-before":   &r.endedBefore,
		"region":         &o.region,
		"profile":        &o.profile,
		"endpoint":       &o.endpoint,
	} {
		fs.StringVar(p, name, "", "")
	}
	fs.IntVar(&r.pageSize, "page-size", 0, "")
	fs.BoolVar(&o.demo, "demo", false, "")
}

// addAWSCLIAliases defines the AWS CLI spellings (awsCLIAliases) of the
// flags fs already has as other names of the same variables: those named
// in only, or all of them when only is empty.
func addAWSCLIAliases(fs *flag.FlagSet, only ...string) {
	for _, a := range awsCLIAliases {
		if f := fs.Lookup(a.flag); f != nil && (len(only) == 0 || slices.Contains(only, a.alias)) {
			fs.Var(f.Value, a.alias, "")
		}
	}
}

// sessionsFlagSet defines the flags of "testgrid sessions", storing into o
// and r; an alias shares its flag's variable. The help text is
// sessionsUsage.
func sessionsFlagSet(o *sessionsOptions, r *rawFlags) *flag.FlagSet {
	fs := cmdutil.NewFlagSet("testgrid sessions")
	addListFlags(fs, o, r)
	fs.StringVar(&r.startingToken, "starting-token", "", "")
	fs.IntVar(&r.maxItems, "max-items", 0, "")
	fs.IntVar(&r.maxResult, "max-result", 0, "")
	fs.StringVar(&r.output, "output", output.FormatTable, "")
	fs.BoolVar(&o.debug, "debug", false, "")
	addAWSCLIAliases(fs)
	return fs
}

// parseSessionsArgs parses and validates the arguments of "testgrid
// sessions". now anchors relative times. It returns flag.ErrHelp when help
// was asked for, and a *usageError for anything wrong, including a
// --starting-token that does not belong to the listing asked for.
func parseSessionsArgs(args []string, now time.Time) (*sessionsOptions, error) {
	var (
		o sessionsOptions
		r rawFlags
	)
	set, err := cmdutil.ParseFlags(sessionsFlagSet(&o, &r), args)
	if err != nil {
		return nil, err
	}
	if err := validateList(set, &o, &r, now); err != nil {
		return nil, err
	}

	// How to print.
	o.output = strings.ToLower(strings.TrimSpace(r.output))
	if !slices.Contains(output.Formats, o.output) {
		return nil, cmdutil.Usagef("--output %q is not one of %s", r.output, strings.Join(output.Formats, ", "))
	}
	return &o, nil
}

// validateList checks the listing flags given (set, by name) and stores
// their values into o: those of addListFlags, and the paging and resuming
// flags of "testgrid sessions" (--max-items, --max-result,
// --starting-token), which are never set for a command that does not
// define them. now anchors relative times. Errors are *usageError values
// that name a flag as the user typed it.
func validateList(set map[string]bool, o *sessionsOptions, r *rawFlags, now time.Time) error {
	// An AWS CLI spelling counts as its flag; messages use the spelling
	// the user typed.
	typed := map[string]string{}
	for _, a := range awsCLIAliases {
		if set[a.alias] && set[a.flag] {
			return cmdutil.Usagef("--%s and --%s are the same flag; give one", a.flag, a.alias)
		}
		if set[a.alias] {
			set[a.flag], typed[a.flag] = true, a.alias
		}
	}
	spelled := func(name string) string {
		if alias, ok := typed[name]; ok {
			return "--" + alias
		}
		return "--" + name
	}

	// Where to list from.
	if o.demo {
		for _, name := range []string{"region", "profile", "endpoint", "starting-token"} {
			if set[name] {
				return cmdutil.Usagef("%s cannot be used with --demo, which lists from a built-in fake service started anew by every run", spelled(name))
			}
		}
	} else if !set["project"] {
		return cmdutil.Usagef("missing --project ARN (or try --demo to list from a built-in fake service)")
	}
	o.project = strings.TrimSpace(o.project)
	if set["project"] {
		if err := cmdutil.CheckProjectArn(o.project); err != nil {
			return cmdutil.Usagef("%s %v", spelled("project"), err)
		}
	}
	if set["endpoint"] {
		if err := cmdutil.CheckEndpoint(o.endpoint, spelled("endpoint")); err != nil {
			return err
		}
	}
	if set["region"] && strings.TrimSpace(o.region) == "" {
		return cmdutil.Usagef("--region is empty")
	}
	if set["profile"] && strings.TrimSpace(o.profile) == "" {
		return cmdutil.Usagef("--profile is empty")
	}

	// What to list.
	o.query.Project = o.project
	if r.status != "" {
		o.status = devicefarm.TestGridSessionStatus(strings.ToUpper(strings.TrimSpace(r.status)))
		if !o.status.Known() {
			return cmdutil.Usagef("--status %q is not one of ACTIVE, CLOSED, ERRORED", r.status)
		}
		o.query.Status = string(o.status)
	} else if set["status"] {
		return cmdutil.Usagef("--status is empty; use ACTIVE, CLOSED or ERRORED, or leave it out")
	}
	for _, tf := range []struct {
		name  string
		text  string
		bound **listing.TimeBound
	}{
		{"created-after", r.createdAfter, &o.query.CreatedAfter},
		{"created-before", r.createdBefore, &o.query.CreatedBefore},
		{"ended-after", r.endedAfter, &o.query.EndedAfter},
		{"ended-before", r.endedBefore, &o.query.EndedBefore},
	} {
		if !set[tf.name] {
			continue
		}
		t, err := cmdutil.ParseTime(tf.text, now)
		if err != nil {
			return cmdutil.Usagef("%s: %v", spelled(tf.name), err)
		}
		*tf.bound = &listing.TimeBound{Raw: strings.TrimSpace(tf.text), At: t}
	}

	// Paging.
	if set["max-result"] {
		if set["max-items"] || set["page-size"] {
			return cmdutil.Usagef("--max-result N means --max-items N --page-size N (one page of N, as the AWS CLI prints); give either --max-result or those")
		}
		if r.maxResult < 1 || r.maxResult > cmdutil.MaxPageSize {
			return cmdutil.Usagef("--max-result %d is out of range: it must be 1 to %d", r.maxResult, cmdutil.MaxPageSize)
		}
		r.maxItems, r.pageSize = r.maxResult, r.maxResult
	} else {
		if set["page-size"] && (r.pageSize < 1 || r.pageSize > cmdutil.MaxPageSize) {
			return cmdutil.Usagef("--page-size %d is out of range: it must be 1 to %d", r.pageSize, cmdutil.MaxPageSize)
		}
		if set["max-items"] && r.maxItems < 1 {
			return cmdutil.Usagef("--max-items %d is out of range: it must be at least 1 (leave it out for all sessions)", r.maxItems)
		}
	}
	o.pageSize = int32(r.pageSize)
	o.maxItems = r.maxItems
	if set["starting-token"] {
		tok, err := listing.DecodeResumeToken(r.startingToken)
		if err != nil {
			return cmdutil.Usagef("%s: %v", spelled("starting-token"), err)
		}
		q, start, err := listing.ResumeFrom(tok, o.query, spelled)
		if err != nil {
			return err
		}
		o.query, o.start = q, &start
	}
	o.createdAfter, o.createdBefore = o.query.CreatedAfter.Time(), o.query.CreatedBefore.Time()
	o.endedAfter, o.endedBefore = o.query.EndedAfter.Time(), o.query.EndedBefore.Time()
	if !o.createdAfter.IsZero() && !o.createdBefore.IsZero() && !o.createdAfter.Before(o.createdBefore) {
		return cmdutil.Usagef("%s (%s) must be before %s (%s)", spelled("created-after"), cmdutil.FormatTime(o.createdAfter), spelled("created-before"), cmdutil.FormatTime(o.createdBefore))
	}
	if !o.endedAfter.IsZero() && !o.endedBefore.IsZero() && !o.endedAfter.Before(o.endedBefore) {
		return cmdutil.Usagef("%s (%s) must be before %s (%s)", spelled("ended-after"), cmdutil.FormatTime(o.endedAfter), spelled("ended-before"), cmdutil.FormatTime(o.endedBefore))
	}
	return nil
}

const sessionsUsage = `Usage:
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
validly).

Examples:
  testgrid sessions --demo
  testgrid sessions --demo --status ACTIVE --created-after 24h
  testgrid sessions --project arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:ID \
      --created-after 7d --output ndjson --profile ci
  testgrid sessions --project-arn "$ARN" --max-result 50 --output aws-json \
      --next-token "$TOKEN"
`
