package devicefarm

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagerCall is one call the fake client received.
type pagerCall struct {
	ctx    context.Context
	in     ListTestGridSessionsInput // a copy, taken at call time
	optFns []func(*Options)
}

// fakePagerClient is a func-backed ListTestGridSessionsAPIClient that records
// every input it gets. It refuses to answer more than maxCalls calls, so a
// paginator that loops forever fails instead of hanging.
type fakePagerClient struct {
	t        testing.TB
	maxCalls int
	fn       func(call int, in *ListTestGridSessionsInput) (*ListTestGridSessionsOutput, error)

	mu    sync.Mutex
	calls []pagerCall
}

func (f *fakePagerClient) ListTestGridSessions(ctx context.Context, in *ListTestGridSessionsInput, optFns ...func(*Options)) (*ListTestGridSessionsOutput, error) {
	f.mu.Lock()
	f.calls = append(f.calls, pagerCall{ctx: ctx, in: *in, optFns: optFns})
	n := len(f.calls)
	f.mu.Unlock()
	limit := f.maxCalls
	if limit == 0 {
		limit = 100
	}
	if n > limit {
		f.t.Errorf("fake client called %d times (cap %d): the paginator does not stop", n, limit)
		return nil, errors.New("fake client: call cap reached")
	}
	return f.fn(n, in)
}

func (f *fakePagerClient) Calls() []pagerCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]pagerCall(nil), f.calls...)
}

// SentTokens returns the NextToken of every call, in order.
func (f *fakePagerClient) SentTokens() []string {
	var toks []string
	for _, c := range f.Calls() {
		toks = append(toks, c.in.NextToken)
	}
	return toks
}

// SentMaxResults returns the MaxResult of every call, in order.
func (f *fakePagerClient) SentMaxResults() []int32 {
	var ms []int32
	for _, c := range f.Calls() {
		ms = append(ms, c.in.MaxResult)
	}
	return ms
}

// fakePage is one scripted answer: sessions named by ARN and a next token,
// or an error.
type fakePage struct {
	arns []string
	next string
	err  error
}

// scriptedPager answers call n with pages[n-1]; the page's RequestID is
// "rid-n". Calls past the script fail the test.
func scriptedPager(t testing.TB, pages ...fakePage) *fakePagerClient {
	return &fakePagerClient{t: t, fn: func(call int, _ *ListTestGridSessionsInput) (*ListTestGridSessionsOutput, error) {
		if call > len(pages) {
			t.Errorf("unexpected call %d: the script has %d pages", call, len(pages))
			return nil, errors.New("script exhausted")
		}
		p := pages[call-1]
		if p.err != nil {
			return nil, p.err
		}
		out := &ListTestGridSessionsOutput{NextToken: p.next, RequestID: fmt.Sprintf("rid-%d", call)}
		for _, arn := range p.arns {
			out.TestGridSessions = append(out.TestGridSessions, TestGridSession{Arn: arn, Status: TestGridSessionStatusClosed})
		}
		return out, nil
	}}
}

func sessionArns(ss []TestGridSession) []string {
	arns := []string{}
	for _, s := range ss {
		arns = append(arns, s.Arn)
	}
	return arns
}

func pagerInput() *ListTestGridSessionsInput {
	return &ListTestGridSessionsInput{ProjectArn: testProjectArn}
}

func TestPaginator_HasMorePagesBeforeFirstPage(t *testing.T) {
	f := scriptedPager(t)
	p := NewListTestGridSessionsPaginator(f, pagerInput())
	assert.True(t, p.HasMorePages())
	assert.True(t, p.HasMorePages(), "HasMorePages must not consume anything")
	assert.Empty(t, f.Calls(), "no call before NextPage")
}

