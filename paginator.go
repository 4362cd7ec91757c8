package devicefarm

import (
	"context"
	"errors"
	"sync/atomic"
)

// ListTestGridSessionsAPIClient is the one method the paginator needs.
// *Client implements it; tests can implement it with a fake.
type ListTestGridSessionsAPIClient interface {
	ListTestGridSessions(ctx context.Context, in *ListTestGridSessionsInput, optFns ...func(*Options)) (*ListTestGridSessionsOutput, error)
}

var _ ListTestGridSessionsAPIClient = (*Client)(nil)

// errPaginatorNilClient is returned by NextPage when the paginator was given
// a nil client; the paginator is not advanced.
var errPaginatorNilClient = errors.New("devicefarm: paginator has a nil client: create one with devicefarm.New or devicefarm.NewFromConfig")

// errPaginatorNilOutput is returned by NextPage when the client returned
// neither a page nor an error; the paginator is not advanced.
var errPaginatorNilOutput = errors.New("devicefarm: ListTestGridSessions returned neither a page nor an error")

// ListTestGridSessionsPaginatorOptions configures a paginator.
type ListTestGridSessionsPaginatorOptions struct {
	// Limit is the page size (maxResult), 1 to 1000. Zero uses the input's
	// MaxResult, and if that is zero too, the service's default. A negative
	// Limit (or, with Limit zero, a negative input MaxResult) sends no
	// maxResult, so the service's default page size applies: the official
	// paginator gives every Limit below 1 that meaning. Over 1000, each
	// call fails with a *ValidationError.
	Limit int32

	// FirstPageLimit, when not zero, is the page size of the first request
	// only; the others use Limit. A program that stopped part-way through
	// a page and saved that page's token resumes by asking again with the
	// size the page was cut with, so that the same sessions come back and
	// it can skip those it already has, and continues with Limit. A
	// negative FirstPageLimit asks for the first page at the service's
	// default size (no maxResult), for a page that was cut with it.
	FirstPageLimit int32
}

// ListTestGridSessionsPaginator walks the pages of a ListTestGridSessions
// listing, following nextToken, with HasMorePages/NextPage or the Pages and
// Sessions iterators, which can be mixed on one paginator.
//
// Every step returns a page or an error, never both. A response that repeats
// an earlier nextToken is returned as a normal page; the next step returns a
// *RepeatedNextTokenError without calling the service and ends the walk.
//
// After a break, a new range over Sessions resumes with the first session not
// yet yielded and a new range over Pages with the page after the one broken
// on, so nothing is fetched twice or skipped. NextPage (or Pages) after a
// Sessions loop left a page part-way first returns the rest of that page.
//
// A paginator is not safe for concurrent use: create one per goroutine (a
// Client can be shared). Concurrent or nested use is detected, not raced on:
// the NextPage call or range loop that finds the paginator busy gets
// ErrPaginatorInUse and changes nothing. A range loop holds the paginator
// until it ends, so calling NextPage inside one gets ErrPaginatorInUse too.
type ListTestGridSessionsPaginator struct {
	client  ListTestGridSessionsAPIClient
	params  ListTestGridSessionsInput
	options ListTestGridSessionsPaginatorOptions

	// inUse is held for the whole of a NextPage call and of a range loop;
	// the fields below it are only touched by its holder.
	inUse atomic.Bool
	// more is HasMorePages' answer, published by the holder after each
	// change so that HasMorePages never reads the fields below.
	more atomic.Bool

	nextToken string
	done      bool  // no more requests: the last page or a repeated token came
	pending   error // the *RepeatedNextTokenError the next step returns
	pages     int   // responses received
	seen      map[string]struct{}

	// held is the page a Sessions loop left part-way, with held.TestGridSessions[heldNext:]
	// not yet yielded; nil when there is none (never an empty remainder).
	held     *ListTestGridSessionsOutput
	heldNext int
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
		seen:      make(map[string]struct{}),
	}
	if p.nextToken != "" {
		p.seen[p.nextToken] = struct{}{}
	}
	p.more.Store(true)
	return p
}

// HasMorePages reports whether NextPage has something to return: a page to
// fetch, the rest of a page a Sessions loop left part-way, or the
// *RepeatedNextTokenError that ends the walk. It is false once NextPage
// would return ErrNoMorePages, and never races with a call in progress.
func (p *ListTestGridSessionsPaginator) HasMorePages() bool {
	return p.more.Load()
}

// NextPage returns the next page. An error from the call is returned as it
// is and does not advance the paginator, so NextPage may be called again.
// After a page whose nextToken was already seen it returns a
// *RepeatedNextTokenError without calling the service, and the walk ends.
// After the last page it returns ErrNoMorePages. If a Sessions loop left a
// page part-way, NextPage returns the rest of it first: a copy of that
// output holding only the sessions not yet yielded, without a call.
func (p *ListTestGridSessionsPaginator) NextPage(ctx context.Context, optFns ...func(*Options)) (*ListTestGridSessionsOutput, error) {
	if !p.acquire() {
		return nil, ErrPaginatorInUse
	}
	defer p.release()
	return p.next(ctx, optFns)
}

// acquire marks the paginator in use, or reports false if it already is.
func (p *ListTestGridSessionsPaginator) acquire() bool {
	return p.inUse.CompareAndSwap(false, true)
}

func (p *ListTestGridSessionsPaginator) release() { p.inUse.Store(false) }

// hasMore is HasMorePages computed from the state; only the holder calls it.
func (p *ListTestGridSessionsPaginator) hasMore() bool {
	return p.held != nil || p.pending != nil || !p.done
}

func (p *ListTestGridSessionsPaginator) publish() { p.more.Store(p.hasMore()) }

// next is NextPage for the holder of inUse.
func (p *ListTestGridSessionsPaginator) next(ctx context.Context, optFns []func(*Options)) (*ListTestGridSessionsOutput, error) {
	if p.held != nil {
		rest := *p.held
		rest.TestGridSessions = p.held.TestGridSessions[p.heldNext:]
		p.held, p.heldNext = nil, 0
		p.publish()
		return &rest, nil
	}
	if p.pending != nil {
		err := p.pending
		p.pending = nil
		p.publish()
		return nil, err
	}
	if p.done {
		return nil, ErrNoMorePages
	}
	if p.client == nil {
		return nil, errPaginatorNilClient
	}
	if c, ok := p.client.(*Client); ok && c == nil {
		return nil, errPaginatorNilClient
	}

	params := p.params
	params.NextToken = p.nextToken
	limit := p.options.Limit
	if limit == 0 {
		limit = p.params.MaxResult
	}
	if p.pages == 0 && p.options.FirstPageLimit != 0 {
		limit = max(p.options.FirstPageLimit, 0)
	}
	params.MaxResult = max(limit, 0)

	out, err := p.client.ListTestGridSessions(ctx, &params, optFns...)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, errPaginatorNilOutput
	}
	p.pages++
	p.nextToken = out.NextToken
	switch _, dup := p.seen[p.nextToken]; {
	case p.nextToken == "":
		p.done = true
	case dup:
		p.done = true
		p.pending = &RepeatedNextTokenError{Page: p.pages, RequestID: out.RequestID}
	default:
		p.seen[p.nextToken] = struct{}{}
	}
	p.publish()
	return out, nil
}
