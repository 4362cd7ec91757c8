package devicefarm

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// ListTestGridSessionsAPIClient is the one method the paginator needs.
// *Client implements it; tests can implement it with a fake.
type ListTestGridSessionsAPIClient interface {
	ListTestGridSessions(ctx context.Context, in *ListTestGridSessionsInput, optFns ...func(*Options)) (*ListTestGridSessionsOutput, error)
}

var _ ListTestGridSessionsAPIClient = (*Client)(nil)

// ErrNoMorePages is returned by NextPage after the last page.
var ErrNoMorePages = errors.New("devicefarm: no more pages available")

// ErrRepeatedNextToken is wrapped by the error returned when the service
// sends a nextToken already seen in this walk (a repeat, or a cycle such as
// A, B, A). Pagination stops there rather than loop forever.
var ErrRepeatedNextToken = errors.New("devicefarm: service returned a nextToken already seen in this pagination")

// RepeatedNextTokenError reports which page repeated a token. It matches
// ErrRepeatedNextToken with errors.Is.
type RepeatedNextTokenError struct {
	// Page is the 1-based number of the page whose response repeated a token.
	Page int
	// RequestID is that response's request ID.
	RequestID string
}

func (e *RepeatedNextTokenError) Error() string {
	return fmt.Sprintf("%v (page %d, request id %s)", ErrRepeatedNextToken, e.Page, e.RequestID)
}

func (e *RepeatedNextTokenError) Unwrap() error { return ErrRepeatedNextToken }

// ListTestGridSessionsPaginatorOptions configures a paginator.
type ListTestGridSessionsPaginatorOptions struct {
	// Limit is the page size (maxResult), 1 to 1000. Zero uses the input's
	// MaxResult, and if that is zero too, the service's default.
	Limit int32
}

// ListTestGridSessionsPaginator walks the pages of a ListTestGridSessions
// listing, following nextToken. It is single-use and not safe for concurrent
// use; create one per walk.
type ListTestGridSessionsPaginator struct {
	client    ListTestGridSessionsAPIClient
	params    ListTestGridSessionsInput
	options   ListTestGridSessionsPaginatorOptions
	nextToken string
	firstPage bool
	done      bool
	pages     int
	seen      map[string]struct{}
}

// NewListTestGridSessionsPaginator returns a paginator over the listing that
// in selects. in is copied; the caller's value is never modified. A non-empty
// in.NextToken resumes a listing from that token.
func NewListTestGridSessionsPaginator(client ListTestGridSessionsAPIClient, in *ListTestGridSessionsInput, optFns ...func(*ListTestGridSessionsPaginatorOptions)) *ListTestGridSessionsPaginator {
	var params ListTestGridSessionsInput
	if in != nil {
		params = *in
	}
	var options ListTestGridSessionsPaginatorOptions
	for _, fn := range optFns {
		fn(&options)
	}
	p := &ListTestGridSessionsPaginator{
		client:    client,
		params:    params,
		options:   options,
		nextToken: params.NextToken,
		firstPage: true,
		seen:      make(map[string]struct{}),
	}
	if p.nextToken != "" {
		p.seen[p.nextToken] = struct{}{}
	}
	return p
}

// HasMorePages reports whether NextPage would fetch another page.
func (p *ListTestGridSessionsPaginator) HasMorePages() bool {
	return !p.done && (p.firstPage || p.nextToken != "")
}

// NextPage fetches the next page. An error from the call is returned as it is
// and does not advance the paginator, so NextPage may be called again. A
// response repeating an earlier nextToken ends the walk with a
// *RepeatedNextTokenError (its sessions are still returned). After the last
// page NextPage returns ErrNoMorePages.
func (p *ListTestGridSessionsPaginator) NextPage(ctx context.Context, optFns ...func(*Options)) (*ListTestGridSessionsOutput, error) {
	if !p.HasMorePages() {
		return nil, ErrNoMorePages
	}
	params := p.params
	params.NextToken = p.nextToken
	limit := p.options.Limit
	if limit == 0 {
		limit = p.params.MaxResult
	}
	params.MaxResult = max(limit, 0)

	out, err := p.client.ListTestGridSessions(ctx, &params, optFns...)
	if err != nil {
		return nil, err
	}
	p.firstPage = false
	p.pages++
	p.nextToken = out.NextToken
	if p.nextToken == "" {
		p.done = true
		return out, nil
	}
	if _, dup := p.seen[p.nextToken]; dup {
		p.done = true
		return out, &RepeatedNextTokenError{Page: p.pages, RequestID: out.RequestID}
	}
	p.seen[p.nextToken] = struct{}{}
	return out, nil
}

// Pages returns an iterator over the remaining pages. It yields each page
// with a nil error; on the first error it yields (nil, err) once and stops.
// Breaking out of the loop stops fetching. A page that repeats a token is
// yielded, then the *RepeatedNextTokenError.
func (p *ListTestGridSessionsPaginator) Pages(ctx context.Context, optFns ...func(*Options)) iter.Seq2[*ListTestGridSessionsOutput, error] {
	return func(yield func(*ListTestGridSessionsOutput, error) bool) {
		for p.HasMorePages() {
			out, err := p.NextPage(ctx, optFns...)
			if out != nil && !yield(out, nil) {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
		}
	}
}

// Sessions returns an iterator over the sessions of the remaining pages, in
// order. On the first error it yields (TestGridSession{}, err) once and
// stops. Breaking out of the loop stops fetching; at most one page is held
// in memory.
func (p *ListTestGridSessionsPaginator) Sessions(ctx context.Context, optFns ...func(*Options)) iter.Seq2[TestGridSession, error] {
	return func(yield func(TestGridSession, error) bool) {
		for page, err := range p.Pages(ctx, optFns...) {
			if err != nil {
				yield(TestGridSession{}, err)
				return
			}
			for _, s := range page.TestGridSessions {
				if !yield(s, nil) {
					return
				}
			}
		}
	}
}
