package summary

import (
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// demoReport runs "testgrid summary --demo --output html" at testNow.
func demoReport(t *testing.T, extra ...string) string {
	t.Helper()
	r := runTestgrid(t.Context(), cmdutil.Env{Now: func() time.Time { return testNow }},
		append([]string{"summary", "--demo", "--output", "html"}, extra...)...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	return r.stdout
}

func TestReportHTMLIsSelfContained(t *testing.T) {
	t.Parallel()
	page := demoReport(t)
	assert.True(t, strings.HasPrefix(page, "<!DOCTYPE html>\n"))
	assert.True(t, strings.HasSuffix(page, "</html>\n"))
	for _, banned := range []string{"http:", "https:", "<script", "<link", "<img", "<iframe", "<object", "src=", "href=", "@import", "url(", "style="} {
		assert.False(t, strings.Contains(page, banned), "nothing to fetch or run: %q", banned)
	}

	// The policy allows the stylesheet by its hash, and nothing else.
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]+)">`).FindStringSubmatch(page)
	require.NotNil(t, csp)
	assert.Contains(t, csp[1], "default-src 'none'")
	styles := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(page, -1)
	require.Len(t, styles, 1)
	sum := sha256.Sum256([]byte(styles[0][1]))
	assert.Contains(t, csp[1], "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'",
		"the hash matches the stylesheet as sent")
	assert.Contains(t, styles[0][1], "@media print")
}

func TestReportHTMLAccessibility(t *testing.T) {
	t.Parallel()
	page := demoReport(t, "--tz", "Europe/Paris")
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		assert.False(t, ids[m[1]], "duplicate id %q", m[1])
		ids[m[1]] = true
	}
	figures := regexp.MustCompile(`(?s)<figure aria-describedby="([^"]+)">(.*?)</figure>`).FindAllStringSubmatch(page, -1)
	assert.Len(t, figures, 5, "days, minutes, concurrency, browsers, platforms")
	for _, f := range figures {
		assert.True(t, ids[f[1]], "figure describedby %q exists", f[1])
		assert.Contains(t, f[2], "<figcaption>")
		svg := regexp.MustCompile(`<svg id="([^"]+)" viewBox="0 0 [\d.]+ [\d.]+" role="img" aria-labelledby="([^"]+) ([^"]+)"`).FindStringSubmatch(f[2])
		require.NotNil(t, svg, f[2][:200])
		assert.Equal(t, svg[1]+"-title", svg[2])
		assert.Equal(t, svg[1]+"-desc", svg[3])
		assert.Contains(t, f[2], `<title id="`+svg[2]+`">`)
		assert.Contains(t, f[2], `<desc id="`+svg[3]+`">`)
	}
	assert.Contains(t, page, `<html lang="en">`)
	assert.Contains(t, page, "times in Europe/Paris")
}

func TestReportHTMLDayBars(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 120, 9)
	e := awsEnv(srv)
	j := runTestgrid(t.Context(), e, summaryArgs(srv, "--output", "json")...)
	require.Equal(t, cmdutil.ExitOK, j.code, j.stderr)
	doc := decodeSummary(t, j.stdout)
	r := runTestgrid(t.Context(), e, summaryArgs(srv, "--output", "html")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)

	chart := regexp.MustCompile(`(?s)<svg id="chart-days".*?</svg>`).FindString(r.stdout)
	bars := regexp.MustCompile(`<g class="day" data-date="([\d-]+)"><title>[^<]*</title>((?:<rect [^>]*/>)*)</g>`).FindAllStringSubmatch(chart, -1)
	require.Len(t, bars, len(doc.Days))
	for i, b := range bars {
		assert.Equal(t, doc.Days[i].Date, b[1])
		if doc.Days[i].Sessions == 0 {
			assert.Empty(t, b[2], b[1])
		} else {
			assert.NotEmpty(t, b[2], b[1])
		}
	}
	assert.Contains(t, r.stdout, `<dd id="total-sessions">120</dd>`)
}

func TestReportHTMLEscapes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	s := closedSession("x", at(-2*time.Hour), at(-time.Hour))
	s.SeleniumProperties = `{"browserName":"<script>alert(1)</script>","browserVersion":"\"><img src=x onerror=alert(1)>","platformName":"</title><svg onload=alert(1)>"}`
	srv.AddSessions(testProject, s)
	r := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", "html")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "<script")
	assert.NotContains(t, r.stdout, "<img")
	assert.NotContains(t, r.stdout, "<svg onload")
	assert.Contains(t, r.stdout, "&lt;script&gt;alert(1)&lt;/script&gt;")
}
