package devicefarmtest_test

import (
	"encoding/json"
	"math"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

func TestFilters(t *testing.T) {
	s := newServer(t)
	filterFixture(s)
	c := s.Client()
	t0 := epoch
	ms := time.Millisecond
	for _, tc := range []struct {
		name string
		in   devicefarm.ListTestGridSessionsInput
		want string
	}{
		{"none", devicefarm.ListTestGridSessionsInput{}, "abcde"},
		{"created after is exclusive", devicefarm.ListTestGridSessionsInput{CreationTimeAfter: t0}, "bcde"},
		{"created after just before", devicefarm.ListTestGridSessionsInput{CreationTimeAfter: t0.Add(-ms)}, "abcde"},
		{"created after sub-millisecond is truncated", devicefarm.ListTestGridSessionsInput{CreationTimeAfter: t0.Add(999 * time.Microsecond)}, "bcde"},
		{"created after tie", devicefarm.ListTestGridSessionsInput{CreationTimeAfter: t0.Add(time.Second)}, "de"},
		{"created before is exclusive", devicefarm.ListTestGridSessionsInput{CreationTimeBefore: t0.Add(time.Second)}, "a"},
		{"created before just after", devicefarm.ListTestGridSessionsInput{CreationTimeBefore: t0.Add(time.Second + ms)}, "abc"},
		{"created window", devicefarm.ListTestGridSessionsInput{CreationTimeAfter: t0.Add(time.Second), CreationTimeBefore: t0.Add(3 * time.Second)}, "d"},
		{"created empty window", devicefarm.ListTestGridSessionsInput{CreationTimeAfter: t0.Add(time.Hour), CreationTimeBefore: t0}, ""},
		{"ended after is exclusive and skips active", devicefarm.ListTestGridSessionsInput{EndTimeAfter: t0.Add(10 * time.Second)}, "cde"},
		{"ended after millisecond", devicefarm.ListTestGridSessionsInput{EndTimeAfter: t0.Add(30 * time.Second)}, "de"},
		{"ended after exact millisecond", devicefarm.ListTestGridSessionsInput{EndTimeAfter: t0.Add(30001 * ms)}, "e"},
		{"ended before is exclusive", devicefarm.ListTestGridSessionsInput{EndTimeBefore: t0.Add(20 * time.Second)}, "a"},
		{"ended before just after", devicefarm.ListTestGridSessionsInput{EndTimeBefore: t0.Add(20*time.Second + ms)}, "ac"},
		{"ended before skips active", devicefarm.ListTestGridSessionsInput{EndTimeBefore: t0.Add(24 * time.Hour)}, "acde"},
		{"status active", devicefarm.ListTestGridSessionsInput{Status: active}, "b"},
		{"status closed", devicefarm.ListTestGridSessionsInput{Status: closed}, "ade"},
		{"status errored", devicefarm.ListTestGridSessionsInput{Status: errored}, "c"},
		{"status and bound", devicefarm.ListTestGridSessionsInput{Status: closed, EndTimeAfter: t0.Add(10 * time.Second)}, "de"},
		{"nothing before", devicefarm.ListTestGridSessionsInput{CreationTimeBefore: t0}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.ProjectArn = projectArn
			out, err := c.ListTestGridSessions(ctx, &in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, strings.Join(ids(out.TestGridSessions), ""))
			assert.Empty(t, out.NextToken)
			// The same through pages of one.
			assert.Equal(t, tc.want, strings.Join(ids(flatten(walk(t, c, in, 1))), ""))
		})
	}
}

// TestTimestampPrecision sends timestamps the client would not produce.
func TestTimestampPrecision(t *testing.T) {
	s := newServer(t)
	s.AddSessions(projectArn, session("x", closed, time.UnixMilli(1709294400123), time.UnixMilli(1709294500000)))
	count := func(member, value string) int {
		r := call(t, s, `{"projectArn":"`+projectArn+`","`+member+`":`+value+`}`)
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
		var out struct{ TestGridSessions []json.RawMessage }
		require.NoError(t, json.Unmarshal(r.Body, &out))
		return len(out.TestGridSessions)
	}
	assert.Equal(t, 0, count("creationTimeAfter", "1709294400.1239"), "truncated to .123, equal, excluded")
	assert.Equal(t, 1, count("creationTimeAfter", "1709294400.1229"))
	assert.Equal(t, 1, count("creationTimeAfter", "1.7092944001229e9"))
	assert.Equal(t, 0, count("creationTimeAfter", "1.709294400123e9"))
	assert.Equal(t, 1, count("creationTimeAfter", "1709294400"))
	assert.Equal(t, 1, count("creationTimeAfter", "-1"))
	assert.Equal(t, 1, count("creationTimeBefore", "1709294400.124"))
	assert.Equal(t, 0, count("creationTimeBefore", "1709294400.1239"))
	assert.Equal(t, 0, count("endTimeBefore", "1709294500"))
	assert.Equal(t, 1, count("endTimeBefore", "1709294500.001"))
	assert.Equal(t, 1, count("endTimeAfter", "null"), "null is absent")
}