func TestPaginator_WalksPagesFollowingNextToken(t *testing.T) {
	f := scriptedPager(t,
		fakePage{arns: []string{"s1", "s2"}, next: "tokA"},
		fakePage{arns: []string{"s3"}, next: "tokB"},
		fakePage{arns: []string{"s4"}},
	)
	p := NewListTestGridSessionsPaginator(f, pagerInput())

	var got []string
	var rids []string
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		require.NoError(t, err)
		got = append(got, sessionArns(out.TestGridSessions)...)
		rids = append(rids, out.RequestID)
	}
	assert.Equal(t, []string{"s1", "s2", "s3", "s4"}, got)
	assert.Equal(t, []string{"rid-1", "rid-2", "rid-3"}, rids)
	assert.Equal(t, []string{"", "tokA", "tokB"}, f.SentTokens())
	for _, c := range f.Calls() {
		assert.Equal(t, testProjectArn, c.in.ProjectArn)
	}
	assert.False(t, p.HasMorePages())
}

func TestPaginator_PageSize(t *testing.T) {
	tests := []struct {
		name     string
		inputMax int32
		optFns   []func(*ListTestGridSessionsPaginatorOptions)
		want     int32 // MaxResult sent on every page; 0 means omitted
	}{
		{name: "Limit sets MaxResult", optFns: []func(*ListTestGridSessionsPaginatorOptions){func(o *ListTestGridSessionsPaginatorOptions) { o.Limit = 25 }}, want: 25},
		{name: "Limit overrides input MaxResult", inputMax: 10, optFns: []func(*ListTestGridSessionsPaginatorOptions){func(o *ListTestGridSessionsPaginatorOptions) { o.Limit = 25 }}, want: 25},
		{name: "no Limit uses input MaxResult", inputMax: 10, want: 10},
		{name: "option leaving Limit at its default keeps input MaxResult", inputMax: 10, optFns: []func(*ListTestGridSessionsPaginatorOptions){func(o *ListTestGridSessionsPaginatorOptions) {}}, want: 10},
		{name: "explicit Limit 0 falls back to input MaxResult", inputMax: 10, optFns: []func(*ListTestGridSessionsPaginatorOptions){func(o *ListTestGridSessionsPaginatorOptions) { o.Limit = 0 }}, want: 10},
		{name: "negative Limit omits maxResult", inputMax: 10, optFns: []func(*ListTestGridSessionsPaginatorOptions){func(o *ListTestGridSessionsPaginatorOptions) { o.Limit = -1 }}, want: 0},
		{name: "no Limit and no input MaxResult omits maxResult", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := scriptedPager(t,
				fakePage{arns: []string{"s1"}, next: "tokA"},
				fakePage{arns: []string{"s2"}, next: "tokB"},
				fakePage{arns: []string{"s3"}},
			)
			in := pagerInput()
			in.MaxResult = tt.inputMax
			p := NewListTestGridSessionsPaginator(f, in, tt.optFns...)
			for p.HasMorePages() {
				_, err := p.NextPage(context.Background())
				require.NoError(t, err)
			}
			assert.Equal(t, []int32{tt.want, tt.want, tt.want}, f.SentMaxResults())
		})
	}
}

func TestPaginator_DoesNotMutateInput(t *testing.T) {
	f := scriptedPager(t,
		fakePage{arns: []string{"s1"}, next: "tokA"},
		fakePage{arns: []string{"s2"}},
	)
	in := &ListTestGridSessionsInput{
		ProjectArn:        testProjectArn,
		Status:            TestGridSessionStatusActive,
		CreationTimeAfter: time.Unix(1709251200, 0).UTC(),
		EndTimeBefore:     time.Unix(1709337600, 0).UTC(),
		MaxResult:         10,
		NextToken:         "resume-token",
	}
	before := *in
	p := NewListTestGridSessionsPaginator(f, in, func(o *ListTestGridSessionsPaginatorOptions) { o.Limit = 5 })

	// Changing the caller's struct after construction must not leak into
	// the walk either: the paginator works on its own copy.
	in.Status = TestGridSessionStatusErrored
	in.NextToken = "changed-token"
	for p.HasMorePages() {
		_, err := p.NextPage(context.Background())
		require.NoError(t, err)
	}
	in.Status, in.NextToken = before.Status, before.NextToken
	assert.Equal(t, before, *in, "the caller's input was modified")

	calls := f.Calls()
	require.Len(t, calls, 2)
	for _, c := range calls {
		assert.Equal(t, TestGridSessionStatusActive, c.in.Status)
		assert.Equal(t, before.CreationTimeAfter, c.in.CreationTimeAfter)
		assert.Equal(t, before.EndTimeBefore, c.in.EndTimeBefore)
		assert.Equal(t, int32(5), c.in.MaxResult)
	}
	assert.Equal(t, []string{"resume-token", "tokA"}, f.SentTokens())
}

