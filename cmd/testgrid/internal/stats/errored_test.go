package stats

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// TestErroredListOrderIndependent: whatever the order sessions arrive in,
// the list holds the newest errored sessions, newest first, capped, with
// the total; undated sessions come last.
func TestErroredListOrderIndependent(t *testing.T) {
	t.Parallel()
	sessions := devicefarmtest.GenerateSessions(testProject, 3000, 5, testNow)
	undated := closedSession("undated", time.Time{}, time.Time{})
	undated.Status = devicefarm.TestGridSessionStatusErrored
	sessions = append(sessions, undated)
	var want []string
	for i := len(sessions) - 2; i >= 0; i-- { // listing order is oldest first
		if sessions[i].Status == devicefarm.TestGridSessionStatusErrored {
			want = append(want, sessions[i].Arn)
		}
	}
	want = append(want, undated.Arn)
	require.Greater(t, len(want), 50)

	for _, limit := range []int{0, 1, 20, len(want), len(want) + 5} {
		shuffled := slices.Clone(sessions)
		rand.New(rand.NewPCG(uint64(limit), 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		a := NewAggregator(testNow, time.UTC)
		a.ListErrored(limit)
		require.NoError(t, a.WritePage(shuffled))
		got := a.Summary().Errored
		assert.Equal(t, len(want), got.Total)
		var arns []string
		for _, e := range got.Sessions {
			arns = append(arns, e.Arn)
		}
		n := min(limit, len(want))
		assert.Equal(t, want[:n], append([]string{}, arns...)[:n], "limit %d", limit)
		assert.Len(t, got.Sessions, n)
		assert.Equal(t, len(want)-n, got.More())
	}
}

func TestErroredSessionText(t *testing.T) {
	t.Parallel()
	e := ErroredSession{Created: at(-time.Hour), Ended: at(-time.Hour + 90*time.Second), Duration: 90 * time.Second, Browser: "chrome", Version: "122.0"}
	assert.Equal(t, "2025-03-10 11:00:00 UTC", e.CreatedText())
	assert.Equal(t, "1m30s", e.DurationText())
	assert.Equal(t, "chrome 122.0", e.BrowserText())
	assert.Equal(t, "-", ErroredSession{}.CreatedText())
	assert.Equal(t, "-", ErroredSession{Created: at(0)}.DurationText())
	assert.Equal(t, "firefox", ErroredSession{Browser: "firefox"}.BrowserText())
}
