package summary

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// Billing minutes that add up past a float64 and durations past a
// time.Duration are reported as out of range, with a note, in every
// format: valid JSON, exit 0, never an empty stdout (issue 20, rows 4
// and 5).
func TestSummaryOutOfRangeNumbers(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	at := time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC)
	prefix := strings.Replace(testProject, "testgrid-project", "testgrid-session", 1) + "/"
	srv.AddSessions(testProject,
		devicefarm.TestGridSession{Arn: prefix + "a", Status: devicefarm.TestGridSessionStatusClosed, Created: at, Ended: at.Add(time.Minute), BillingMinutes: 1e308},
		devicefarm.TestGridSession{Arn: prefix + "b", Status: devicefarm.TestGridSessionStatusClosed, Created: at.Add(time.Second), Ended: at.Add(time.Minute), BillingMinutes: 1e308},
		devicefarm.TestGridSession{Arn: prefix + "c", Status: devicefarm.TestGridSessionStatusClosed, Created: time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC), Ended: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), BillingMinutes: 1},
	)
	const minutesNote = "billing minutes add up past the largest number"
	const durationNote = "1 session lasted longer than a duration can hold"
	for _, format := range []string{"json", "csv", "table", "html"} {
		r := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", format)...)
		require.Equal(t, cmdutil.ExitOK, r.code, "%s: %s", format, r.stderr)
		require.NotEmpty(t, r.stdout, format)
		assert.Contains(t, r.stderr, minutesNote, format)
		assert.Contains(t, r.stdout, minutesNote, format)
		assert.Contains(t, r.stdout, durationNote, format)
		assert.NotContains(t, r.stdout, "2562047h", "%s: no silently capped duration", format)
		assert.NotContains(t, r.stdout, "Inf", format)
		if format == "json" {
			require.True(t, json.Valid([]byte(r.stdout)))
			var doc struct {
				Totals struct {
					BillingMinutes *float64 `json:"billingMinutes"`
					Durations      struct {
						Ended int `json:"ended"`
					} `json:"durations"`
				} `json:"totals"`
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
			assert.Nil(t, doc.Totals.BillingMinutes, "null, not a capped number")
		} else {
			assert.Contains(t, r.stdout, "out of range", format)
		}
	}
}
