package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
)

// runSessions runs "testgrid sessions args..." and returns the exit code.
func runSessions(ctx context.Context, args []string, stdout, stderr io.Writer, e cmdutil.Env) int {
	const cmd = "testgrid sessions"
	o, err := parseSessionsArgs(args, e.Now())
	if code, end := cmdutil.HelpOrUsage(err, stdout, stderr, cmd, sessionsUsage); end {
		return code
	}
	announceDemo(stderr, o)
	terminal := e.IsTerminal(stderr)
	if o.debug {
		// Records go to stderr between pages and during requests: a
		// progress line would be torn by them.
		terminal = false
		e.ClientOptions = append([]func(*devicefarm.Options){withDebugLogger(stderr)}, e.ClientOptions...)
	}

	client, release, err := openClient(ctx, o, e)
	if err != nil {
		if ctx.Err() != nil {
			return cmdutil.Interrupted(stderr, "0 pages; 0 sessions written")
		}
		return cmdutil.Failure(stderr, cmd, err)
	}
	defer release()

	out := output.NewSessionWriter(o.output, stdout)
	prog := newProgress(stderr, terminal, e.Now)
	l := lister{
		client:    client,
		input:     o.input(),
		start:     o.start,
		pageSize:  o.pageSize,
		maxItems:  o.maxItems,
		out:       out,
		progress:  prog,
		afterPage: e.AfterPage,
	}
	err = l.run(ctx)
	prog.stop()

	// Where to resume, unless the listing is complete. A demo's service
	// lives only as long as this run, so its tokens could not resume; and
	// a token the service repeated would only loop again.
	token := ""
	if l.next != nil && !l.next.atStart() && !o.demo && !errors.Is(err, devicefarm.ErrRepeatedNextToken) {
		token = encodeResumeToken(o.query, *l.next)
	}
	tokenInDocument := false
	if tw, ok := out.(output.NextTokenWriter); ok && token != "" {
		tokenInDocument = tw.SetNextToken(token)
	}
	if cerr := out.Close(); cerr != nil && err == nil {
		err = &cmdutil.OutputError{Err: cerr}
	}

	code := cmdutil.ExitOK
	switch {
	case err == nil:
	case ctx.Err() != nil:
		code = cmdutil.Interrupted(stderr, fmt.Sprintf("%d %s; %d %s written",
			l.pages, safetext.Plural(l.pages, "page", "pages"), l.written, safetext.Plural(l.written, "session", "sessions")))
	default:
		code = cmdutil.Failure(stderr, cmd, err)
	}
	if token != "" && !tokenInDocument {
		fmt.Fprintf(stderr, "testgrid: more sessions follow; resume with --starting-token %s\n", token)
	}
	return code
}

// lister walks the pages of one listing and writes each as it arrives.
type lister struct {
	client    devicefarm.ListTestGridSessionsAPIClient
	input     *devicefarm.ListTestGridSessionsInput
	start     *resumePoint // where to resume (its pageSize is the first request's); nil: from the beginning
	pageSize  int32        // of the other requests; 0: the service's default
	maxItems  int          // 0: no limit
	out       output.SessionWriter
	progress  *progress
	afterPage func(pages, sessions int)

	pages   int          // pages received
	written int          // sessions written
	next    *resumePoint // where the sessions not yet written begin; nil once all are
}

// run fetches pages through the library's paginator until the last one,
// maxItems sessions, an error, or the end of ctx, which is checked before
// every request so that an interruption stops between pages. Sessions of a
// page that arrived with an error (a repeated pagination token) are
// written before the error is returned. Whatever stops it, l.next then
// tells where to resume.
//
// A resumed listing asks for its first page with the size that page was
// cut from (start.pageSize, the paginator's FirstPageLimit), so that
// start.skip counts the same sessions, and for the rest with pageSize. A
// nextToken seen before ends the walk with the paginator's
// *devicefarm.RepeatedNextTokenError.
func (l *lister) run(ctx context.Context) error {
	at := resumePoint{pageSize: l.pageSize}
	if l.start != nil {
		at = *l.start
	}
	l.next = &at
	in := *l.input
	in.NextToken = at.token
	firstPage := at.pageSize
	if firstPage == 0 && l.pageSize != 0 {
		firstPage = -1 // the page was cut at the service's default size
	}
	pages := devicefarm.NewListTestGridSessionsPaginator(l.client, &in, func(o *devicefarm.ListTestGridSessionsPaginatorOptions) {
		o.Limit, o.FirstPageLimit = l.pageSize, firstPage
	})
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, err := pages.NextPage(ctx)
		if err != nil {
			return err
		}
		l.pages++
		all := page.TestGridSessions
		from := min(at.skip, len(all))
		sessions := all[from:]
		if l.maxItems > 0 && len(sessions) > l.maxItems-l.written {
			sessions = sessions[:l.maxItems-l.written]
		}
		l.progress.hide()
		if werr := l.out.WritePage(sessions); werr != nil {
			// Nothing of this page counts as written: resume at its start.
			return &cmdutil.OutputError{Err: werr}
		}
		l.written += len(sessions)
		switch {
		case from+len(sessions) < len(all): // stopped inside the page
			l.next = &resumePoint{token: at.token, pageSize: at.pageSize, skip: from + len(sessions)}
		case page.NextToken == "":
			l.next = nil
		default:
			l.next = &resumePoint{token: page.NextToken, pageSize: l.pageSize}
		}
		if l.afterPage != nil {
			l.afterPage(l.pages, l.written)
		}
		if l.next == nil || (l.maxItems > 0 && l.written >= l.maxItems) {
			return nil
		}
		at = *l.next
		l.progress.update(l.pages, l.written, true)
	}
}
