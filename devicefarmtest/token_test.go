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

// TestNextTokenRefused checks that a token is refused when it was not
// issued as it is, by this server (a restarted one has another key), for
// this project and these filters.
func TestNextTokenRefused(t *testing.T) {
	s := newServer(t)
	s.Seed(projectArn, 40, 1)
	s.Seed(projectArn2, 40, 1)
	c := s.Client()
	base := devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}
	tok := firstPage(t, c, base).NextToken

	restarted := newServer(t) // the same data, another key
	restarted.Seed(projectArn, 40, 1)
	otherTok := firstPage(t, restarted.Client(), base).NextToken
	restarted.Close()

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

// TestNextTokenAccepted checks that a token may be used again and with
// another page size, and that each call issues a new token string for the
// same position.
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
	var next [2]*devicefarm.ListTestGridSessionsOutput
	for i, tok := range []string{a.NextToken, b.NextToken} {
		next[i], err = c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, Status: closed, CreationTimeAfter: in.CreationTimeAfter, NextToken: tok, MaxResult: 1})
		require.NoError(t, err)
		require.Len(t, next[i].TestGridSessions, 1)
		assert.NotContains(t, a.TestGridSessions, next[i].TestGridSessions[0])
	}
	assert.Equal(t, next[0].TestGridSessions, next[1].TestGridSessions, "both resume at the same position")
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

// TestNextTokenAfterClearProjects checks that a token resumes after
// ClearProjects only if its project and session come back.
func TestNextTokenAfterClearProjects(t *testing.T) {
	s := newServer(t)
	seeded := s.Seed(projectArn, 10, 1)
	c := s.Client()
	in := devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}
	in.NextToken = firstPage(t, c, in).NextToken

	s.ClearProjects()
	s.Seed(projectArn, 10, 2) // other sessions
	_, err := c.ListTestGridSessions(ctx, &in)
	var ae *devicefarm.ArgumentException
	require.ErrorAs(t, err, &ae)
	assert.Contains(t, ae.Message, "Invalid nextToken: its position is unknown.")

	s.AddSessions(projectArn, seeded...)
	out, err := c.ListTestGridSessions(ctx, &in)
	require.NoError(t, err)
	assert.NotEmpty(t, out.TestGridSessions)
}