func TestPaginator_ResumesFromInputNextToken(t *testing.T) {
	f := scriptedPager(t,
		fakePage{arns: []string{"s3"}, next: "tokB"},
		fakePage{arns: []string{"s4"}},
	)
	in := pagerInput()
	in.NextToken = "tokA"
	p := NewListTestGridSessionsPaginator(f, in)
	require.True(t, p.HasMorePages())
	var got []string
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		require.NoError(t, err)
		got = append(got, sessionArns(out.TestGridSessions)...)
	}
	assert.Equal(t, []string{"s3", "s4"}, got)
	assert.Equal(t, []string{"tokA", "tokB"}, f.SentTokens())
}

func TestPaginator_RepeatedNextToken(t *testing.T) {
	tests := []struct {
		name       string
		resume     string
		pages      []fakePage
		wantTokens []string // tokens sent
		wantPage   int      // page reported in the error
		wantArns   []string // sessions of the page that repeated
	}{
		{
			name:       "same token twice",
			pages:      []fakePage{{arns: []string{"s1"}, next: "tokA"}, {arns: []string{"s2"}, next: "tokA"}},
			wantTokens: []string{"", "tokA"},
			wantPage:   2,
			wantArns:   []string{"s2"},
		},
		{
			name:       "cycle A, B, A",
			pages:      []fakePage{{arns: []string{"s1"}, next: "tokA"}, {arns: []string{"s2"}, next: "tokB"}, {arns: []string{"s3", "s4"}, next: "tokA"}},
			wantTokens: []string{"", "tokA", "tokB"},
			wantPage:   3,
			wantArns:   []string{"s3", "s4"},
		},
		{
			name:       "token equal to the resume token",
			resume:     "tokR",
			pages:      []fakePage{{arns: []string{"s1"}, next: "tokR"}},
			wantTokens: []string{"tokR"},
			wantPage:   1,
			wantArns:   []string{"s1"},
		},
		{
			name:       "resume token comes back later",
			resume:     "tokR",
			pages:      []fakePage{{arns: []string{"s1"}, next: "tokA"}, {arns: []string{"s2"}, next: "tokR"}},
			wantTokens: []string{"tokR", "tokA"},
			wantPage:   2,
			wantArns:   []string{"s2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := scriptedPager(t, tt.pages...)
			in := pagerInput()
			in.NextToken = tt.resume
			p := NewListTestGridSessionsPaginator(f, in)

			var out *ListTestGridSessionsOutput
			var err error
			for i := 0; p.HasMorePages() && i < 10; i++ {
				out, err = p.NextPage(context.Background())
				if err != nil {
					break
				}
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrRepeatedNextToken)
			var rte *RepeatedNextTokenError
			require.ErrorAs(t, err, &rte)
			assert.Equal(t, tt.wantPage, rte.Page)
			assert.Equal(t, fmt.Sprintf("rid-%d", tt.wantPage), rte.RequestID)
			assert.Contains(t, err.Error(), fmt.Sprintf("page %d", tt.wantPage))
			assert.Contains(t, err.Error(), rte.RequestID)

			require.NotNil(t, out, "the repeating page's sessions must still be returned")
			assert.Equal(t, tt.wantArns, sessionArns(out.TestGridSessions))

			assert.False(t, p.HasMorePages())
			again, err := p.NextPage(context.Background())
			assert.ErrorIs(t, err, ErrNoMorePages)
			assert.Nil(t, again)
			assert.Equal(t, tt.wantTokens, f.SentTokens())
		})
	}
}

