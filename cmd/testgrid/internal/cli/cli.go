// Package cli is testgrid's dispatcher: it runs the command a command line
// names, prints the main help and the help topics, and turns an unknown
// command into a usage error. Each command lives in its own package under
// internal/cmd, and none imports another.
package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmd/serve"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmd/sessions"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmd/summary"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmd/version"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmd/watch"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// Run executes the command line args (without the program name) and
// returns the process exit code. Data goes to stdout; help requested with
// --help also goes to stdout; everything else goes to stderr.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, e cmdutil.Env) int {
	e = e.WithDefaults()
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage)
		return cmdutil.ExitUsage
	}
	switch cmd := args[0]; cmd {
	case "sessions":
		return sessions.Run(ctx, args[1:], stdout, stderr, e)
	case "serve":
		return serve.Run(ctx, args[1:], stdout, stderr, e)
	case "summary":
		return summary.Run(ctx, args[1:], stdout, stderr, e)
	case "watch":
		return watch.Run(ctx, args[1:], stdout, stderr, e)
	case "version", "--version", "-version":
		return version.Run(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		if cmd == "help" && len(args) > 1 {
			topics := map[string]string{"sessions": sessions.Usage, "serve": serve.Usage, "summary": summary.Usage, "watch": watch.Usage}
			usage, ok := topics[args[1]]
			if !ok || len(args) > 2 {
				return cmdutil.UsageFailure(stderr, "testgrid", fmt.Errorf("unknown help topic %q", args[1]))
			}
			fmt.Fprint(stdout, usage)
			return cmdutil.ExitOK
		}
		fmt.Fprint(stdout, mainUsage)
		return cmdutil.ExitOK
	default:
		return cmdutil.UsageFailure(stderr, "testgrid", fmt.Errorf("unknown command %q", cmd))
	}
}

const mainUsage = `Usage: testgrid <command> [flags]

testgrid lists the Selenium sessions of AWS Device Farm test grid projects.

Commands:
  sessions   list the sessions of a test grid project
  summary    totals, a per-day chart, browsers, concurrency; or an HTML report
  watch      report sessions as they start and end; Prometheus metrics
  serve      run a fake Device Farm for test suites in any language
  help       show this help, or "testgrid help sessions|serve|summary|watch"
  version    print the versions of testgrid, its library and Go (also --version)

Try it without an AWS account:
  testgrid sessions --demo

Run 'testgrid sessions --help' or 'testgrid serve --help' for the flags.
`
