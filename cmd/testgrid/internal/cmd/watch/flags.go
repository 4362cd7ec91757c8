package watch

import (
	"flag"
	"net"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listflags"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/internal/endpointurl"
)

// Output formats of "testgrid watch".
var formats = []string{output.FormatTable, output.FormatNDJSON}

// Limits of --interval.
const (
	minInterval  = time.Second
	demoInterval = time.Second
)

// Options is a validated "testgrid watch" command line.
type Options struct {
	// Options selects the project and where to list from; of its filters
	// only the creation times apply.
	listflags.Options
	// Interval is the time between the starts of two polls.
	Interval time.Duration
	// UntilIdle ends the watch once no session is ACTIVE, after at least
	// one was seen (at once with AllowEmpty).
	UntilIdle, AllowEmpty bool
	// FailOnErrored exits 1 when a session ended ERRORED during the watch.
	FailOnErrored bool
	// Resume is a token printed by an earlier watch of the same project.
	Resume string
	// MetricsAddr is where to serve Prometheus metrics ("": nowhere);
	// MetricsAllowRemote allows a non-loopback address.
	MetricsAddr        string
	MetricsAllowRemote bool
}

// watchFlagSet defines the flags of "testgrid watch", storing into o and
// r. The help text is Usage.
func watchFlagSet(o *Options, r *listflags.Raw) *flag.FlagSet {
	fs := cmdutil.NewFlagSet("testgrid watch")
	listflags.Add(fs, &o.Options, r)
	fs.StringVar(&r.Output, "output", output.FormatTable, "")
	fs.DurationVar(&o.Interval, "interval", devicefarm.DefaultWatchInterval, "")
	fs.BoolVar(&o.UntilIdle, "until-idle", false, "")
	fs.BoolVar(&o.AllowEmpty, "allow-empty", false, "")
	fs.BoolVar(&o.FailOnErrored, "fail-on-errored", false, "")
	fs.StringVar(&o.Resume, "resume", "", "")
	fs.StringVar(&o.MetricsAddr, "metrics-addr", "", "")
	fs.BoolVar(&o.MetricsAllowRemote, "metrics-allow-remote", false, "")
	fs.BoolVar(&o.Debug, "debug", false, "")
	listflags.AddAWSCLIAliases(fs, "project-arn", "creation-time-after", "creation-time-before", "endpoint-url")
	return fs
}

// NewOptions parses and validates the arguments of "testgrid watch". now
// anchors relative times. It returns flag.ErrHelp when help was asked
// for, and a *cmdutil.UsageError for anything wrong.
func NewOptions(args []string, now time.Time) (*Options, error) {
	var (
		o Options
		r listflags.Raw
	)
	set, err := cmdutil.ParseFlags(watchFlagSet(&o, &r), args)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"status", "ended-after", "ended-before", "page-size"} {
		if set[name] {
			return nil, cmdutil.Usagef("--%s cannot be used with watch, which reports sessions of every status as they start and end, a page of 1000 at a time; filter its output instead", name)
		}
	}
	if err := listflags.Validate(set, &o.Options, &r, now); err != nil {
		return nil, err
	}
	o.Output = strings.ToLower(strings.TrimSpace(r.Output))
	if o.Output != output.FormatTable && o.Output != output.FormatNDJSON {
		return nil, cmdutil.Usagef("--output %q is not one of %s", r.Output, strings.Join(formats, ", "))
	}
	if o.Demo {
		if set["resume"] {
			return nil, cmdutil.Usagef("--resume cannot be used with --demo, whose simulated run starts anew every time")
		}
		o.UntilIdle = true
		if !set["interval"] {
			o.Interval = demoInterval
		}
	}
	if o.Interval < minInterval {
		return nil, cmdutil.Usagef("--interval %s is too short: it must be at least %s", o.Interval, minInterval)
	}
	if o.AllowEmpty && !o.UntilIdle {
		return nil, cmdutil.Usagef("--allow-empty goes with --until-idle")
	}
	o.Resume = strings.TrimSpace(o.Resume)
	if set["resume"] && o.Resume == "" {
		return nil, cmdutil.Usagef("--resume is empty")
	}
	if set["metrics-addr"] {
		if err := checkMetricsAddr(o.MetricsAddr, o.MetricsAllowRemote); err != nil {
			return nil, err
		}
	} else if o.MetricsAllowRemote {
		return nil, cmdutil.Usagef("--metrics-allow-remote goes with --metrics-addr")
	}
	return &o, nil
}