func TestPaginator_RepeatedTokenNeverLoopsForever(t *testing.T) {
	newForever := func(t *testing.T) *fakePagerClient {
		return &fakePagerClient{t: t, maxCalls: 100, fn: func(call int, _ *ListTestGridSessionsInput) (*ListTestGridSessionsOutput, error) {
			return &ListTestGridSessionsOutput{
				TestGridSessions: []TestGridSession{{Arn: fmt.Sprintf("s%d", call)}},
				NextToken:        "same",
				RequestID:        fmt.Sprintf("rid-%d", call),
			}, nil
		}}
	}

	t.Run("NextPage", func(t *testing.T) {
		f := newForever(t)
		p := NewListTestGridSessionsPaginator(f, pagerInput())
		var err error
		for i := 0; p.HasMorePages() && i < 1000; i++ {
			if _, err = p.NextPage(context.Background()); err != nil {
				break
			}
		}
		require.ErrorIs(t, err, ErrRepeatedNextToken)
		assert.Len(t, f.Calls(), 2)
		assert.False(t, p.HasMorePages())
	})

	t.Run("Sessions", func(t *testing.T) {
		f := newForever(t)
		p := NewListTestGridSessionsPaginator(f, pagerInput())
		var arns []string
		var errs []error
		n := 0
		for s, err := range p.Sessions(context.Background()) {
			if n++; n > 1000 {
				break
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			arns = append(arns, s.Arn)
		}
		assert.Equal(t, []string{"s1", "s2"}, arns)
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], ErrRepeatedNextToken)
		assert.Len(t, f.Calls(), 2)
	})
}

func TestPaginator_NextPageAfterEnd(t *testing.T) {
	f := scriptedPager(t, fakePage{arns: []string{"s1"}})
	p := NewListTestGridSessionsPaginator(f, pagerInput())
	_, err := p.NextPage(context.Background())
	require.NoError(t, err)
	require.False(t, p.HasMorePages())

	for range 2 {
		out, err := p.NextPage(context.Background())
		assert.Nil(t, out)
		assert.ErrorIs(t, err, ErrNoMorePages)
	}
	assert.Len(t, f.Calls(), 1, "NextPage after the end must not call the client")
}

func TestPaginator_ErrorDoesNotAdvance(t *testing.T) {
	boom := errors.New("boom")
	f := scriptedPager(t,
		fakePage{arns: []string{"s1"}, next: "tokA"},
		fakePage{err: boom},
		fakePage{arns: []string{"s2"}},
	)
	p := NewListTestGridSessionsPaginator(f, pagerInput())

	_, err := p.NextPage(context.Background())
	require.NoError(t, err)

	out, err := p.NextPage(context.Background())
	assert.Nil(t, out)
	require.Same(t, boom, err, "the client's error must be returned as is")
	assert.True(t, p.HasMorePages(), "an error must not end the walk")

	out, err = p.NextPage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"s2"}, sessionArns(out.TestGridSessions))
	assert.False(t, p.HasMorePages())
	assert.Equal(t, []string{"", "tokA", "tokA"}, f.SentTokens())
}

func TestPaginator_ErrorOnFirstPageCanBeRetried(t *testing.T) {
	boom := errors.New("boom")
	f := scriptedPager(t, fakePage{err: boom}, fakePage{arns: []string{"s1"}})
	in := pagerInput()
	in.NextToken = "tokR"
	p := NewListTestGridSessionsPaginator(f, in)

	_, err := p.NextPage(context.Background())
	require.Same(t, boom, err)
	require.True(t, p.HasMorePages())
	out, err := p.NextPage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"s1"}, sessionArns(out.TestGridSessions))
	assert.Equal(t, []string{"tokR", "tokR"}, f.SentTokens())
}

type pagerCtxKey struct{}

// applyOptFns runs recorded per-call option functions on a zero Options.
func applyOptFns(fns []func(*Options)) Options {
	var o Options
	for _, fn := range fns {
		fn(&o)
	}
	return o
}

