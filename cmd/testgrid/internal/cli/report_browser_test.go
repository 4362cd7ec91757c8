package cli

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
)

// chromiumPath is Debian's chromium, which CI installs.
const chromiumPath = "/usr/bin/chromium"

// browserTimeout bounds the whole browser test: start, load, checks,
// screenshot and shutdown.
const browserTimeout = 90 * time.Second

// TestReportInBrowser opens the HTML report of the demo data in headless
// Chromium (through chromedp) and checks what it renders: a bar per day,
// the totals of "summary --output json", the stylesheet applied under the
// page's Content-Security-Policy, and no request leaving the page. It
// saves a screenshot as a test artifact (go test -artifacts keeps it).
//
// Without chromium it is skipped, except in CI (CI set), where a missing
// browser fails it rather than let it pass unseen.
func TestReportInBrowser(t *testing.T) {
	requireChromium(t)
	e := cmdutil.Env{Now: func() time.Time { return testNow }}
	report := runTestgrid(t.Context(), e, "summary", "--demo", "--output", "html")
	require.Equal(t, cmdutil.ExitOK, report.code, report.stderr)
	summaryJSON := runTestgrid(t.Context(), e, "summary", "--demo", "--output", "json")
	require.Equal(t, cmdutil.ExitOK, summaryJSON.code, summaryJSON.stderr)
	doc := decodeSummary(t, summaryJSON.stdout)
	days := demoDays(t, e)

	file := filepath.Join(t.TempDir(), "report.html")
	require.NoError(t, os.WriteFile(file, []byte(report.stdout), 0o600))
	pageURL := (&url.URL{Scheme: "file", Path: file}).String()

	browserCtx, cancelAlloc := newBrowser(t)
	defer cancelAlloc()

	var (
		mu       sync.Mutex
		requests []string
	)
	require.NoError(t, chromedp.Listen(browserCtx, func(ev any) {
		if ev, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, ev.Request.URL)
			mu.Unlock()
		}
	}))
	require.NoError(t, chromedp.Do(browserCtx,
		chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate(pageURL),
	))

	bars, err := chromedp.Run(browserCtx, chromedp.Evaluate[int](`document.querySelectorAll('#chart-days g.day').length`))
	require.NoError(t, err)
	assert.Equal(t, days, bars, "one bar per day of the data")
	assert.Equal(t, len(doc.Days), bars)

	shownJSON, err := chromedp.Run(browserCtx, chromedp.Evaluate[string](`JSON.stringify(Object.fromEntries(
		[...document.querySelectorAll('dl.kpis dd[id], #statuses tr[data-status]')].map(e =>
			e.id ? [e.id, e.textContent] : ['status-' + e.dataset.status, e.querySelector('.sessions-count').textContent])))`))
	require.NoError(t, err)
	var shown map[string]string
	require.NoError(t, json.Unmarshal([]byte(shownJSON), &shown))
	number := func(id string) float64 {
		f, err := strconv.ParseFloat(strings.ReplaceAll(shown[id], ",", ""), 64)
		require.NoError(t, err, "%s: %q", id, shown[id])
		return f
	}
	assert.EqualValues(t, doc.Totals.Sessions, number("total-sessions"))
	assert.InDelta(t, doc.Totals.BillingMinutes, number("total-billing-minutes"), 0.005)
	assert.EqualValues(t, doc.Concurrency.Peak, number("peak-concurrency"))
	for _, st := range doc.Totals.Statuses {
		assert.EqualValues(t, st.Sessions, number("status-"+st.Status), st.Status)
	}
	assert.Equal(t, stats.DurationText(time.Duration(*doc.Totals.Durations.MaxSeconds*float64(time.Second))), shown["duration-max"])

	// The stylesheet applies, so the policy's hash is right; the SVG bars
	// are styled by class.
	fill, err := chromedp.Run(browserCtx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('#chart-days rect.closed')).fill`))
	require.NoError(t, err)
	assert.Equal(t, "rgb(59, 111, 182)", fill)

	png, err := chromedp.Run(browserCtx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	shot := filepath.Join(artifactDir(t), "report.png")
	require.NoError(t, os.WriteFile(shot, png, 0o644))

	// Close the browser gracefully and wait for it before reading the
	// requests: every event has been delivered by then.
	require.NoError(t, chromedp.Cancel(browserCtx))
	cancelAlloc()
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, requests, "the page load itself is seen")
	for _, u := range requests {
		ok := u == pageURL || strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "about:")
		assert.True(t, ok, "request left the page: %s", u)
	}
	t.Logf("day bars: %d (days in the data: %d)", bars, days)
	t.Logf("totals shown: %v", shown)
	t.Logf("requests seen: %q", requests)
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
	t.Logf("page size: %d bytes", len(report.stdout))
}

// demoDays counts the calendar days (UTC) from the first to the last
// creation of the demo's sessions, as "testgrid sessions" lists them.
func demoDays(t *testing.T, e cmdutil.Env) int {
	t.Helper()
	r := runTestgrid(t.Context(), e, "sessions", "--demo", "--output", "ndjson")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	var first, last time.Time
	for _, l := range lines(r.stdout) {
		var s listedSession
		require.NoError(t, json.Unmarshal([]byte(l), &s))
		day := s.Created.UTC().Truncate(24 * time.Hour)
		if first.IsZero() || day.Before(first) {
			first = day
		}
		if day.After(last) {
			last = day
		}
	}
	return int(last.Sub(first)/(24*time.Hour)) + 1
}

// requireChromium skips the test without chromium, except in CI (CI set),
// where a missing browser fails it rather than let it pass unseen.
func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must install chromium (apt-get install chromium): %v", err)
		}
		t.Skipf("%s not found: install Debian's chromium to run the browser test", chromiumPath)
	}
}

// newBrowser starts headless Chromium for the test, bounded by
// browserTimeout, and returns a tab's context and a function that stops
// the browser and waits for it (also registered as a cleanup, which runs
// before t.TempDir's removal of its profile).
func newBrowser(t *testing.T) (context.Context, context.CancelFunc) {
	t.Helper()
	profile := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), browserTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1366, 768),
	)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	stop := func() {
		cancelBrowser()
		cancelAlloc() // waits for the browser to exit
		cancel()
	}
	t.Cleanup(stop)
	return browserCtx, stop
}
