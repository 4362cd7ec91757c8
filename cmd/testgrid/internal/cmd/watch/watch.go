// Package watch is "testgrid watch": it reports the sessions of a test
// grid project as they start and end (devicefarm.SessionWatcher), as a
// table or NDJSON, until interrupted or, with --until-idle, until no
// session is ACTIVE; it can serve Prometheus metrics of what it sees.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/aws/smithy-go"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/awsclient"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listing"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
)

const cmdName = "testgrid watch"

// Run runs "testgrid watch args..." and returns the exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, e cmdutil.Env) int {
	o, err := NewOptions(args, e.Now())
	if code, end := cmdutil.HelpOrUsage(err, stdout, stderr, cmdName, Usage); end {
		return code
	}
	terminal := e.IsTerminal(stderr)
	if o.Debug {
		terminal = false // records would tear the status line
		e.ClientOptions = append([]func(*devicefarm.Options){awsclient.WithDebugLogger(stderr)}, e.ClientOptions...)
	}

	var (
		client  *devicefarm.Client
		release func()
	)
	if o.Demo {
		if o.Project == "" {
			o.Project = awsclient.DemoProject
		}
		fmt.Fprintln(stderr, "testgrid: demo mode: a simulated test run on a built-in fake service, not AWS")
		client, release = startDemo(ctx, o.Project, e.ClientOptions)
	} else {
		client, release, err = awsclient.Open(ctx, &o.Options, e)
		if err != nil {
			if ctx.Err() != nil {
				return cmdutil.Interrupted(stderr, "0 events")
			}
			return cmdutil.Failure(stderr, cmdName, err)
		}
	}
	defer release()

	m := newMetrics(o.Project)
	if o.MetricsAddr != "" {
		stop, addr, err := m.serve(o.MetricsAddr)
		if err != nil {
			return cmdutil.Failure(stderr, cmdName, err)
		}
		defer stop()
		fmt.Fprintf(stderr, "testgrid: serving metrics at http://%s/metrics\n", addr)
	}

	r := &watchRun{
		o: o, out: newEventWriter(o.Output, stdout), m: m, now: e.Now, wait: e.Sleep,
		status: newStatusLine(stderr, terminal),
	}
	return r.run(ctx, client, stderr)
}

// errIdle ends the watch once no session is ACTIVE (--until-idle).
var errIdle = errors.New("idle")

// watchRun is one watch: what it has seen, and where it writes.
type watchRun struct {
	o      *Options
	out    eventWriter
	m      *metrics
	now    func() time.Time
	wait   func(ctx context.Context, d time.Duration) error
	status *statusLine
	w      *devicefarm.SessionWatcher

	started, ended int
	errored        int
	// seen is set once a session was seen ACTIVE: started in this run, or
	// carried by the --resume token.
	seen       bool
	pollFailed bool // the poll that just ended yielded an error
}

func (r *watchRun) run(ctx context.Context, client *devicefarm.Client, stderr io.Writer) int {
	in := &devicefarm.ListTestGridSessionsInput{
		ProjectArn:         r.o.Project,
		CreationTimeAfter:  r.o.CreatedAfter,
		CreationTimeBefore: r.o.CreatedBefore,
	}
	w := devicefarm.NewSessionWatcher(client, in, func(wo *devicefarm.SessionWatcherOptions) {
		wo.Interval = r.o.Interval
		wo.ResumeToken = r.o.Resume
		wo.Sleep = r.sleep
	})
	r.w = w
	r.seen = w.ActiveSessions() > 0
	r.m.active.Set(float64(w.ActiveSessions()))

	var failure error
	idle := false
	for ev, err := range w.Events(ctx) {
		switch {
		case errors.Is(err, errIdle):
			idle = true
		case err != nil && ctx.Err() != nil:
		case err != nil:
			r.pollFailed = true
			r.m.pollErrors.Inc()
			if fatal(err) {
				failure = err
			} else {
				msg, _ := cmdutil.DescribeError(err)
				r.status.hide()
				fmt.Fprintf(stderr, "testgrid: poll failed, trying again: %s\n", safetext.OneLine(msg))
			}
		default:
			if err := r.record(ev); err != nil {
				failure = &cmdutil.OutputError{Err: err}
			}
		}
		if failure != nil {
			break
		}
	}
	r.status.hide()

	// Where to resume: not for a demo, whose service lasts one run, nor
	// for a watch that is over.
	token := ""
	if !r.o.Demo && !idle {
		token = w.ResumeToken()
	}
	code := cmdutil.ExitOK
	switch {
	case failure != nil:
		if errors.Is(failure, devicefarm.ErrInvalidWatchToken) {
			return cmdutil.UsageFailure(stderr, cmdName, fmt.Errorf("--resume: %w", failure))
		}
		code = cmdutil.Failure(stderr, cmdName, failure)
	case ctx.Err() != nil && !idle:
		code = cmdutil.Interrupted(stderr, r.summary())
	case r.o.FailOnErrored && r.errored > 0:
		fmt.Fprintf(stderr, "testgrid: %d %s ended ERRORED during the watch\n", r.errored, safetext.Plural(r.errored, "session", "sessions"))
		code = cmdutil.ExitFailure
	}
	if token != "" && code != cmdutil.ExitUsage {
		fmt.Fprintf(stderr, "testgrid: resume with --resume %s\n", token)
	}
	return code
}

