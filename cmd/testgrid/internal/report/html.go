package report

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
)

// WriteHTML writes s as one self-contained HTML page: inline CSS,
// inline SVG charts, no script, no font, image or
// other resource to fetch. A Content-Security-Policy of default-src 'none'
// (the stylesheet allowed by its hash) makes the browser refuse any
// request the page might otherwise make. html/template escapes every
// string from the service. Every chart is a <figure> with a <figcaption>,
// an SVG <title> and <desc>, and a table of its data that it names with
// aria-describedby.
func WriteHTML(w io.Writer, s *stats.Summary) error {
	return reportTemplate.Execute(w, newReportData(s))
}

// reportData is what reportTemplate renders.
type reportData struct {
	S           *stats.Summary
	CSS         template.CSS
	ProjectID   string
	First, Last time.Time // the first and last day, when there are days
	chartSet              // wideLayout
	Narrow      chartSet  // narrowLayout
}

// chartSet is the report's charts in one layout.
type chartSet struct {
	DayBars     barChart
	MinuteBars  barChart
	Running     stepChart
	BrowserMix  mixChart
	PlatformMix mixChart
}

func newChartSet(l layout, s *stats.Summary) chartSet {
	return chartSet{
		DayBars:     dayChart(l, s, false),
		MinuteBars:  dayChart(l, s, true),
		Running:     concurrencyChart(l, s),
		BrowserMix:  newMixChart(l, "chart-browsers", "Sessions per browser", s.Browsers, true),
		PlatformMix: newMixChart(l, "chart-platforms", "Sessions per platform", s.Platforms, false),
	}
}

func newReportData(s *stats.Summary) reportData {
	d := reportData{
		S:         s,
		CSS:       template.CSS(pageCSS),
		ProjectID: s.Project[strings.LastIndexAny(s.Project, ":/")+1:],
		chartSet:  newChartSet(wideLayout, s),
		Narrow:    newChartSet(narrowLayout, s),
	}
	if len(s.Days) > 0 {
		d.First, d.Last = s.FirstDay(), s.Days[len(s.Days)-1].Date
	}
	return d
}

// groupDigits puts thousands separators in the integer part of a number
// written by strconv or fmt: "6823.57" becomes "6,823.57".
func groupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return sign + b.String()
}

var reportFuncs = template.FuncMap{
	"int": func(n int) string { return groupDigits(strconv.Itoa(n)) },
	"minutes": func(m float64) string {
		if t := stats.MinutesText(m); t != stats.OutOfRange {
			return groupDigits(t)
		}
		return stats.OutOfRange
	},
	// text shows the service's strings with control, C1 and bidi
	// characters escaped, as the tables do, so that none can reorder the
	// page around it (html/template then escapes for HTML).
	"text":   safetext.TerminalText,
	"pct":    stats.Percent,
	"dur":    stats.DurationText,
	"when":   func(t time.Time) string { return t.Format(stats.TimeLayout) },
	"date":   func(t time.Time) string { return t.Format(time.DateOnly) },
	"hour":   func(t time.Time) string { return t.Format("2006-01-02 15:04") },
	"add":    func(a, b float64) float64 { return round1(a + b) },
	"sub":    func(a, b float64) float64 { return round1(a - b) },
	"relErr": func() string { return strconv.FormatFloat(stats.DurationRelErr*100, 'f', -1, 64) + "%" },
}

// reportCSP allows nothing but the inline stylesheet, by its hash: no
// script, no request for fonts, images or anything else, no form or base
// URL. Inline SVG uses classes, never style attributes, so it needs no
// 'unsafe-inline'.
var reportCSP = "default-src 'none'; style-src 'sha256-" + cssHash() + "'; base-uri 'none'; form-action 'none'"

func cssHash() string {
	sum := sha256.Sum256([]byte(pageCSS))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// reportTemplate is the page, with the charts' templates associated.
var reportTemplate = func() *template.Template {
	t := template.Must(template.New("report").Funcs(reportFuncs).Parse(strings.Replace(reportHTML, "CSP_POLICY", reportCSP, 1)))
	template.Must(t.New("charts").Parse(reportChartsHTML))
	return t
}()
