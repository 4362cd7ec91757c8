package devicefarm

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
		p := NewListTestGridSessionsPaginator(f, testInput())
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
		p := NewListTestGridSessionsPaginator(f, testInput())
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
		p := NewListTestGridSessionsPaginator(f, testInput())
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
		p := NewListTestGridSessionsPaginator(f, testInput())
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
		p := NewListTestGridSessionsPaginator(f, testInput())
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
		p := NewListTestGridSessionsPaginator(f, testInput())
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
			p := NewListTestGridSessionsPaginator(f, testInput())
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
		p := NewListTestGridSessionsPaginator(f, testInput())
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
		p := NewListTestGridSessionsPaginator(f, testInput())
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

// pageWord shows a page in a transcript as its request ID and session ARNs.
func pageWord(out *ListTestGridSessionsOutput) string {
	return out.RequestID + "[" + strings.Join(sessionArns(out.TestGridSessions), " ") + "]"
}

// drive runs ops on p, one after the other on this goroutine, and returns
// one transcript line per op: what it produced, space-separated, then "#n",
// the number of requests f has received so far. Ops: "S" ranges Sessions to
// its end, "S2" breaks after 2 sessions; "P" and "P1" do the same with
// Pages; "N" calls NextPage once; "H" shows HasMorePages as more or done.
// Sessions show as their ARN, pages as pageWord, errors as errWord. It
// checks that every step is a page or an error, never both.
func drive(t *testing.T, f *fakePagerClient, p *ListTestGridSessionsPaginator, ops ...string) []string {
	t.Helper()
	ctx := context.Background()
	var lines []string
	for _, op := range ops {
		var items []string
		limit := 0
		if len(op) > 1 {
			var err error
			limit, err = strconv.Atoi(op[1:])
			require.NoError(t, err, "op %q", op)
		}
		switch op[0] {
		case 'S':
			for s, err := range p.Sessions(ctx) {
				if err != nil {
					assert.Zero(t, s, "an error comes with a zero session")
					items = append(items, errWord(err))
					continue
				}
				if items = append(items, s.Arn); len(items) == limit {
					break
				}
			}
		case 'P':
			for out, err := range p.Pages(ctx) {
				if err != nil {
					assert.Nil(t, out, "an error comes with a nil page")
					items = append(items, errWord(err))
					continue
				}
				require.NotNil(t, out, "a nil page with a nil error")
				if items = append(items, pageWord(out)); len(items) == limit {
					break
				}
			}
		case 'N':
			out, err := p.NextPage(ctx)
			if err != nil {
				assert.Nil(t, out, "a page or an error, never both")
				items = append(items, errWord(err))
			} else {
				require.NotNil(t, out, "a nil page with a nil error")
				items = append(items, pageWord(out))
			}
		case 'H':
			items = append(items, map[bool]string{true: "more", false: "done"}[p.HasMorePages()])
		default:
			t.Fatalf("unknown op %q", op)
		}
		lines = append(lines, strings.Join(append(items, fmt.Sprintf("#%d", len(f.Calls()))), " "))
	}
	return lines
}