func TestOrderingAndResponseFormat(t *testing.T) {
	s := newServer(t)
	filterFixture(s)
	r := call(t, s, `{"projectArn":"`+projectArn+`","maxResult":3}`)
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, jsonType, r.Header.Get("Content-Type"))
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, r.Header.Get("X-Amzn-RequestId"))
	assert.Empty(t, r.Header.Get("X-Amzn-ErrorType"))

	prefix := "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/"
	want := `{"testGridSessions":[` +
		`{"arn":"` + prefix + `a","status":"CLOSED","created":1709294400,"ended":1709294410,"billingMinutes":0.16666666666666666,"seleniumProperties":"{\"browserName\":\"chrome\"}"},` +
		`{"arn":"` + prefix + `b","status":"ACTIVE","created":1709294401,"billingMinutes":0,"seleniumProperties":"{\"browserName\":\"chrome\"}"},` +
		`{"arn":"` + prefix + `c","status":"ERRORED","created":1709294401,"ended":1709294420,"billingMinutes":0.31666666666666665,"seleniumProperties":"{\"browserName\":\"chrome\"}"}` +
		`],"nextToken":"`
	require.True(t, strings.HasPrefix(string(r.Body), want), "body %s", r.Body)
	assert.Regexp(t, `"nextToken":"[A-Za-z0-9_-]{4,}"}$`, string(r.Body))

	r = call(t, s, `{"projectArn":"`+projectArn+`","creationTimeAfter":1709294401}`)
	require.Equal(t, http.StatusOK, r.Status)
	assert.Contains(t, string(r.Body), `"created":1709294402.5,"ended":1709294430.001,`)
	assert.NotContains(t, string(r.Body), "nextToken")
	assert.NotRegexp(t, `"(created|ended|billingMinutes)":[0-9.]*[eE]`, string(r.Body), "no exponents")
}

// TestProjects checks a project without sessions, an unknown project,
// Projects and ClearProjects.
func TestProjects(t *testing.T) {
	s := newServer(t)
	assert.Empty(t, s.Projects())
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	r := call(t, s, `{"projectArn":"`+projectArn+`"}`)
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, `{"testGridSessions":[]}`, string(r.Body), "an empty project")

	_, err := s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn2})
	var nf *devicefarm.NotFoundException
	require.ErrorAs(t, err, &nf)
	assert.Equal(t, http.StatusBadRequest, nf.StatusCode)
	assert.Contains(t, nf.Message, projectArn2)
	assert.Equal(t, 1, attempts(t, s), "not retried")

	s.Seed(projectArn2, 4, 1)
	created := epoch.Add(-30 * 24 * time.Hour) // the default: before every seeded session
	assert.Equal(t, []devicefarmtest.Project{
		{Arn: projectArn2, Name: "0f0e0d0c-0b0a-4908-8706-050403020100", Created: created, Sessions: 4},
		{Arn: projectArn, Name: "8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11", Created: created, Sessions: 0},
	}, s.Projects(), "sorted by Created, then Arn")
	s.ClearProjects()
	assert.Empty(t, s.Projects())
	assert.Nil(t, s.Sessions(projectArn2))
	_, err = s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn2})
	require.ErrorAs(t, err, &nf)
}

// TestPagingDefaultPageSize checks the page size of a request without
// maxResult: DefaultPageSize, or Options.DefaultPageSize.
func TestPagingDefaultPageSize(t *testing.T) {
	s := newServer(t)
	seeded := s.Seed(projectArn, 120, 1)
	c := s.Client()

	out, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err)
	assert.Len(t, out.TestGridSessions, devicefarmtest.DefaultPageSize)
	assert.NotEmpty(t, out.NextToken)

	pages := walk(t, c, devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}, 0)
	sizes := make([]int, len(pages))
	for i, p := range pages {
		sizes[i] = len(p)
	}
	assert.Equal(t, []int{50, 50, 20}, sizes)
	assert.Equal(t, seeded, flatten(pages), "every session exactly once, in order")
	assert.Equal(t, s.Sessions(projectArn), flatten(pages))

	s7 := newServer(t, func(o *devicefarmtest.Options) { o.DefaultPageSize = 7 })
	s7.Seed(projectArn, 20, 1)
	out, err = s7.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err)
	assert.Len(t, out.TestGridSessions, 7)
	assert.Equal(t, 7, s7.Options().DefaultPageSize)
}

