package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/testgridkit/devicefarm"
)

// runSessions runs "testgrid sessions args..." and returns the exit code.
func runSessions(ctx context.Context, args []string, stdout, stderr io.Writer, e env) int {
	const cmd = "testgrid sessions"
	o, err := parseSessionsArgs(args, e.now())
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, sessionsUsage)
		return exitOK
	}
	if err != nil {
		return usageFailure(stderr, cmd, err)
	}
	if o.demo {
		if o.project == "" {
			o.project = demoProject
		}
		fmt.Fprintln(stderr, "testgrid: demo mode: generated sessions from a built-in fake service, not from AWS")
	}

	client, release, err := openClient(ctx, o, e)
	if err != nil {
		if ctx.Err() != nil {
			return interrupted(stderr, 0, 0)
		}
		return failure(stderr, cmd, err)
	}
	defer release()

	out := newSessionWriter(o.output, stdout)
	prog := newProgress(stderr, e.isTerminal(stderr), e.now)
	l := lister{
		client:    client,
		input:     o.input(),
		pageSize:  o.pageSize,
		maxItems:  o.maxItems,
		out:       out,
		progress:  prog,
		afterPage: e.afterPage,
	}
	err = l.run(ctx)
	prog.stop()
	if cerr := out.Close(); cerr != nil && err == nil {
		err = &outputError{cerr}
	}

	switch {
	case err == nil:
		return exitOK
	case ctx.Err() != nil:
		return interrupted(stderr, l.pages, l.written)
	default:
		return failure(stderr, cmd, err)
	}
}

// interrupted reports an interruption and returns exitInterrupted.
func interrupted(stderr io.Writer, pages, written int) int {
	fmt.Fprintf(stderr, "testgrid: interrupted after %d %s; %d %s written\n",
		pages, plural(pages, "page", "pages"), written, plural(written, "session", "sessions"))
	return exitInterrupted
}

// failure prints err as one line and returns its exit code; usage errors
// get a pointer to cmd's help.
func failure(stderr io.Writer, cmd string, err error) int {
	msg, code := describeError(err)
	if code == exitUsage {
		return usageFailure(stderr, cmd, errors.New(msg))
	}
	fmt.Fprintf(stderr, "testgrid: %s\n", oneLine(msg))
	return code
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// lister walks the pages of one listing and writes each as it arrives.
type lister struct {
	client    devicefarm.ListTestGridSessionsAPIClient
	input     *devicefarm.ListTestGridSessionsInput
	pageSize  int32 // 0: the service's default
	maxItems  int   // 0: no limit
	out       sessionWriter
	progress  *progress
	afterPage func(pages, sessions int)

	pages   int // pages received
	written int // sessions written
}

// run fetches pages until the last one, maxItems sessions, an error, or
// the end of ctx, which is checked before every request so that an
// interruption stops between pages. Sessions of a page that arrived with
// an error (a repeated pagination token) are written before the error is
// returned.
func (l *lister) run(ctx context.Context) error {
	p := devicefarm.NewListTestGridSessionsPaginator(l.client, l.input,
		func(po *devicefarm.ListTestGridSessionsPaginatorOptions) { po.Limit = l.pageSize })
	for p.HasMorePages() {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, err := p.NextPage(ctx)
		if page != nil {
			l.pages++
			sessions := page.TestGridSessions
			if l.maxItems > 0 && len(sessions) > l.maxItems-l.written {
				sessions = sessions[:l.maxItems-l.written]
			}
			l.progress.hide()
			if werr := l.out.WritePage(sessions); werr != nil {
				return &outputError{werr}
			}
			l.written += len(sessions)
			if l.afterPage != nil {
				l.afterPage(l.pages, l.written)
			}
		}
		if err != nil {
			return err
		}
		if l.maxItems > 0 && l.written >= l.maxItems {
			return nil
		}
		l.progress.update(l.pages, l.written, p.HasMorePages())
	}
	return nil
}
