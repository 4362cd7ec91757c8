package devicefarmtest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
)

// firstPage returns the first page of in with page size 5.
func firstPage(t *testing.T, c *devicefarm.Client, in devicefarm.ListTestGridSessionsInput) *devicefarm.ListTestGridSessionsOutput {
	t.Helper()
	in.MaxResult = 5
	out, err := c.ListTestGridSessions(ctx, &in)
	require.NoError(t, err)
	require.NotEmpty(t, out.NextToken)
	return out
}

func TestNextTokenRefused(t *testing.T) {
	s := newServer(t)
	s.Seed(projectArn, 40, 1)
	s.Seed(projectArn2, 40, 1)
	c := s.Client()
	base := devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}
	tok := firstPage(t, c, base).NextToken

	other := newServer(t)
	other.Seed(projectArn, 40, 1)
	otherTok := firstPage(t, other.Client(), base).NextToken

	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	const invalid = "Invalid nextToken: it was not issued by this service"
	const different = "it was issued for a different projectArn, status or time filter"
	for _, tc := range []struct {
		name string
		in   devicefarm.ListTestGridSessionsInput
		msg  string
	}{
		{"forged", devicefarm.ListTestGridSessionsInput{NextToken: strings.Repeat("A", len(tok))}, invalid},
		{"line break", devicefarm.ListTestGridSessionsInput{NextToken: tok[:8] + "\n" + tok[8:]}, invalid},
		{"not base64", devicefarm.ListTestGridSessionsInput{NextToken: "!!!!not a token!!!!"}, invalid},
		{"modified", devicefarm.ListTestGridSessionsInput{NextToken: flip(tok, len(tok)/2)}, invalid},
		{"modified mac", devicefarm.ListTestGridSessionsInput{NextToken: flip(tok, len(tok)-2)}, invalid},
		{"truncated", devicefarm.ListTestGridSessionsInput{NextToken: tok[:len(tok)-4]}, invalid},
		{"extended", devicefarm.ListTestGridSessionsInput{NextToken: tok + "AAAA"}, invalid},
		{"other server", devicefarm.ListTestGridSessionsInput{NextToken: otherTok}, invalid},
		{"other status", devicefarm.ListTestGridSessionsInput{NextToken: tok, Status: closed}, different},
		{"other creation bound", devicefarm.ListTestGridSessionsInput{NextToken: tok, CreationTimeAfter: epoch.Add(-time.Hour)}, different},
		{"other end bound", devicefarm.ListTestGridSessionsInput{NextToken: tok, EndTimeBefore: epoch}, different},
		{"other project", devicefarm.ListTestGridSessionsInput{NextToken: tok, ProjectArn: projectArn2}, different},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			if in.ProjectArn == "" {
				in.ProjectArn = projectArn
			}
			_, err := c.ListTestGridSessions(ctx, &in)
			var ae *devicefarm.ArgumentException
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
			assert.Contains(t, ae.Message, tc.msg)
			assert.Equal(t, 1, attempts(t, s))
		})
	}
}

func TestNextTokenSurvivesServerRestartOnlyAsError(t *testing.T) {
	s := newServer(t)
	s.Seed(projectArn, 20, 1)
	tok := firstPage(t, s.Client(), devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}).NextToken
	s.Close()

	restarted := newServer(t)
	restarted.Seed(projectArn, 20, 1)
	_, err := restarted.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, NextToken: tok})
	var ae *devicefarm.ArgumentException
	require.ErrorAs(t, err, &ae, "a stale token from a previous server is refused")
}

