package devicefarm

import (
	"context"
	"iter"
)

// Pages returns an iterator over the remaining pages, as NextPage returns
// them: each page with a nil error; on the first error it yields (nil, err)
// once and stops. A range started on a finished paginator yields
// (nil, ErrNoMorePages) once. A page yielded to a loop that breaks counts as
// consumed: the next range starts with the page after it.
func (p *ListTestGridSessionsPaginator) Pages(ctx context.Context, optFns ...func(*Options)) iter.Seq2[*ListTestGridSessionsOutput, error] {
	return func(yield func(*ListTestGridSessionsOutput, error) bool) {
		if !p.acquire() {
			yield(nil, ErrPaginatorInUse)
			return
		}
		defer p.release()
		if !p.hasMore() {
			yield(nil, ErrNoMorePages)
			return
		}
		for p.hasMore() {
			out, err := p.next(ctx, optFns)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(out, nil) {
				return
			}
		}
	}
}

// Sessions returns an iterator over the sessions of the remaining pages, in
// order. On the first error it yields (TestGridSession{}, err) once and
// stops. A range started on a finished paginator yields
// (TestGridSession{}, ErrNoMorePages) once. After a break, the next range
// starts with the first session not yet yielded. At most one page is held in
// memory.
func (p *ListTestGridSessionsPaginator) Sessions(ctx context.Context, optFns ...func(*Options)) iter.Seq2[TestGridSession, error] {
	return func(yield func(TestGridSession, error) bool) {
		if !p.acquire() {
			yield(TestGridSession{}, ErrPaginatorInUse)
			return
		}
		defer p.release()
		if !p.hasMore() {
			yield(TestGridSession{}, ErrNoMorePages)
			return
		}
		for {
			for p.held != nil {
				// Count the session as consumed before yielding it, so a
				// break inside the loop body does not yield it again.
				s := p.held.TestGridSessions[p.heldNext]
				p.heldNext++
				if p.heldNext == len(p.held.TestGridSessions) {
					p.held, p.heldNext = nil, 0
					p.publish()
				}
				if !yield(s, nil) {
					return
				}
			}
			if !p.hasMore() {
				return
			}
			out, err := p.next(ctx, optFns)
			if err != nil {
				yield(TestGridSession{}, err)
				return
			}
			if len(out.TestGridSessions) > 0 {
				p.held, p.heldNext = out, 0
				p.publish()
			}
		}
	}
}
