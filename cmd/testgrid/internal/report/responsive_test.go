package report

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// TestReportBothLayouts: every chart is drawn in the wide and the narrow
// layout, and the page's element IDs stay unique.
func TestReportBothLayouts(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	agg := stats.NewAggregator(now, time.UTC)
	require.NoError(t, agg.WritePage(devicefarmtest.GenerateSessions("arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:p", 300, 1, now)))
	s := agg.Summary()
	s.Project = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:p"
	var b bytes.Buffer
	require.NoError(t, WriteHTML(&b, s))
	page := b.String()

	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		assert.False(t, seen[m[1]], "id %q is used twice", m[1])
		seen[m[1]] = true
	}
	for _, id := range []string{"chart-days", "chart-minutes", "chart-concurrency", "chart-browsers", "chart-platforms"} {
		assert.True(t, seen[id], id)
		assert.True(t, seen[id+"-narrow"], id+"-narrow")
	}
	assert.Equal(t, 5, bytes.Count(b.Bytes(), []byte(`<div class="chart-wide">`)))
	assert.Equal(t, 5, bytes.Count(b.Bytes(), []byte(`<div class="chart-narrow">`)))
	assert.Contains(t, page, `viewBox="0 0 380 `)
	assert.Contains(t, page, `id="errored-table"`)
}