// Breaking out of a range and coming back, with any mix of Sessions, Pages
// and NextPage, delivers every session exactly once, in order, and never
// fetches a page twice or before it is needed.
func TestPaginator_ResumeAndMix(t *testing.T) {
	threePages := []fakePage{
		{arns: []string{"s1", "s2", "s3"}, next: "tokA"},
		{arns: []string{"s4", "s5"}, next: "tokB"},
		{arns: []string{"s6", "s7"}},
	}
	repeating := []fakePage{
		{arns: []string{"s1", "s2"}, next: "tokA"},
		{arns: []string{"s3", "s4"}, next: "tokA"},
	}
	boom := []fakePage{
		{arns: []string{"s1", "s2"}, next: "tokA"},
		{err: errors.New("boom")},
		{arns: []string{"s3"}},
	}
	tests := []struct {
		name  string
		pages []fakePage // default threePages
		ops   []string
		want  []string
	}{
		{
			name: "Sessions resumes inside the page in hand",
			ops:  []string{"S1", "S1", "S2", "S"},
			want: []string{"s1 #1", "s2 #1", "s3 s4 #2", "s5 s6 s7 #3"},
		},
		{
			name: "Sessions broken at a page's end fetches nothing more until resumed",
			ops:  []string{"S3", "H", "S1", "S"},
			want: []string{"s1 s2 s3 #1", "more #1", "s4 #2", "s5 s6 s7 #3"},
		},
		{
			name: "Sessions broken on the last session leaves a finished paginator",
			ops:  []string{"S7", "H", "S"},
			want: []string{"s1 s2 s3 s4 s5 s6 s7 #3", "done #3", "ErrNoMorePages #3"},
		},
		{
			name: "Pages resumes at the page after the one broken on",
			ops:  []string{"P1", "P1", "P", "P"},
			want: []string{"rid-1[s1 s2 s3] #1", "rid-2[s4 s5] #2", "rid-3[s6 s7] #3", "ErrNoMorePages #3"},
		},
		{
			name: "NextPage after a Sessions break returns the rest of the page in hand",
			ops:  []string{"S2", "H", "N", "N"},
			want: []string{"s1 s2 #1", "more #1", "rid-1[s3] #1", "rid-2[s4 s5] #2"},
		},
		{
			name: "NextPage after a Sessions break at a page's end fetches the next page",
			ops:  []string{"S3", "N"},
			want: []string{"s1 s2 s3 #1", "rid-2[s4 s5] #2"},
		},
		{
			name: "the rest of the last page keeps HasMorePages true until taken",
			ops:  []string{"S6", "H", "N", "H", "N"},
			want: []string{"s1 s2 s3 s4 s5 s6 #3", "more #3", "rid-3[s7] #3", "done #3", "ErrNoMorePages #3"},
		},
		{
			name: "Pages after a Sessions break yields the rest of the page in hand first",
			ops:  []string{"S1", "P"},
			want: []string{"s1 #1", "rid-1[s2 s3] rid-2[s4 s5] rid-3[s6 s7] #3"},
		},
		{
			name: "Sessions after a Pages break starts at the next page",
			ops:  []string{"P1", "S"},
			want: []string{"rid-1[s1 s2 s3] #1", "s4 s5 s6 s7 #3"},
		},
		{
			name: "NextPage, Sessions and NextPage again",
			ops:  []string{"N", "S2", "N", "N"},
			want: []string{"rid-1[s1 s2 s3] #1", "s4 s5 #2", "rid-3[s6 s7] #3", "ErrNoMorePages #3"},
		},
		{
			name:  "repeated token: Sessions yields the page, then the error alone",
			pages: repeating,
			ops:   []string{"S", "S"},
			want:  []string{"s1 s2 s3 s4 ErrRepeatedNextToken #2", "ErrNoMorePages #2"},
		},
		{
			name:  "repeated token: a break inside the repeating page resumes there",
			pages: repeating,
			ops:   []string{"S3", "H", "S"},
			want:  []string{"s1 s2 s3 #2", "more #2", "s4 ErrRepeatedNextToken #2"},
		},
		{
			name:  "repeated token: Pages broken on the repeating page",
			pages: repeating,
			ops:   []string{"P2", "H", "P", "H"},
			want:  []string{"rid-1[s1 s2] rid-2[s3 s4] #2", "more #2", "ErrRepeatedNextToken #2", "done #2"},
		},
		{
			name:  "repeated token: NextPage",
			pages: repeating,
			ops:   []string{"N", "N", "H", "N", "H", "N"},
			want:  []string{"rid-1[s1 s2] #1", "rid-2[s3 s4] #2", "more #2", "ErrRepeatedNextToken #2", "done #2", "ErrNoMorePages #2"},
		},
		{
			name:  "an error ends a range without advancing; the next range retries",
			pages: boom,
			ops:   []string{"S", "H", "S"},
			want:  []string{"s1 s2 error: boom #2", "more #2", "s3 #3"},
		},
		{
			name:  "an error ends a Pages range without advancing; the next range retries",
			pages: boom,
			ops:   []string{"P", "P"},
			want:  []string{"rid-1[s1 s2] error: boom #2", "rid-3[s3] #3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages := tt.pages
			if pages == nil {
				pages = threePages
			}
			f := scriptedPager(t, pages...)
			p := NewListTestGridSessionsPaginator(f, testInput())
			assert.Equal(t, tt.want, drive(t, f, p, tt.ops...))
		})
	}
}

// The rest of a page that NextPage returns after a Sessions break is that
// response with only the sessions not yet yielded.
func TestPaginator_NextPageReturnsRestOfHeldPage(t *testing.T) {
	f := scriptedPager(t,
		fakePage{arns: []string{"s1", "s2", "s3"}, next: "tokA"},
		fakePage{arns: []string{"s4"}},
	)
	p := NewListTestGridSessionsPaginator(f, testInput())
	for s, err := range p.Sessions(context.Background()) {
		require.NoError(t, err)
		require.Equal(t, "s1", s.Arn)
		break
	}
	rest, err := p.NextPage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"s2", "s3"}, sessionArns(rest.TestGridSessions))
	assert.Equal(t, "tokA", rest.NextToken, "the held response's token: the next page follows")
	assert.Equal(t, "rid-1", rest.RequestID)
	assert.Len(t, f.Calls(), 1, "the rest of a page costs no request")

	next, err := p.NextPage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"s4"}, sessionArns(next.TestGridSessions))
	assert.Equal(t, []string{"", "tokA"}, f.SentTokens())
}

// A polling loop that ranges one paginator again and again sees
// ErrNoMorePages each time once the walk is over, not an empty success.
func TestPaginator_RangingFinishedPaginatorYieldsErrNoMorePagesOnce(t *testing.T) {
	f := scriptedPager(t, fakePage{arns: []string{"s1"}})
	p := NewListTestGridSessionsPaginator(f, testInput())
	for _, err := range p.Sessions(context.Background()) {
		require.NoError(t, err)
	}
	require.False(t, p.HasMorePages())

	for range 3 {
		var pages []*ListTestGridSessionsOutput
		var pageErrs []error
		for out, err := range p.Pages(context.Background()) {
			pages, pageErrs = append(pages, out), append(pageErrs, err)
		}
		assert.Equal(t, []*ListTestGridSessionsOutput{nil}, pages)
		require.Len(t, pageErrs, 1)
		assert.ErrorIs(t, pageErrs[0], ErrNoMorePages)

		var sessions []TestGridSession
		var sessionErrs []error
		for s, err := range p.Sessions(context.Background()) {
			sessions, sessionErrs = append(sessions, s), append(sessionErrs, err)
		}
		assert.Equal(t, []TestGridSession{{}}, sessions)
		require.Len(t, sessionErrs, 1)
		assert.ErrorIs(t, sessionErrs[0], ErrNoMorePages)
	}
	assert.Len(t, f.Calls(), 1)
}

// A finished range does not report ErrNoMorePages: only a range that starts
// on a finished paginator does.
func TestPaginator_RangeToTheEndYieldsNoErrNoMorePages(t *testing.T) {
	f := scriptedPager(t, fakePage{arns: []string{"s1"}, next: "tokA"}, fakePage{arns: []string{"s2"}})
	p := NewListTestGridSessionsPaginator(f, testInput())
	assert.Equal(t, []string{"s1 s2 #2"}, drive(t, f, p, "S"))
}