func TestNextTokenAccepted(t *testing.T) {
	s := newServer(t)
	seeded := s.Seed(projectArn, 40, 1)
	c := s.Client()
	in := devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, Status: closed, CreationTimeAfter: epoch.Add(-20 * 24 * time.Hour)}
	p1 := firstPage(t, c, in)

	// The same token may be used again, and with another page size. Each
	// call issues a new token string, for the same position.
	in.NextToken = p1.NextToken
	in.MaxResult = 2
	a, err := c.ListTestGridSessions(ctx, &in)
	require.NoError(t, err)
	b, err := c.ListTestGridSessions(ctx, &in)
	require.NoError(t, err)
	assert.Equal(t, a.TestGridSessions, b.TestGridSessions)
	require.NotEmpty(t, a.NextToken)
	assert.NotEqual(t, a.NextToken, b.NextToken)
	for _, tok := range []string{a.NextToken, b.NextToken} {
		next, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, Status: closed, CreationTimeAfter: in.CreationTimeAfter, NextToken: tok, MaxResult: 1})
		require.NoError(t, err)
		require.Len(t, next.TestGridSessions, 1)
		assert.NotContains(t, a.TestGridSessions, next.TestGridSessions[0])
	}
	in.MaxResult = 1000
	all, err := c.ListTestGridSessions(ctx, &in)
	require.NoError(t, err)
	assert.Empty(t, all.NextToken)

	var want []devicefarm.TestGridSession
	for _, ss := range seeded {
		if ss.Status == closed && ss.Created.After(in.CreationTimeAfter) {
			want = append(want, ss)
		}
	}
	assert.Equal(t, want, append(p1.TestGridSessions, all.TestGridSessions...))
	assert.LessOrEqual(t, len(p1.NextToken), 1024)
}

// TestPagingStableWhileAdding adds sessions between pages: sessions after
// the position appear later, sessions before it never do, and nothing is
// repeated.
func TestPagingStableWhileAdding(t *testing.T) {
	s := newServer(t)
	s.AddSessions(projectArn,
		session("s1", closed, epoch, epoch.Add(time.Minute)),
		session("s3", closed, epoch.Add(2*time.Second), epoch.Add(time.Minute)),
		session("s5", closed, epoch.Add(4*time.Second), epoch.Add(time.Minute)),
		session("s7", closed, epoch.Add(6*time.Second), epoch.Add(time.Minute)),
	)
	c := s.Client()
	in := devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, MaxResult: 2}
	p1, err := c.ListTestGridSessions(ctx, &in)
	require.NoError(t, err)
	require.Equal(t, []string{"s1", "s3"}, ids(p1.TestGridSessions))

	s.AddSessions(projectArn,
		session("s0", closed, epoch.Add(-time.Second), epoch.Add(time.Minute)),   // before the position
		session("s2", closed, epoch.Add(time.Second), epoch.Add(time.Minute)),    // before the position
		session("s3a", closed, epoch.Add(2*time.Second), epoch.Add(time.Minute)), // same Created, later ARN
		session("s6", closed, epoch.Add(5*time.Second), epoch.Add(time.Minute)),
	)
	in.NextToken = p1.NextToken
	var rest []string
	for {
		out, err := c.ListTestGridSessions(ctx, &in)
		require.NoError(t, err)
		rest = append(rest, ids(out.TestGridSessions)...)
		if out.NextToken == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	assert.Equal(t, []string{"s3a", "s5", "s6", "s7"}, rest)
}

func TestNextTokenLengthRule(t *testing.T) {
	s := newServer(t)
	s.AddProject(projectArn)
	r := call(t, s, `{"projectArn":"`+projectArn+`","nextToken":""}`)
	requireError(t, r, http.StatusBadRequest, devicefarm.CodeArgumentException, "'nextToken'", "length greater than or equal to 4")
	r = call(t, s, `{"projectArn":"`+projectArn+`","nextToken":"`+strings.Repeat("A", 1025)+`"}`)
	requireError(t, r, http.StatusBadRequest, devicefarm.CodeArgumentException, "'nextToken'", "length less than or equal to 1024")
	r = call(t, s, `{"projectArn":"`+projectArn+`","nextToken":"`+strings.Repeat("A", 1024)+`"}`)
	requireError(t, r, http.StatusBadRequest, devicefarm.CodeArgumentException, "Invalid nextToken")
}
