// Package sessions is "testgrid sessions": it lists the sessions of a test
// grid project as a table, JSON, NDJSON, CSV or the AWS CLI's JSON, page by
// page, resumable.
package sessions

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/awsclient"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listing"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
)

// Run runs "testgrid sessions args..." and returns the exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, e cmdutil.Env) int {
	const cmd = "testgrid sessions"
	o, err := NewOptions(args, e.Now())
	if code, end := cmdutil.HelpOrUsage(err, stdout, stderr, cmd, Usage); end {
		return code
	}
	awsclient.AnnounceDemo(stderr, o)
	terminal := e.IsTerminal(stderr)
	if o.Debug {
		// Records go to stderr between pages and during requests: a
		// progress line would be torn by them.
		terminal = false
		e.ClientOptions = append([]func(*devicefarm.Options){awsclient.WithDebugLogger(stderr)}, e.ClientOptions...)
	}

	client, release, err := awsclient.Open(ctx, o, e)
	if err != nil {
		if ctx.Err() != nil {
			return cmdutil.Interrupted(stderr, "0 pages; 0 sessions written")
		}
		return cmdutil.Failure(stderr, cmd, err)
	}
	defer release()

	file, err := cmdutil.OpenOutput(o.OutputFile, stdout)
	if err != nil {
		return cmdutil.Failure(stderr, cmd, err)
	}
	out := output.NewSessionWriter(o.Output, file)
	prog := listing.NewProgress(stderr, terminal, e.Now)
	l := listing.Lister{
		Client:    client,
		Input:     o.Input(),
		Start:     o.Start,
		PageSize:  o.PageSize,
		MaxItems:  o.MaxItems,
		Out:       out,
		Progress:  prog,
		AfterPage: e.AfterPage,
	}
	err = l.Run(ctx)
	prog.Stop()

	// Where to resume, unless the listing is complete. A demo's service
	// lives only as long as this run, so its tokens could not resume; and
	// a token the service repeated would only loop again, and one it
	// refused would only be refused again.
	token := ""
	if l.Next != nil && !l.Next.AtStart() && !o.Demo && !errors.Is(err, devicefarm.ErrRepeatedNextToken) && !tokenRefused(err, *l.Next) {
		token = listing.EncodeResumeToken(o.Query, *l.Next)
	}
	tokenInDocument := false
	if tw, ok := out.(output.NextTokenWriter); ok && token != "" {
		tokenInDocument = tw.SetNextToken(token)
	}
	if cerr := out.Close(); cerr != nil && err == nil {
		err = &cmdutil.OutputError{Err: cerr}
	}
	// A file is put in place only when the listing succeeded: after an
	// error or an interruption it keeps what it had, and the token, if
	// any, goes to stderr.
	if err == nil {
		err = file.Commit()
	} else {
		file.Abort()
		if file.IsFile() {
			tokenInDocument = false
		}
	}

	code := cmdutil.ExitOK
	switch {
	case err == nil:
	case ctx.Err() != nil:
		code = cmdutil.Interrupted(stderr, fmt.Sprintf("%d %s; %d %s written",
			l.Pages, safetext.Plural(l.Pages, "page", "pages"), l.Written, safetext.Plural(l.Written, "session", "sessions")))
	default:
		code = cmdutil.Failure(stderr, cmd, err)
	}
	if token != "" && !tokenInDocument {
		fmt.Fprintf(stderr, "testgrid: more sessions follow; resume with --starting-token %s\n", token)
	}
	return code
}

// tokenRefused reports whether err is the service refusing the nextToken
// of next, the page the listing failed on: an ArgumentException for a
// request that carried a token (its other arguments were accepted with
// it, or without it on the first page).
func tokenRefused(err error, next listing.ResumePoint) bool {
	var ae interface{ ErrorCode() string }
	return next.Token != "" && errors.As(err, &ae) && ae.ErrorCode() == devicefarm.CodeArgumentException
}