func TestPagingExplicitPageSize(t *testing.T) {
	s := newServer(t)
	seeded := s.Seed(projectArn, 120, 2)
	c := s.Client()
	for _, limit := range []int32{1, 7, 60, 119, 120, 1000} {
		pages := walk(t, c, devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}, limit)
		assert.Len(t, pages, (120+int(limit)-1)/int(limit), "limit %d", limit)
		for _, p := range pages {
			assert.LessOrEqual(t, len(p), int(limit))
		}
		all := flatten(pages)
		require.Equal(t, seeded, all, "limit %d", limit)
	}

	// Filtered paging returns the filtered subsequence.
	var closedOnes []devicefarm.TestGridSession
	for _, ss := range seeded {
		if ss.Status == closed {
			closedOnes = append(closedOnes, ss)
		}
	}
	got := flatten(walk(t, c, devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, Status: closed}, 9))
	assert.Equal(t, closedOnes, got)

	// An exactly full last page has no nextToken.
	in := devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, MaxResult: 60}
	p1, err := c.ListTestGridSessions(ctx, &in)
	require.NoError(t, err)
	require.NotEmpty(t, p1.NextToken)
	in.NextToken = p1.NextToken
	p2, err := c.ListTestGridSessions(ctx, &in)
	require.NoError(t, err)
	assert.Len(t, p2.TestGridSessions, 60)
	assert.Empty(t, p2.NextToken)
}

func TestAddSessionsReplacesAndNormalizes(t *testing.T) {
	s := newServer(t)
	loc := time.FixedZone("X", 3600)
	created := time.Date(2024, 3, 1, 13, 0, 0, 123456789, loc)
	s.AddSessions(projectArn, session("a", active, created, time.Time{}))
	s.AddSessions(projectArn, session("a", closed, created, created.Add(time.Minute)))
	s.AddSessions(projectArn, devicefarm.TestGridSession{Status: active, Created: created.Add(time.Hour)})

	got := s.Sessions(projectArn)
	require.Len(t, got, 2)
	assert.Equal(t, closed, got[0].Status, "replaced by ARN")
	assert.Equal(t, time.UnixMilli(1709294400123).UTC(), got[0].Created, "UTC, truncated to ms")
	assert.Equal(t, time.UTC, got[0].Created.Location())
	assert.Regexp(t, regexp.MustCompile(`^arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/[0-9a-f-]{36}$`), got[1].Arn)
	assert.Nil(t, s.Sessions(projectArn2))

	out, err := s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err)
	assert.Equal(t, got, out.TestGridSessions, "what the client decodes is what was stored")
}

func TestUnusualSessions(t *testing.T) {
	s := newServer(t)
	nan := session("nan", closed, epoch, epoch.Add(time.Minute))
	nan.BillingMinutes = math.NaN()
	inf := session("inf", closed, epoch.Add(time.Second), epoch.Add(time.Minute))
	inf.BillingMinutes = math.Inf(1)
	ninf := session("ninf", closed, epoch.Add(2*time.Second), epoch.Add(time.Minute))
	ninf.BillingMinutes = math.Inf(-1)
	huge := session("huge", closed, epoch.Add(3*time.Second), epoch.Add(time.Minute))
	huge.BillingMinutes = 1e21
	bare := devicefarm.TestGridSession{Arn: projectArn + "/bare"} // no Created, Status or properties
	s.AddSessions(projectArn, nan, inf, ninf, huge, bare)

	r := call(t, s, `{"projectArn":"`+projectArn+`"}`)
	require.Equal(t, http.StatusOK, r.Status)
	body := string(r.Body)
	assert.Contains(t, body, `{"testGridSessions":[{"arn":"`+projectArn+`/bare","status":"","billingMinutes":0},`, "zero Created sorts first and is omitted")
	assert.Contains(t, body, `"billingMinutes":"NaN"`)
	assert.Contains(t, body, `"billingMinutes":"Infinity"`)
	assert.Contains(t, body, `"billingMinutes":"-Infinity"`)
	assert.Contains(t, body, `"billingMinutes":1000000000000000000000,`, "no exponent")

	out, err := s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err)
	require.Len(t, out.TestGridSessions, 5)
	assert.True(t, out.TestGridSessions[0].Created.IsZero())
	assert.True(t, math.IsNaN(out.TestGridSessions[1].BillingMinutes))
	assert.True(t, math.IsInf(out.TestGridSessions[2].BillingMinutes, 1))
	assert.Equal(t, 1e21, out.TestGridSessions[4].BillingMinutes)

	// A created bound skips sessions without Created only on the "after" side.
	out, err = s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, CreationTimeBefore: epoch})
	require.NoError(t, err)
	assert.Equal(t, []string{"bare"}, ids(out.TestGridSessions))

	// Tiny and huge exponents.
	for _, v := range []string{"1e-100", "1e-81", "5e-4"} {
		r := call(t, s, `{"projectArn":"`+projectArn+`","creationTimeBefore":`+v+`}`)
		require.Equal(t, http.StatusOK, r.Status, "%s: %s", v, r.Body)
		assert.Contains(t, string(r.Body), "/bare", v)
		assert.NotContains(t, string(r.Body), "/nan", v)
	}
}