func TestPaginator_NextPagePassesContextAndOptFns(t *testing.T) {
	f := scriptedPager(t, fakePage{arns: []string{"s1"}, next: "tokA"}, fakePage{})
	p := NewListTestGridSessionsPaginator(f, pagerInput())
	ctx := context.WithValue(context.Background(), pagerCtxKey{}, "v1")

	_, err := p.NextPage(ctx,
		func(o *Options) { o.RetryMaxAttempts = 7 },
		func(o *Options) { o.AppID = "pager-test" },
	)
	require.NoError(t, err)
	_, err = p.NextPage(context.Background())
	require.NoError(t, err)

	calls := f.Calls()
	require.Len(t, calls, 2)
	assert.Equal(t, "v1", calls[0].ctx.Value(pagerCtxKey{}))
	require.Len(t, calls[0].optFns, 2)
	o := applyOptFns(calls[0].optFns)
	assert.Equal(t, 7, o.RetryMaxAttempts)
	assert.Equal(t, "pager-test", o.AppID)
	assert.Empty(t, calls[1].optFns, "optFns are per call")
}

func TestPaginator_EmptyPageWithTokenContinues(t *testing.T) {
	f := scriptedPager(t,
		fakePage{next: "tokA"},
		fakePage{arns: []string{}, next: "tokB"},
		fakePage{arns: []string{"s1"}},
	)
	p := NewListTestGridSessionsPaginator(f, pagerInput())
	var got []string
	for s, err := range p.Sessions(context.Background()) {
		require.NoError(t, err)
		got = append(got, s.Arn)
	}
	assert.Equal(t, []string{"s1"}, got)
	assert.Equal(t, []string{"", "tokA", "tokB"}, f.SentTokens())
}

func TestPaginator_PagesIterator(t *testing.T) {
	threePages := func(t *testing.T) *fakePagerClient {
		return scriptedPager(t,
			fakePage{arns: []string{"s1", "s2"}, next: "tokA"},
			fakePage{arns: []string{"s3"}, next: "tokB"},
			fakePage{arns: []string{"s4"}},
		)
	}

	t.Run("yields every page in order", func(t *testing.T) {
		f := threePages(t)
		p := NewListTestGridSessionsPaginator(f, pagerInput())
		var rids []string
		var arns []string
		for page, err := range p.Pages(context.Background()) {
			require.NoError(t, err)
			require.NotNil(t, page)
			rids = append(rids, page.RequestID)
			arns = append(arns, sessionArns(page.TestGridSessions)...)
		}
		assert.Equal(t, []string{"rid-1", "rid-2", "rid-3"}, rids)
		assert.Equal(t, []string{"s1", "s2", "s3", "s4"}, arns)
		assert.Len(t, f.Calls(), 3)
		assert.False(t, p.HasMorePages())
	})

	t.Run("break stops fetching", func(t *testing.T) {
		f := threePages(t)
		p := NewListTestGridSessionsPaginator(f, pagerInput())
		n := 0
		for page, err := range p.Pages(context.Background()) {
			require.NoError(t, err)
			require.NotNil(t, page)
			n++
			break
		}
		assert.Equal(t, 1, n)
		assert.Len(t, f.Calls(), 1)
	})

	t.Run("error is yielded once, then the iterator stops", func(t *testing.T) {
		boom := errors.New("boom")
		f := scriptedPager(t, fakePage{arns: []string{"s1"}, next: "tokA"}, fakePage{err: boom})
		p := NewListTestGridSessionsPaginator(f, pagerInput())
		var pages, errs int
		for page, err := range p.Pages(context.Background()) {
			if err != nil {
				errs++
				assert.Same(t, boom, err)
				assert.Nil(t, page)
				continue
			}
			pages++
		}
		assert.Equal(t, 1, pages)
		assert.Equal(t, 1, errs)
		assert.Len(t, f.Calls(), 2)
	})

	t.Run("repeated token yields the page, then the error", func(t *testing.T) {
		f := scriptedPager(t, fakePage{arns: []string{"s1"}, next: "tokA"}, fakePage{arns: []string{"s2"}, next: "tokA"})
		p := NewListTestGridSessionsPaginator(f, pagerInput())
		var got []string
		for page, err := range p.Pages(context.Background()) {
			if err != nil {
				assert.ErrorIs(t, err, ErrRepeatedNextToken)
				got = append(got, "error")
				continue
			}
			got = append(got, sessionArns(page.TestGridSessions)...)
		}
		assert.Equal(t, []string{"s1", "s2", "error"}, got)
		assert.Len(t, f.Calls(), 2)
	})

	t.Run("optFns reach every call", func(t *testing.T) {
		f := threePages(t)
		p := NewListTestGridSessionsPaginator(f, pagerInput())
		for _, err := range p.Pages(context.Background(), func(o *Options) { o.AppID = "pages" }) {
			require.NoError(t, err)
		}
		calls := f.Calls()
		require.Len(t, calls, 3)
		for _, c := range calls {
			require.Len(t, c.optFns, 1)
			assert.Equal(t, "pages", applyOptFns(c.optFns).AppID)
		}
	})
}

