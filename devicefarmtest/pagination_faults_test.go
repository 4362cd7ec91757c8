package devicefarmtest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// TestFaultEmptyPageWalk walks 23 sessions 5 at a time with the paginator
// while empty pages are injected: every session comes exactly once, in
// order, and each empty page costs one more call.
func TestFaultEmptyPageWalk(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		after int // sessions walked before the faults are queued
		n     int // empty pages in a row
	}{
		{"first call", 0, 1},
		{"middle call", 10, 1},
		{"mid-page boundary", 7, 1},
		{"before the last page", 20, 1},
		{"three in a row on the first call", 0, 3},
		{"three in a row in the middle", 15, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			s.Seed(projectArn, 23, 1)
			if tc.after == 0 {
				s.Inject(devicefarmtest.Match{Times: tc.n}, emptyPage)
			}
			p := devicefarm.NewListTestGridSessionsPaginator(s.Client(), &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn},
				func(o *devicefarm.ListTestGridSessionsPaginatorOptions) { o.Limit = 5 })
			var got []devicefarm.TestGridSession
			for ss, err := range p.Sessions(ctx) {
				require.NoError(t, err)
				got = append(got, ss)
				if len(got) == tc.after {
					s.Inject(devicefarmtest.Match{Times: tc.n}, emptyPage)
				}
			}
			assert.Equal(t, s.Sessions(projectArn), got)
			assert.Empty(t, s.PendingFaults())

			reqs := s.Requests()
			require.Len(t, reqs, 5+tc.n, "5 pages and the empty ones")
			first := (tc.after + 4) / 5 // index of the first faulted call
			toks := requestTokens(t, s)
			seen := map[string]bool{}
			for i, r := range reqs {
				assert.Equal(t, http.StatusOK, r.StatusCode)
				faulted := i >= first && i < first+tc.n
				if assert.Equal(t, faulted, r.Fault != nil, "request %d", i) && faulted {
					assert.Equal(t, devicefarmtest.FaultEmptyPage, r.Fault.Kind)
					assert.NotEqual(t, toks[i], toks[i+1], "the empty page's token differs from the request's")
				}
				assert.False(t, seen[toks[i]], "request %d reuses a token", i)
				seen[toks[i]] = true
			}
		})
	}
}

// TestFaultEmptyPageResumes checks, raw, that the token of an empty page
// resumes where the faulted call started, under the same filters only.
func TestFaultEmptyPageResumes(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Seed(projectArn, 23, 1)
	const status = `"status":"CLOSED"`

	p1 := callPage(t, s, listBody("", status))
	require.NotEmpty(t, p1.NextToken)
	p2 := callPage(t, s, listBody(p1.NextToken, status))
	require.NotEmpty(t, p2.NextToken)

	for _, tc := range []struct {
		name  string
		token string
		want  page
	}{
		{"first page", "", p1},
		{"second page", p1.NextToken, p2},
	} {
		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultEmptyPage, Status: 503}) // Status is ignored
		e := callPage(t, s, listBody(tc.token, status))
		assert.Empty(t, e.Sessions, tc.name)
		require.NotEmpty(t, e.NextToken, tc.name)
		assert.NotEqual(t, tc.token, e.NextToken, tc.name)
		assert.NotEqual(t, tc.want.NextToken, e.NextToken, tc.name)

		// Following it gives the page the call would have had, with the page
		// size of the follow-up.
		got := callPage(t, s, listBody(e.NextToken, status))
		assert.Equal(t, tc.want.Sessions, got.Sessions, tc.name)
		r := call(t, s, `{"projectArn":"`+projectArn+`","maxResult":2,"nextToken":"`+e.NextToken+`",`+status+`}`)
		require.Equal(t, http.StatusOK, r.Status)

		// It is bound to the query like any token.
		r = call(t, s, listBody(e.NextToken))
		requireError(t, r, http.StatusBadRequest, devicefarm.CodeArgumentException, "issued for a different projectArn, status or time filter")
	}

	// An empty page at the end of the listing leads to the normal last page.
	last := callPage(t, s, `{"projectArn":"`+projectArn+`","maxResult":1000,"nextToken":"`+p2.NextToken+`",`+status+`}`)
	require.Empty(t, last.NextToken)
	s.Inject(devicefarmtest.Match{}, emptyPage)
	e := callPage(t, s, `{"projectArn":"`+projectArn+`","maxResult":1000,"nextToken":"`+p2.NextToken+`",`+status+`}`)
	assert.Empty(t, e.Sessions)
	require.NotEmpty(t, e.NextToken)
	got := callPage(t, s, `{"projectArn":"`+projectArn+`","maxResult":1000,"nextToken":"`+e.NextToken+`",`+status+`}`)
	assert.Equal(t, last, got)

	// An empty project: one empty page with a token, then the empty result.
	const empty = `{"projectArn":"` + projectArn2 + `"}`
	s.AddProject(devicefarmtest.Project{Arn: projectArn2})
	s.Inject(devicefarmtest.Match{}, emptyPage)
	e = callPage(t, s, empty)
	require.NotEmpty(t, e.NextToken)
	got = callPage(t, s, `{"projectArn":"`+projectArn2+`","nextToken":"`+e.NextToken+`"}`)
	assert.Equal(t, page{Sessions: []json.RawMessage{}}, got)
}