// record writes one event and counts it.
func (r *watchRun) record(ev devicefarm.SessionEvent) error {
	s := ev.Session
	switch ev.Type {
	case devicefarm.SessionStarted:
		r.started++
		r.seen = true
		r.m.started.Inc()
	case devicefarm.SessionEnded:
		r.ended++
		if s.Status == devicefarm.TestGridSessionStatusErrored {
			r.errored++
		}
		r.m.ended(s)
	}
	r.m.active.Set(float64(r.w.ActiveSessions()))
	r.status.hide()
	err := r.out.write(ev)
	r.status.show(r.summary())
	return err
}

func (r *watchRun) summary() string {
	return fmt.Sprintf("%d %s started, %d ended (%d ERRORED), %d active",
		r.started, safetext.Plural(r.started, "session", "sessions"), r.ended, r.errored, r.w.ActiveSessions())
}

// sleep is the watcher's wait between polls. It is called once after each
// poll, in the loop's goroutine, so that it can tell a poll that
// succeeded (no error yielded since the last wait): it stamps the
// metrics and, with --until-idle, ends the watch once nothing is ACTIVE.
func (r *watchRun) sleep(ctx context.Context, d time.Duration) error {
	if !r.pollFailed {
		r.m.lastSuccess.Set(float64(r.now().UnixMilli()) / 1000)
		if r.o.UntilIdle && r.w.ActiveSessions() == 0 && (r.seen || r.o.AllowEmpty) {
			return errIdle
		}
	}
	r.pollFailed = false
	r.status.show(r.summary())
	return r.wait(ctx, d)
}

// fatalCodes are the service's errors that another poll would only repeat.
var fatalCodes = []string{"NotFoundException", "ArgumentException", "AccessDeniedException",
	"UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException"}

// fatal reports whether err ends the watch instead of being retried: an
// error in the command line, the configuration or the resume token, or a
// service error that another poll would repeat.
func fatal(err error) bool {
	if _, code := cmdutil.DescribeError(err); code == cmdutil.ExitUsage || errors.Is(err, devicefarm.ErrInvalidWatchToken) {
		return true
	}
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && slices.Contains(fatalCodes, apiErr.ErrorCode())
}

// statusLine is the one line of progress on a terminal's stderr; nil when
// stderr is not a terminal.
type statusLine struct {
	w       io.Writer
	visible bool
}

func newStatusLine(w io.Writer, terminal bool) *statusLine {
	if !terminal {
		return nil
	}
	return &statusLine{w: w}
}

func (s *statusLine) show(text string) {
	if s == nil {
		return
	}
	fmt.Fprint(s.w, listing.EraseLine+"watching: "+text)
	s.visible = true
}

func (s *statusLine) hide() {
	if s == nil || !s.visible {
		return
	}
	fmt.Fprint(s.w, listing.EraseLine)
	s.visible = false
}
