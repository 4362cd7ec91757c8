package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/testgridkit/devicefarm"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, restore the default handling, so that a second
	// Ctrl-C kills the process at once.
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, env{})
	stop()
	os.Exit(code)
}

// env is what run takes from its surroundings besides arguments and output
// streams. The zero value means the real world; tests replace fields.
type env struct {
	// now is the clock for relative times and the demo's data. Default
	// time.Now.
	now func() time.Time

	// getenv reads an environment variable: TERM and the locale (LC_ALL,
	// LC_CTYPE, LANG), which decide whether a terminal gets progress and
	// Unicode. Default os.Getenv. (The AWS configuration is read by the
	// SDK, from the process environment.)
	getenv func(string) string

	// isTerminal reports whether w is an interactive terminal; progress is
	// shown on standard error only when it says so. Default: an *os.File
	// for which golang.org/x/term says yes, with TERM (from getenv) not
	// "dumb".
	isTerminal func(w io.Writer) bool

	// loadOptions are appended to the options passed to
	// config.LoadDefaultConfig (not used with --demo).
	loadOptions []func(*config.LoadOptions) error

	// clientOptions are applied last to the devicefarm client's options, in
	// both AWS and demo mode.
	clientOptions []func(*devicefarm.Options)

	// afterPage, if set, is called after each page has been written, with
	// the number of pages fetched and sessions written so far.
	afterPage func(pages, sessions int)
}

func (e env) withDefaults() env {
	if e.now == nil {
		e.now = time.Now
	}
	if e.getenv == nil {
		e.getenv = os.Getenv
	}
	if e.isTerminal == nil {
		getenv := e.getenv
		e.isTerminal = func(w io.Writer) bool { return isTerminal(w, getenv) }
	}
	return e
}

// run executes the command line args (without the program name) and
// returns the process exit code. Data goes to stdout; help requested with
// --help also goes to stdout; everything else goes to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, e env) int {
	e = e.withDefaults()
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage)
		return exitUsage
	}
	switch cmd := args[0]; cmd {
	case "sessions":
		return runSessions(ctx, args[1:], stdout, stderr, e)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr, e)
	case "summary":
		return runSummary(ctx, args[1:], stdout, stderr, e)
	case "version", "--version", "-version":
		return runVersion(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		if cmd == "help" && len(args) > 1 {
			topics := map[string]string{"sessions": sessionsUsage, "serve": serveUsage, "summary": summaryUsage}
			usage, ok := topics[args[1]]
			if !ok || len(args) > 2 {
				return usageFailure(stderr, "testgrid", fmt.Errorf("unknown help topic %q", args[1]))
			}
			fmt.Fprint(stdout, usage)
			return exitOK
		}
		fmt.Fprint(stdout, mainUsage)
		return exitOK
	default:
		return usageFailure(stderr, "testgrid", fmt.Errorf("unknown command %q", cmd))
	}
}

const mainUsage = `Usage: testgrid <command> [flags]

testgrid lists the Selenium sessions of AWS Device Farm test grid projects.

Commands:
  sessions   list the sessions of a test grid project
  summary    totals, a per-day chart, browsers, concurrency; or an HTML report
  serve      run a fake Device Farm for test suites in any language
  help       show this help, or "testgrid help sessions|serve|summary"
  version    print the versions of testgrid, its library and Go (also --version)

Try it without an AWS account:
  testgrid sessions --demo

Run 'testgrid sessions --help' or 'testgrid serve --help' for the flags.
`