func TestPaginator_SessionsIterator(t *testing.T) {
	threePages := func(t *testing.T) *fakePagerClient {
		return scriptedPager(t,
			fakePage{arns: []string{"s1", "s2", "s3"}, next: "tokA"},
			fakePage{arns: []string{"s4", "s5"}, next: "tokB"},
			fakePage{arns: []string{"s6"}},
		)
	}

	t.Run("yields every session in order", func(t *testing.T) {
		f := threePages(t)
		p := NewListTestGridSessionsPaginator(f, pagerInput())
		var got []string
		for s, err := range p.Sessions(context.Background()) {
			require.NoError(t, err)
			assert.Equal(t, TestGridSessionStatusClosed, s.Status)
			got = append(got, s.Arn)
		}
		assert.Equal(t, []string{"s1", "s2", "s3", "s4", "s5", "s6"}, got)
		assert.Len(t, f.Calls(), 3)
	})

	for _, tt := range []struct {
		stopAfter string
		wantCalls int
	}{
		{stopAfter: "s1", wantCalls: 1},
		{stopAfter: "s3", wantCalls: 1},
		{stopAfter: "s4", wantCalls: 2},
	} {
		t.Run("break after "+tt.stopAfter+" stops fetching", func(t *testing.T) {
			f := threePages(t)
			p := NewListTestGridSessionsPaginator(f, pagerInput())
			var got []string
			for s, err := range p.Sessions(context.Background()) {
				require.NoError(t, err)
				got = append(got, s.Arn)
				if s.Arn == tt.stopAfter {
					break
				}
			}
			assert.Equal(t, tt.stopAfter, got[len(got)-1])
			assert.Len(t, f.Calls(), tt.wantCalls)
		})
	}

	t.Run("error is yielded once with a zero session, then the iterator stops", func(t *testing.T) {
		boom := errors.New("boom")
		f := scriptedPager(t, fakePage{arns: []string{"s1", "s2"}, next: "tokA"}, fakePage{err: boom})
		p := NewListTestGridSessionsPaginator(f, pagerInput())
		var got []string
		var errs []error
		for s, err := range p.Sessions(context.Background()) {
			if err != nil {
				errs = append(errs, err)
				assert.Equal(t, TestGridSession{}, s)
				continue
			}
			got = append(got, s.Arn)
		}
		assert.Equal(t, []string{"s1", "s2"}, got)
		require.Len(t, errs, 1)
		assert.Same(t, boom, errs[0])
		assert.Len(t, f.Calls(), 2)
	})

	t.Run("optFns reach every call", func(t *testing.T) {
		f := threePages(t)
		p := NewListTestGridSessionsPaginator(f, pagerInput())
		for _, err := range p.Sessions(context.Background(), func(o *Options) { o.RetryMaxAttempts = 4 }) {
			require.NoError(t, err)
		}
		calls := f.Calls()
		require.Len(t, calls, 3)
		for _, c := range calls {
			require.Len(t, c.optFns, 1)
			assert.Equal(t, 4, applyOptFns(c.optFns).RetryMaxAttempts)
		}
	})
}
