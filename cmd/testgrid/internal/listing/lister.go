// Package listing walks a listing of sessions page by page through the
// library's paginator (Lister), with the resume tokens that let a listing
// stop anywhere and continue later, and the progress line a terminal shows.
package listing

import (
	"context"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
)

// Lister walks the pages of one listing and writes each as it arrives.
type Lister struct {
	Client    devicefarm.ListTestGridSessionsAPIClient
	Input     *devicefarm.ListTestGridSessionsInput
	Start     *ResumePoint // where to resume (its pageSize is the first request's); nil: from the beginning
	PageSize  int32        // of the other requests; 0: the service's default
	MaxItems  int          // 0: no limit
	Out       output.SessionWriter
	Progress  *Progress
	AfterPage func(pages, sessions int)

	Pages   int          // pages received
	Written int          // sessions written
	Next    *ResumePoint // where the sessions not yet written begin; nil once all are
}

// Run fetches pages through the library's paginator until the last one,
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
func (l *Lister) Run(ctx context.Context) error {
	at := ResumePoint{PageSize: l.PageSize}
	if l.Start != nil {
		at = *l.Start
	}
	l.Next = &at
	in := *l.Input
	in.NextToken = at.Token
	firstPage := at.PageSize
	if firstPage == 0 && l.PageSize != 0 {
		firstPage = -1 // the page was cut at the service's default size
	}
	pages := devicefarm.NewListTestGridSessionsPaginator(l.Client, &in, func(o *devicefarm.ListTestGridSessionsPaginatorOptions) {
		o.Limit, o.FirstPageLimit = l.PageSize, firstPage
	})
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, err := pages.NextPage(ctx)
		if err != nil {
			return err
		}
		l.Pages++
		all := page.TestGridSessions
		from := min(at.Skip, len(all))
		sessions := all[from:]
		if l.MaxItems > 0 && len(sessions) > l.MaxItems-l.Written {
			sessions = sessions[:l.MaxItems-l.Written]
		}
		l.Progress.Hide()
		if werr := l.Out.WritePage(sessions); werr != nil {
			// Nothing of this page counts as written: resume at its start.
			return &cmdutil.OutputError{Err: werr}
		}
		l.Written += len(sessions)
		switch {
		case from+len(sessions) < len(all): // stopped inside the page
			l.Next = &ResumePoint{Token: at.Token, PageSize: at.PageSize, Skip: from + len(sessions)}
		case page.NextToken == "":
			l.Next = nil
		default:
			l.Next = &ResumePoint{Token: page.NextToken, PageSize: l.PageSize}
		}
		if l.AfterPage != nil {
			l.AfterPage(l.Pages, l.Written)
		}
		if l.Next == nil || (l.MaxItems > 0 && l.Written >= l.MaxItems) {
			return nil
		}
		at = *l.Next
		l.Progress.Update(l.Pages, l.Written, true)
	}
}