// TestPaginationFaultsKeepErrors checks that a call that fails its input,
// nextToken or project checks gets its normal error under FaultEmptyPage
// and FaultRepeatToken, and still consumes the fault.
func TestPaginationFaultsKeepErrors(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Seed(projectArn, 10, 1)
	tok := callPage(t, s, listBody("")).NextToken
	require.NotEmpty(t, tok)
	for _, kind := range []devicefarmtest.FaultKind{devicefarmtest.FaultEmptyPage, devicefarmtest.FaultRepeatToken} {
		for _, tc := range []struct {
			name string
			body string
			code string
			msg  string
		}{
			{"serialization", `{"projectArn":1}`, "SerializationException", "'projectArn' must be a JSON string"},
			{"validation", `{"projectArn":"` + projectArn + `","maxResult":0}`, devicefarm.CodeArgumentException, "'maxResult'"},
			{"unknown project", `{"projectArn":"` + projectArn2 + `"}`, devicefarm.CodeNotFoundException, "was not found"},
			{"bad token", listBody(tok[:len(tok)-4] + "AAAA"), devicefarm.CodeArgumentException, "Invalid nextToken"},
			{"token for another query", listBody(tok, `"status":"ACTIVE"`), devicefarm.CodeArgumentException, "issued for a different"},
		} {
			t.Run(kind.String()+"/"+tc.name, func(t *testing.T) {
				s.ResetRequests()
				s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: kind})
				r := call(t, s, tc.body)
				requireError(t, r, http.StatusBadRequest, tc.code, tc.msg)
				assert.Empty(t, s.PendingFaults())
				reqs := s.Requests()
				require.Len(t, reqs, 1)
				require.NotNil(t, reqs[0].Fault)
				assert.Equal(t, kind, reqs[0].Fault.Kind)
				assert.Equal(t, tc.code, reqs[0].ErrorCode)
			})
		}
	}
}

func TestFaultRepeatToken(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Seed(projectArn, 23, 1)
	all := s.Sessions(projectArn)
	in := &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}
	limit := func(o *devicefarm.ListTestGridSessionsPaginatorOptions) { o.Limit = 5 }

	t.Run("second page", func(t *testing.T) {
		p := devicefarm.NewListTestGridSessionsPaginator(s.Client(), in, limit)
		p1, err := p.NextPage(ctx)
		require.NoError(t, err)
		require.NotEmpty(t, p1.NextToken)

		s.Inject(devicefarmtest.Match{}, repeatToken)
		p2, err := p.NextPage(ctx)
		require.NoError(t, err, "the repeating page is returned as a page")
		assert.Equal(t, all[5:10], p2.TestGridSessions)
		assert.Equal(t, p1.NextToken, p2.NextToken, "byte-identical")
		assert.Empty(t, s.PendingFaults())

		sent := len(s.Requests())
		_, err = p.NextPage(ctx)
		require.ErrorIs(t, err, devicefarm.ErrRepeatedNextToken)
		var re *devicefarm.RepeatedNextTokenError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, 2, re.Page)
		assert.Len(t, s.Requests(), sent, "the error comes without a request")
		assert.False(t, p.HasMorePages())
	})

	t.Run("first page is normal", func(t *testing.T) {
		s.Inject(devicefarmtest.Match{}, repeatToken)
		p := devicefarm.NewListTestGridSessionsPaginator(s.Client(), in, limit)
		var got []devicefarm.TestGridSession
		for ss, err := range p.Sessions(ctx) {
			require.NoError(t, err)
			got = append(got, ss)
		}
		assert.Equal(t, all, got)
		assert.Empty(t, s.PendingFaults(), "consumed by the first call")
	})

	t.Run("raw, last page and Status ignored", func(t *testing.T) {
		p1 := callPage(t, s, listBody(""))
		s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultRepeatToken, Status: 500})
		rep := callPage(t, s, listBody(p1.NextToken))
		want := callPage(t, s, listBody(p1.NextToken))
		assert.Equal(t, want.Sessions, rep.Sessions)
		assert.Equal(t, p1.NextToken, rep.NextToken)

		// On the last page too, the request's token comes back.
		body := `{"projectArn":"` + projectArn + `","nextToken":"` + p1.NextToken + `"}`
		require.Empty(t, callPage(t, s, body).NextToken)
		s.Inject(devicefarmtest.Match{}, repeatToken)
		rep = callPage(t, s, body)
		assert.Len(t, rep.Sessions, 18)
		assert.Equal(t, p1.NextToken, rep.NextToken)
	})
}
