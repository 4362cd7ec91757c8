package main

import (
	"errors"
	"flag"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm"
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

// Output formats.
const (
	formatTable  = "table"
	formatJSON   = "json"
	formatNDJSON = "ndjson"
	formatCSV    = "csv"
)

var formats = []string{formatTable, formatJSON, formatNDJSON, formatCSV}

const projectARNPrefix = "arn:aws:devicefarm:"

// parseSessionsArgs parses and validates the arguments of "testgrid
// sessions". now anchors relative times. It returns flag.ErrHelp when help
// was asked for, and a *usageError for anything wrong.
// rawFlags holds flag values before validation.
type rawFlags struct {
	status, output              string
	createdAfter, createdBefore string
	endedAfter, endedBefore     string
	pageSize, maxItems          int
}

// sessionsFlagSet defines the flags of "testgrid sessions", storing into o
// and r. Its messages are discarded: parseSessionsArgs reports errors as
// one line plus a pointer to --help (see usageFailure), and the help text
// is sessionsUsage.
func sessionsFlagSet(o *sessionsOptions, r *rawFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("testgrid sessions", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&o.project, "project", "", "")
	fs.StringVar(&r.status, "status", "", "")
	fs.StringVar(&r.createdAfter, "created-after", "", "")
	fs.StringVar(&r.createdBefore, "created-before", "", "")
	fs.StringVar(&r.endedAfter, "ended-after", "", "")
	fs.StringVar(&r.endedBefore, "ended-before", "", "")
	fs.IntVar(&r.pageSize, "page-size", 0, "")
	fs.IntVar(&r.maxItems, "max-items", 0, "")
	fs.StringVar(&r.output, "output", formatTable, "")
	fs.StringVar(&o.region, "region", "", "")
	fs.StringVar(&o.profile, "profile", "", "")
	fs.StringVar(&o.endpoint, "endpoint", "", "")
	fs.StringVar(&o.endpoint, "endpoint-url", "", "") // the AWS CLI's spelling
	fs.BoolVar(&o.demo, "demo", false, "")
	return fs
}

// parseSessionsArgs parses and validates the arguments of "testgrid
// sessions". now anchors relative times. It returns flag.ErrHelp when help
// was asked for, and a *usageError for anything wrong.
func parseSessionsArgs(args []string, now time.Time) (*sessionsOptions, error) {
	var (
		o sessionsOptions
		r rawFlags
	)
	fs := sessionsFlagSet(&o, &r)

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usagef("%s", strings.Replace(err.Error(), " -", " --", 1))
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q: testgrid sessions takes only flags", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	// Where to list from.
	if o.demo {
		for _, name := range []string{"region", "profile", "endpoint", "endpoint-url"} {
			if set[name] {
				return nil, usagef("--%s cannot be used with --demo, which lists from a built-in fake service", name)
			}
		}
	} else if !set["project"] {
		return nil, usagef("missing --project ARN (or try --demo to list from a built-in fake service)")
	}
	o.project = strings.TrimSpace(o.project)
	if set["project"] {
		if err := checkProjectArn(o.project); err != nil {
			return nil, usagef("--project %v", err)
		}
	}
	if set["endpoint"] && set["endpoint-url"] {
		return nil, usagef("--endpoint and --endpoint-url are the same flag; give one")
	}
	if set["endpoint"] || set["endpoint-url"] {
		if err := checkEndpoint(o.endpoint); err != nil {
			return nil, err
		}
	}
	if set["region"] && strings.TrimSpace(o.region) == "" {
		return nil, usagef("--region is empty")
	}
	if set["profile"] && strings.TrimSpace(o.profile) == "" {
		return nil, usagef("--profile is empty")
	}

	// What to list.
	if r.status != "" {
		o.status = devicefarm.TestGridSessionStatus(strings.ToUpper(strings.TrimSpace(r.status)))
		if !o.status.Known() {
			return nil, usagef("--status %q is not one of ACTIVE, CLOSED, ERRORED", r.status)
		}
	} else if set["status"] {
		return nil, usagef("--status is empty; use ACTIVE, CLOSED or ERRORED, or leave it out")
	}
	for _, tf := range []struct {
		name string
		text string
		dst  *time.Time
	}{
		{"created-after", r.createdAfter, &o.createdAfter},
		{"created-before", r.createdBefore, &o.createdBefore},
		{"ended-after", r.endedAfter, &o.endedAfter},
		{"ended-before", r.endedBefore, &o.endedBefore},
	} {
		if !set[tf.name] {
			continue
		}
		t, err := parseTime(tf.text, now)
		if err != nil {
			return nil, usagef("--%s: %v", tf.name, err)
		}
		*tf.dst = t
	}
	if !o.createdAfter.IsZero() && !o.createdBefore.IsZero() && !o.createdAfter.Before(o.createdBefore) {
		return nil, usagef("--created-after (%s) must be before --created-before (%s)", formatTime(o.createdAfter), formatTime(o.createdBefore))
	}
	if !o.endedAfter.IsZero() && !o.endedBefore.IsZero() && !o.endedAfter.Before(o.endedBefore) {
		return nil, usagef("--ended-after (%s) must be before --ended-before (%s)", formatTime(o.endedAfter), formatTime(o.endedBefore))
	}

	// Paging.
	if set["page-size"] && (r.pageSize < 1 || r.pageSize > 1000) {
		return nil, usagef("--page-size %d is out of range: it must be 1 to 1000", r.pageSize)
	}
	o.pageSize = int32(r.pageSize)
	if set["max-items"] && r.maxItems < 1 {
		return nil, usagef("--max-items %d is out of range: it must be at least 1 (leave it out for all sessions)", r.maxItems)
	}
	o.maxItems = r.maxItems

	// How to print.
	o.output = strings.ToLower(strings.TrimSpace(r.output))
	if !isFormat(o.output) {
		return nil, usagef("--output %q is not one of %s", r.output, strings.Join(formats, ", "))
	}
	return &o, nil
}

func isFormat(s string) bool {
	for _, f := range formats {
		if s == f {
			return true
		}
	}
	return false
}

// checkEndpoint rejects --endpoint values that cannot be a base URL. The
// client makes the finer checks (plain http only on loopback) when it is
// used; their errors are usage errors too.
func checkEndpoint(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return usagef("--endpoint is not a URL: %v", err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return usagef("--endpoint %q must start with https:// (or http:// for a local fake)", u.Redacted())
	case u.Host == "":
		return usagef("--endpoint %q has no host", u.Redacted())
	case u.User != nil:
		return usagef("--endpoint must not contain user information")
	}
	return nil
}

// formatTime formats t as RFC 3339 in UTC, with fractional seconds only
// when there are any.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
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
  a date (2025-03-01, midnight UTC) or a duration before now: 45s, 90m,
  36h, 1h30m, 7d, 2w, 1w3d (a day is 24h, a week 7d).

Paging:
  --page-size N        sessions per request, 1-1000 (default: the service's)
  --max-items N        print at most N sessions in total; no page is fetched
                       after the Nth session (default: all)

Output:
  --output FORMAT      table (default), json, ndjson or csv
                       table: aligned columns and a total line, printed at
                         the end; active sessions show "-" as ended/duration
                       json: {"sessions":[...]}, one session per line
                       ndjson: one JSON session per line
                       csv: header row, then one row per session
                       json, ndjson and csv are written page by page.
                       Times are RFC 3339 UTC. Progress is shown on stderr
                       when it is a terminal and there is more than one page.

AWS (from environment variables, shared config files, SSO or roles):
  --region R           region (default: configured, else us-west-2)
  --profile P          shared config profile (default: $AWS_PROFILE, else
                       "default")
  --endpoint URL       send requests to URL instead of DeviceFarm;
                       http:// only for loopback hosts
  --endpoint-url URL   the same, spelled as in the AWS CLI. Without either,
                       AWS_ENDPOINT_URL_DEVICE_FARM, AWS_ENDPOINT_URL and
                       the profile's endpoint_url / services section apply,
                       as in the AWS SDKs
  --demo               list generated sessions from a built-in fake service:
                       no AWS account, credentials or network needed
                       (--project is then optional)

  -h, --help           show this help

Exit status: 0 success; 1 service, network, credentials or output error
(one line on stderr; for a service error: code, message and request ID);
2 usage error; 130 interrupted (what was received is written, and json is
closed validly).

Examples:
  testgrid sessions --demo
  testgrid sessions --demo --status ACTIVE --created-after 24h
  testgrid sessions --project arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:ID \
      --created-after 7d --output ndjson --profile ci
`