// checkMetricsAddr checks a --metrics-addr HOST:PORT: a loopback host
// unless allowRemote.
func checkMetricsAddr(addr string, allowRemote bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return cmdutil.Usagef("--metrics-addr %q is not HOST:PORT (such as 127.0.0.1:9464)", addr)
	}
	if allowRemote || endpointurl.IsLoopback(host) {
		return nil
	}
	return cmdutil.Usagef("--metrics-addr %q is not a loopback address: the metrics name your project and have no authentication; add --metrics-allow-remote to serve them on it", addr)
}

// Usage is the help text of "testgrid watch".
const Usage = `Usage:
  testgrid watch --project ARN [flags]
  testgrid watch --demo [flags]

Watch the Selenium sessions of an AWS Device Farm test grid project start
and end, by polling DeviceFarm ListTestGridSessions: one "started" event
when a session is first seen, one "ended" event when it is first seen
CLOSED or ERRORED (a session first seen ended gets both, in that order).
Each event is written once per watch, even across --resume.

Selection:
  --project ARN        the test grid project:
                       arn:aws:devicefarm:us-west-2:ACCOUNT:testgrid-project:ID
                       (required unless --demo)
  --created-after T    watch sessions created after T (default: the sessions
                       ACTIVE when the watch starts, and those created after)
  --created-before T   only sessions created before T
  T is as in 'testgrid sessions --help' (RFC 3339, a date, epoch seconds or
  a duration before now such as 2h).

Polling:
  --interval D         time between the starts of two polls (default 30s,
                       at least 1s). A poll costs two requests while the
                       project has at most 1000 ACTIVE sessions, so 240
                       requests an hour at the default; a failed poll is
                       retried after a wait that doubles, up to 5 minutes
  --until-idle         exit once no session is ACTIVE, after at least one
                       was seen (exit status 0)
  --allow-empty        with --until-idle: also exit when none was ever seen
  --fail-on-errored    with --until-idle: exit status 1 instead of 0 if a
                       session ended ERRORED during the watch
  --resume TOKEN       continue a watch where an earlier run stopped: no
                       event is repeated or missed. When interrupted (Ctrl-C),
                       the watch prints on stderr "testgrid: resume with
                       --resume TOKEN" (not with --demo)

Output:
  --output FORMAT      table (default) or ndjson
                       table: one line per event, as it happens: time, event,
                         session ID, status, duration and billing minutes;
                         control characters are shown escaped
                       ndjson: one JSON object per event:
                         {"event":"started"|"ended","session":{...},
                          "time":"RFC 3339"}, the session as
                         'testgrid sessions --output ndjson' writes it;
                         time is its creation (started) or end (ended)
                       A status line is shown on stderr when it is a terminal.
  --debug              write one record per HTTP attempt to stderr

Metrics:
  --metrics-addr HOST:PORT
                       serve Prometheus metrics at http://HOST:PORT/metrics
                       (port 0: a free port, printed on stderr), labelled by
                       project: devicefarm_testgrid_active_sessions,
                       _sessions_started_total, _sessions_ended_total{status},
                       _billing_minutes_total, _poll_errors_total,
                       _last_poll_success_timestamp_seconds
  --metrics-allow-remote
                       allow a --metrics-addr that is not a loopback address

AWS:
  --region R, --profile P, --endpoint URL
                       as in 'testgrid sessions --help'
  --demo               watch a simulated test run on a built-in fake
                       service: four sessions start and end over about eight
                       seconds, one of them ERRORED. No AWS account needed;
                       polls every second and implies --until-idle
  --project-arn, --creation-time-after, --creation-time-before and
  --endpoint-url are the AWS CLI's spellings of those flags.

Exit status: 0 idle (--until-idle) or help; 1 a session ended ERRORED
(--fail-on-errored), or an error that another poll would repeat (such as
NotFoundException for a project the service does not know, or access
denied; other errors are reported and the poll tried again); 2 usage, or a
--resume token of another project; 130 interrupted.

  -h, --help           show this help
`
