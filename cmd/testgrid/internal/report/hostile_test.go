package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
)

// Bidi overrides and control characters in the service's strings are
// escaped in the report, so that they cannot reorder the page (issue 20,
// row 7), and long unbroken values wrap inside their own cell or card
// (rows 5 and 6).
func TestReportHostileText(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("9", 100)
	s := &stats.Summary{
		Project:   "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:p",
		Generated: time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC),
		Loc:       time.UTC,
		Sessions:  1,
		Statuses:  []stats.StatusRow{{Status: "\u202eevil\x1b[2J", Sessions: 1, Share: 1}},
		Browsers:  []stats.MixRow{{Name: "chrome\u202eexe.\a", Version: long, Sessions: 1}},
		Platforms: []stats.MixRow{{Name: "linux\u2066x\u009b", Sessions: 1}},
	}
	var b bytes.Buffer
	require.NoError(t, WriteHTML(&b, s))
	page := b.String()
	for _, r := range []string{"\u202e", "\u2066", "\x1b", "\a", "\u009b"} {
		assert.NotContains(t, page, r, "%q", r)
	}
	assert.Contains(t, page, `\u202eevil\x1b[2J`)
	assert.Contains(t, page, `chrome\u202eexe.\x07`)
	assert.Contains(t, page, `linux\u2066x\u009b`)
	assert.Contains(t, page, `<td class="text">`+long+`</td>`)
	assert.Contains(t, reportCSS, "td.text{font-weight:400;overflow-wrap:anywhere;unicode-bidi:isolate}", "a long version wraps in its cell")
	assert.Contains(t, reportCSS, ".kpis dd{overflow-wrap:anywhere;", "a long value wraps in its card")
}
