package devicefarm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPaginator_HasMorePagesBeforeFirstPage(t *testing.T) {
	f := scriptedPager(t)
	p := NewListTestGridSessionsPaginator(f, testInput())
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
	p := NewListTestGridSessionsPaginator(f, testInput())

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
			in := testInput()
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
	in := testInput()
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
			in := testInput()
			in.NextToken = tt.resume
			p := NewListTestGridSessionsPaginator(f, in)

			// Every page up to and including the one that repeated a token
			// comes back with a nil error, and more is to come.
			var out *ListTestGridSessionsOutput
			for range tt.wantPage {
				require.True(t, p.HasMorePages())
				var err error
				out, err = p.NextPage(context.Background())
				require.NoError(t, err)
				require.NotNil(t, out)
			}
			assert.Equal(t, tt.wantArns, sessionArns(out.TestGridSessions), "the repeating page is returned whole")
			assert.Equal(t, fmt.Sprintf("rid-%d", tt.wantPage), out.RequestID)
			assert.True(t, p.HasMorePages(), "the error is still to come")

			// The next call returns the error alone, without a request.
			out, err := p.NextPage(context.Background())
			assert.Nil(t, out, "a page or an error, never both")
			require.ErrorIs(t, err, ErrRepeatedNextToken)
			var rte *RepeatedNextTokenError
			require.ErrorAs(t, err, &rte)
			assert.Equal(t, tt.wantPage, rte.Page)
			assert.Equal(t, fmt.Sprintf("rid-%d", tt.wantPage), rte.RequestID)
			assert.Contains(t, err.Error(), fmt.Sprintf("page %d", tt.wantPage))
			assert.Contains(t, err.Error(), rte.RequestID)
			assert.Equal(t, tt.wantTokens, f.SentTokens(), "the error costs no request")

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
		p := NewListTestGridSessionsPaginator(f, testInput())
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
		p := NewListTestGridSessionsPaginator(f, testInput())
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
	p := NewListTestGridSessionsPaginator(f, testInput())
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
	p := NewListTestGridSessionsPaginator(f, testInput())

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
	in := testInput()
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
	p := NewListTestGridSessionsPaginator(f, testInput())
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
	p := NewListTestGridSessionsPaginator(f, testInput())
	var got []string
	for s, err := range p.Sessions(context.Background()) {
		require.NoError(t, err)
		got = append(got, s.Arn)
	}
	assert.Equal(t, []string{"s1"}, got)
	assert.Equal(t, []string{"", "tokA", "tokB"}, f.SentTokens())
}

func TestPaginator_NilClient(t *testing.T) {
	tests := []struct {
		name   string
		client ListTestGridSessionsAPIClient
	}{
		{name: "nil interface", client: nil},
		{name: "nil *Client", client: (*Client)(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewListTestGridSessionsPaginator(tt.client, testInput())
			require.NotPanics(t, func() {
				out, err := p.NextPage(context.Background())
				assert.Nil(t, out)
				require.Error(t, err)
				assert.Contains(t, err.Error(), "devicefarm.New ")
				assert.Contains(t, err.Error(), "devicefarm.NewFromConfig")
				assert.True(t, p.HasMorePages(), "an error does not advance the paginator")

				var errs []error
				for s, err := range p.Sessions(context.Background()) {
					assert.Zero(t, s)
					errs = append(errs, err)
				}
				require.Len(t, errs, 1)
				assert.Equal(t, err, errs[0])
			})
		})
	}
}

func TestPaginator_ClientReturningNeitherPageNorError(t *testing.T) {
	f := &fakePagerClient{t: t, fn: func(int, *ListTestGridSessionsInput) (*ListTestGridSessionsOutput, error) { return nil, nil }}
	p := NewListTestGridSessionsPaginator(f, testInput())
	out, err := p.NextPage(context.Background())
	assert.Nil(t, out)
	require.Error(t, err)
	assert.True(t, p.HasMorePages())
}

func TestPaginator_ErrorMessages(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{ErrNoMorePages, "devicefarm: no more pages available"},
		{ErrPaginatorInUse, "devicefarm: paginator already in use: a paginator is not safe for concurrent use; create one per goroutine"},
		{&RepeatedNextTokenError{Page: 3, RequestID: "rid-3"}, "devicefarm: service returned a nextToken already seen in this pagination (page 3, request id rid-3)"},
		{&RepeatedNextTokenError{Page: 3}, "devicefarm: service returned a nextToken already seen in this pagination (page 3)"},
		{errPaginatorNilClient, "devicefarm: paginator has a nil client: create one with devicefarm.New or devicefarm.NewFromConfig"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
			assert.Equal(t, 1, strings.Count(tt.err.Error(), "devicefarm: "), "one prefix")
			assert.NotContains(t, tt.err.Error(), "\n")
		})
	}
}
