package sessions

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/awsclient"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

func TestDemo(t *testing.T) {
	t.Parallel()
	e := cmdutil.Env{Now: func() time.Time { return testNow }}
	want := devicefarmtest.GenerateSessions(awsclient.DemoProject, awsclient.DemoSessions, awsclient.DemoSeed, testNow)

	r := runTestgrid(t.Context(), e, "sessions", "--demo", "--output", "ndjson")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Equal(t, ids(want), ndjsonIDs(t, r.stdout))
	assert.Contains(t, requireOneErrorLine(t, r), "demo")

	// Relative filters find recent sessions, since the data ends now.
	r = runTestgrid(t.Context(), e, "sessions", "--demo", "--output", "ndjson", "--created-after", "3d", "--status", "closed")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	got := decodeNDJSON(t, r.stdout)
	assert.NotEmpty(t, got)
	assert.Less(t, len(got), awsclient.DemoSessions)
	for _, s := range got {
		assert.True(t, s.Created.After(testNow.Add(-3*24*time.Hour)), s.Arn)
		assert.Equal(t, "CLOSED", s.Status)
	}

	// The table.
	r = runTestgrid(t.Context(), e, "sessions", "--demo")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	l := lines(r.stdout)
	require.Len(t, l, awsclient.DemoSessions+2)
	assert.True(t, strings.HasPrefix(l[len(l)-1], "250 sessions, "), l[len(l)-1])

	// Another project does not exist in the demo.
	r = runTestgrid(t.Context(), e, "sessions", "--demo", "--project", testProject)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Empty(t, r.stdout)
	l = lines(r.stderr)
	require.Len(t, l, 2, r.stderr)
	assert.Contains(t, l[1], "testgrid: NotFoundException: ")
}
