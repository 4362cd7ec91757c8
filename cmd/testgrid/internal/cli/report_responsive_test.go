package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// layoutReport is what measureLayout reads from the rendered report.
type layoutReport struct {
	ViewportWidth float64 `json:"viewportWidth"`
	PageWidth     float64 `json:"pageWidth"` // document scroll width
	// BrokenWords are names (statuses, dates, browsers, platforms) whose
	// text spans more than one line.
	BrokenWords []string `json:"brokenWords"`
	// Overflowing are elements wider than the page: tables not in a
	// scroll box, scroll boxes or cards running off the right edge.
	Overflowing []string `json:"overflowing"`
	// SmallestChartText is the smallest rendered font size of the text of
	// the charts shown, in CSS pixels; ChartTexts counts those texts.
	SmallestChartText float64 `json:"smallestChartText"`
	ChartTexts        int     `json:"chartTexts"`
	ChartsShown       int     `json:"chartsShown"`
	Background        string  `json:"background"`
	Ink               string  `json:"ink"`
}

// measureLayoutJS measures the page as laid out: a text node's client
// rects (one per line box) tell whether a name broke, getScreenCTM the
// scale at which an SVG draws its text.
const measureLayoutJS = `(() => {
  const vw = document.documentElement.clientWidth;
  const r = {viewportWidth: vw, pageWidth: document.documentElement.scrollWidth,
    brokenWords: [], overflowing: [], smallestChartText: 1e9, chartTexts: 0, chartsShown: 0,
    background: getComputedStyle(document.documentElement).backgroundColor,
    ink: getComputedStyle(document.body).color};
  const names = document.querySelectorAll('tbody th[scope=row], #browsers-table td.text, #errored-table td.name, #statuses td');
  for (const el of names) {
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
      if (lines.size > 1) r.brokenWords.push(el.closest('table').id + ': ' + node.textContent);
    }
  }
  for (const el of document.querySelectorAll('table, .wide, .kpis div, .kpis dd, header p, code, figure')) {
    const b = el.getBoundingClientRect();
    if (b.width === 0) continue;
    const box = el.closest('.wide');
    const inBox = box !== null && box !== el; // scrolls in its own box
    if (!inBox && b.right > vw + 0.5) r.overflowing.push(el.tagName + '#' + el.id + '.' + el.className + ' right=' + b.right);
    if (el.matches('.kpis dd') && el.scrollWidth > el.clientWidth + 0.5) r.overflowing.push('card ' + el.id + ' ' + el.textContent);
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.getBoundingClientRect().width === 0) continue;
    r.chartsShown++;
    for (const text of svg.querySelectorAll('text')) {
      const size = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a;
      r.smallestChartText = Math.min(r.smallestChartText, size);
      r.chartTexts++;
    }
  }
  return JSON.stringify(r);
})()`

// load opens pageURL in a viewport width CSS pixels wide with media
// emulated as given.
func load(t *testing.T, ctx context.Context, width int64, pageURL string, media emulation.SetEmulatedMediaParams) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(width, 800)))
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, media)
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(pageURL)))
}

// luminance is the relative luminance of a CSS rgb() colour, 0 to 1.
func luminance(t *testing.T, rgb string) float64 {
	t.Helper()
	var r, g, b float64
	_, err := fmt.Sscanf(rgb, "rgb(%f, %f, %f)", &r, &g, &b)
	require.NoError(t, err, rgb)
	return (0.2126*r + 0.7152*g + 0.0722*b) / 255
}

// TestReportResponsive renders the demo's HTML report in headless Chromium
// at phone, tablet and desktop widths, in the light and the dark theme,
// and measures the laid-out page: no page-level horizontal scrolling, no
// name broken inside a word, tables wider than the screen scrolling in
// their own box, chart text never under 10 px, cards holding their value.
// Print is checked for its light palette and wide charts. A screenshot of
// each rendering is kept as a test artifact.
func TestReportResponsive(t *testing.T) {
	requireChromium(t)
	e := cmdutil.Env{Now: func() time.Time { return testNow }}
	report := runTestgrid(t.Context(), e, "summary", "--demo", "--output", "html")
	require.Equal(t, cmdutil.ExitOK, report.code, report.stderr)
	file := filepath.Join(t.TempDir(), "report.html")
	require.NoError(t, os.WriteFile(file, []byte(report.stdout), 0o600))
	pageURL := (&url.URL{Scheme: "file", Path: file}).String()

	browserCtx, stop := newBrowser(t)
	defer stop()
	artifacts := artifactDir(t)
	for _, dark := range []bool{false, true} {
		for _, width := range []int64{360, 420, 768, 1280} {
			name := fmt.Sprintf("report-%d", width)
			scheme := "light"
			if dark {
				name += "-dark"
				scheme = "dark"
			}
			t.Run(name, func(t *testing.T) {
				load(t, browserCtx, width, pageURL, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
				})
				text, err := chromedp.Run(browserCtx, chromedp.Evaluate[string](measureLayoutJS))
				require.NoError(t, err)
				var m layoutReport
				require.NoError(t, json.Unmarshal([]byte(text), &m))
				assert.Equal(t, float64(width), m.ViewportWidth)
				assert.LessOrEqual(t, m.PageWidth, m.ViewportWidth, "no page-level horizontal scrolling")
				assert.Empty(t, m.BrokenWords, "names broken inside a word")
				assert.Empty(t, m.Overflowing, "elements running off the page")
				assert.Equal(t, 5, m.ChartsShown, "each chart shown once")
				assert.Greater(t, m.ChartTexts, 20)
				assert.GreaterOrEqual(t, m.SmallestChartText, 9.99, "chart text is drawn at 10 px or more")
				if dark {
					assert.Less(t, luminance(t, m.Background), 0.2, "dark background: %s", m.Background)
					assert.Greater(t, luminance(t, m.Ink), 0.7, "light text: %s", m.Ink)
				} else {
					assert.Greater(t, luminance(t, m.Background), 0.9, "light background: %s", m.Background)
					assert.Less(t, luminance(t, m.Ink), 0.3, "dark text: %s", m.Ink)
				}
				png, err := chromedp.Run(browserCtx, chromedp.FullScreenshot(100)) // 100: PNG
				require.NoError(t, err)
				shot := filepath.Join(artifacts, name+".png")
				require.NoError(t, os.WriteFile(shot, png, 0o644))
				t.Logf("%s: page %vpx wide, smallest chart text %.1fpx, screenshot %s", name, m.PageWidth, m.SmallestChartText, shot)
			})
		}
	}

	t.Run("print", func(t *testing.T) {
		load(t, browserCtx, 1280, pageURL, emulation.SetEmulatedMediaParams{
			Media:    "print",
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
		})
		text, err := chromedp.Run(browserCtx, chromedp.Evaluate[string](`JSON.stringify({
			background: getComputedStyle(document.documentElement).backgroundColor,
			wide: [...document.querySelectorAll('.chart-wide')].every(e => getComputedStyle(e).display !== 'none'),
			narrow: [...document.querySelectorAll('.chart-narrow')].some(e => getComputedStyle(e).display !== 'none')})`))
		require.NoError(t, err)
		var p struct {
			Background   string
			Wide, Narrow bool
		}
		require.NoError(t, json.Unmarshal([]byte(text), &p))
		assert.Equal(t, "rgb(255, 255, 255)", p.Background, "print is light even for a dark-theme viewer")
		assert.True(t, p.Wide)
		assert.False(t, p.Narrow)
	})
}
