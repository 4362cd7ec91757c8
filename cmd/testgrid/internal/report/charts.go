// Package report writes the summary as one self-contained HTML page with
// inline SVG charts. It imports no AWS code.
package report

// The report's charts are SVG drawn here rather than by a charting
// library. gonum.org/v1/plot (vg/vgsvg, v0.17.0) was tried: it does draw
// stacked bars (BarChart.StackOn) without embedding fonts or referencing
// anything external, but its SVG
//
//   - has no <title>/<desc> and no way to name an element, so a bar cannot
//     carry its day (data-date), a tooltip or a class: the charts could not
//     be made accessible per element, nor tested in a browser other than
//     by counting anonymous <path>s by colour;
//   - styles every element with a style="..." attribute and fixed colours
//     on a white rectangle, so the report's Content-Security-Policy would
//     need 'unsafe-inline' styles, and print and theme CSS cannot apply;
//   - measures text with Liberation fonts that the page does not have, so
//     labels are placed for one font and drawn in another;
//   - adds eight modules (fonts, LaTeX, PDF, raster back ends) for three
//     kinds of chart: vertical bars, a step line and horizontal bars.
//
// Each chart below is a few rectangles or one path on a linear scale,
// computed here as plain geometry and written by html/template (see
// WriteHTML), which escapes every string from the service.

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
)

// Chart geometry, in SVG user units (the viewBox); the page scales it.
const (
	chartWidth   = 960.0
	chartHeight  = 280.0
	marginLeft   = 56.0
	marginRight  = 16.0
	marginTop    = 28.0 // room for the legend or the peak label
	marginBottom = 28.0
	minLabelGap  = 64.0 // between x-axis labels
	mixRowHeight = 24.0
	mixLabelW    = 230.0
	mixValueW    = 190.0
	maxMixChart  = 12 // rows drawn; the tables list them all
)

// layout is the geometry of one rendering of the charts: wideLayout for
// screens where the 960-unit viewBox shows its 12-unit text at 10 px or
// more, narrowLayout for phones and tablets, whose viewBox is narrow
// enough to do the same at 360 px. The page holds both and shows one by
// a CSS media query: charts reflow rather than shrink their text.
type layout struct {
	width              float64
	mixLabelW, mixValW float64
	labelRunes         int    // the longest mix label, in runes
	idSuffix           string // appended to element IDs, which stay unique
	compactValues      bool   // the mix values without " errored"
}

var (
	wideLayout   = layout{width: chartWidth, mixLabelW: mixLabelW, mixValW: mixValueW, labelRunes: 32}
	narrowLayout = layout{width: 380, mixLabelW: 124, mixValW: 84, labelRunes: 17, idSuffix: "-narrow", compactValues: true}
)

// chartFrame is what every chart has: its size, title and description
// (for <title>/<desc>), plot area and axes.
type chartFrame struct {
	ID            string
	Title, Desc   string
	Width, Height float64
	PlotX, PlotY  float64
	PlotW, PlotH  float64
	YTicks        []tick
	XTicks        []tick
	Legend        []legendItem
}

// PlotBottom is the y of the x axis.
func (f chartFrame) PlotBottom() float64 { return f.PlotY + f.PlotH }

// PlotRight is the x of the plot's right edge.
func (f chartFrame) PlotRight() float64 { return f.PlotX + f.PlotW }

type tick struct {
	Pos   float64
	Label string
}

type legendItem struct {
	Class, Label string
	X            float64
}

// barChart is vertical bars, one group per day, each a stack of segments.
type barChart struct {
	chartFrame
	Bars []barGroup
}

type barGroup struct {
	Date     string // YYYY-MM-DD, as data-date
	Title    string // tooltip
	Segments []segment
}

type segment struct {
	Class      string
	X, Y, W, H float64
}

// stepChart is the hourly peak concurrency as a step line over an area,
// with the overall peak marked.
type stepChart struct {
	chartFrame
	Area, Line   string // path data
	PeakX, PeakY float64
	PeakLabel    string
	PeakAnchor   string // text-anchor of the label
}

// mixChart is horizontal bars, one per browser or platform: sessions,
// with the errored part drawn over their start.
type mixChart struct {
	chartFrame
	Rows []mixBar
	More string // "and 4 more", when rows were left out
}

type mixBar struct {
	Label, Title string
	Y, TextY     float64
	W, ErroredW  float64
	Value        string
	ValueX       float64
}

// statusClasses are the stack order (bottom first) and CSS classes of the
// statuses in the per-day chart.
var statusClasses = []struct {
	class, label string
	count        func(stats.DayRow) int
}{
	{"closed", "CLOSED", func(d stats.DayRow) int { return d.Closed }},
	{"errored", "ERRORED", func(d stats.DayRow) int { return d.Errored }},
	{"active", "ACTIVE", func(d stats.DayRow) int { return d.Active }},
	{"other", "other", func(d stats.DayRow) int { return d.Other }},
}

// newFrame returns a frame of the standard height and l's width.
func newFrame(l layout, id, title, desc string) chartFrame {
	return chartFrame{
		ID: id + l.idSuffix, Title: title, Desc: desc,
		Width: l.width, Height: chartHeight,
		PlotX: marginLeft, PlotY: marginTop,
		PlotW: l.width - marginLeft - marginRight,
		PlotH: chartHeight - marginTop - marginBottom,
	}
}

// dayChart draws one bar per day of s: sessions stacked by status when
// minutes is false, else billing minutes.
func dayChart(l layout, s *stats.Summary, minutes bool) barChart {
	var c barChart
	if minutes {
		c.chartFrame = newFrame(l, "chart-minutes", "Billing minutes per day",
			fmt.Sprintf("Bar chart of the billing minutes of the sessions created each day, %d days, in %s.", len(s.Days), s.Loc))
		c.Legend = []legendItem{{Class: "minutes", Label: "billing minutes"}}
	} else {
		c.chartFrame = newFrame(l, "chart-days", "Sessions started per day, by status",
			fmt.Sprintf("Stacked bar chart of the sessions created each day, %d days, in %s: closed, errored, active.", len(s.Days), s.Loc))
		others := false
		for _, d := range s.Days {
			others = others || d.Other > 0
		}
		for _, sc := range statusClasses {
			if sc.class != "other" || others {
				c.Legend = append(c.Legend, legendItem{Class: sc.class, Label: sc.label})
			}
		}
	}
	placeLegend(c.Legend, c.PlotX)

	most := 0.0
	for _, d := range s.Days {
		most = max(most, dayValue(d, minutes))
	}
	top, step := niceScale(most)
	c.YTicks = yTicks(c.chartFrame, top, step)
	if len(s.Days) == 0 {
		return c
	}
	slot := c.PlotW / float64(len(s.Days))
	w := max(slot*0.8, 1)
	every := labelEvery(slot)
	for i, d := range s.Days {
		x := c.PlotX + float64(i)*slot + (slot-w)/2
		g := barGroup{Date: d.Date.Format(time.DateOnly)}
		if i%every == 0 {
			c.XTicks = append(c.XTicks, tick{round1(x + w/2), d.Date.Format("Jan 2")})
		}
		base := c.PlotBottom()
		if minutes {
			g.Title = fmt.Sprintf("%s: %s billing minutes", g.Date, stats.MinutesText(d.BillingMinutes))
			h := c.PlotH * max(dayValue(d, true), 0) / top
			g.Segments = append(g.Segments, segment{"minutes", round1(x), round1(base - h), round1(w), round1(h)})
		} else {
			g.Title = fmt.Sprintf("%s: %d sessions (%d closed, %d errored, %d active", g.Date, d.Sessions(), d.Closed, d.Errored, d.Active)
			if d.Other > 0 {
				g.Title += fmt.Sprintf(", %d other", d.Other)
			}
			g.Title += ")"
			for _, sc := range statusClasses {
				n := sc.count(d)
				if n == 0 {
					continue
				}
				h := c.PlotH * float64(n) / top
				base -= h
				g.Segments = append(g.Segments, segment{sc.class, round1(x), round1(base), round1(w), round1(h)})
			}
		}
		c.Bars = append(c.Bars, g)
	}
	return c
}

func dayValue(d stats.DayRow, minutes bool) float64 {
	if minutes {
		if math.IsInf(d.BillingMinutes, 0) || math.IsNaN(d.BillingMinutes) {
			return 0 // out of range: the day's label and a note say so
		}
		return d.BillingMinutes
	}
	return float64(d.Sessions())
}

// concurrencyChart draws the hourly peaks of s as a step line, with the
// overall peak marked.
func concurrencyChart(l layout, s *stats.Summary) stepChart {
	cs := s.Concurrency
	c := stepChart{chartFrame: newFrame(l, "chart-concurrency", "Sessions running at once, peak per hour",
		fmt.Sprintf("Step chart of the largest number of sessions running at the same time in each hour, %d hours, in %s. Peak: %d at %s.",
			len(cs.Hours), s.Loc, cs.Peak, cs.PeakAt.Format(stats.TimeLayout)))}
	top, step := niceScale(float64(cs.Peak))
	c.YTicks = yTicks(c.chartFrame, top, step)
	if len(cs.Hours) == 0 {
		return c
	}
	t0 := cs.Hours[0].Start
	t1 := cs.Hours[len(cs.Hours)-1].Start.Add(time.Hour)
	span := float64(t1.Sub(t0))
	xOf := func(t time.Time) float64 { return round1(c.PlotX + c.PlotW*float64(t.Sub(t0))/span) }
	yOf := func(n int) float64 { return round1(c.PlotBottom() - c.PlotH*float64(n)/top) }

	var line strings.Builder
	fmt.Fprintf(&line, "M%s,%s", num1(c.PlotX), num1(yOf(cs.Hours[0].Peak)))
	for i, h := range cs.Hours {
		// One horizontal run per level: a vertical step only where the
		// peak changes.
		if i > 0 && h.Peak != cs.Hours[i-1].Peak {
			fmt.Fprintf(&line, "H%sV%s", num1(xOf(h.Start)), num1(yOf(h.Peak)))
		}
	}
	fmt.Fprintf(&line, "H%s", num1(xOf(t1)))
	c.Line = line.String()
	c.Area = c.Line + fmt.Sprintf("V%sH%sZ", num1(c.PlotBottom()), num1(c.PlotX))

	// A tick at each midnight, labelled every few days.
	days := int(math.Ceil(t1.Sub(t0).Hours() / 24))
	every := labelEvery(c.PlotW / float64(max(days, 1)))
	y, m, d := t0.Date()
	for i := 0; ; i++ {
		midnight := time.Date(y, m, d+1+i, 0, 0, 0, 0, s.Loc)
		if !midnight.Before(t1) {
			break
		}
		if i%every == 0 {
			c.XTicks = append(c.XTicks, tick{xOf(midnight), midnight.Format("Jan 2")})
		}
	}

	c.PeakX, c.PeakY = xOf(cs.PeakAt), yOf(cs.Peak)
	c.PeakLabel = fmt.Sprintf("peak %d, %s", cs.Peak, cs.PeakAt.Format("Jan 2 15:04"))
	c.PeakAnchor = "start"
	if c.PeakX > c.PlotX+c.PlotW*0.7 {
		c.PeakAnchor = "end"
	}
	return c
}

// newMixChart draws the first maxMixChart rows as horizontal bars.
func newMixChart(l layout, id, title string, rows []stats.MixRow, browsers bool) mixChart {
	shown := rows[:min(len(rows), maxMixChart)]
	what := "platform"
	if browsers {
		what = "browser and version"
	}
	c := mixChart{chartFrame: chartFrame{
		ID: id + l.idSuffix, Title: title,
		Desc: fmt.Sprintf("Horizontal bar chart of the sessions per %s, with the errored part shaded; %d of %d shown.",
			what, len(shown), len(rows)),
		Width: l.width, Height: marginTop + float64(len(shown))*mixRowHeight + 8,
		PlotX: l.mixLabelW, PlotY: marginTop,
		PlotW: l.width - l.mixLabelW - l.mixValW, PlotH: float64(len(shown)) * mixRowHeight,
	}}
	c.Legend = []legendItem{{Class: "sessions", Label: "sessions"}, {Class: "errored", Label: "errored"}}
	placeLegend(c.Legend, c.PlotX)
	if len(rows) > len(shown) {
		c.More = fmt.Sprintf("and %d more in the table", len(rows)-len(shown))
	}
	most := 0
	for _, r := range shown {
		most = max(most, r.Sessions)
	}
	for i, r := range shown {
		name := safetext.TerminalText(r.Name)
		if browsers && r.Version != "" {
			name += " " + safetext.TerminalText(r.Version)
		}
		y := c.PlotY + float64(i)*mixRowHeight
		w := c.PlotW * ratioF(float64(r.Sessions), float64(most))
		b := mixBar{
			Label:    shorten(name, l.labelRunes),
			Title:    fmt.Sprintf("%s: %d sessions, %d errored (%s)", name, r.Sessions, r.Errored, stats.Percent(r.ErrorRate())),
			Y:        round1(y + 4),
			TextY:    round1(y + mixRowHeight/2 + 4),
			W:        round1(w),
			ErroredW: round1(c.PlotW * ratioF(float64(r.Errored), float64(most))),
			Value:    mixValue(l, r),
			ValueX:   round1(c.PlotX + w + 6),
		}
		c.Rows = append(c.Rows, b)
	}
	return c
}

// mixValue is the text after a mix bar: "35 · 2.9% errored", or
// "35 · 2.9%" in a compact layout.
func mixValue(l layout, r stats.MixRow) string {
	if l.compactValues {
		return fmt.Sprintf("%d · %s", r.Sessions, stats.Percent(r.ErrorRate()))
	}
	return fmt.Sprintf("%d · %s errored", r.Sessions, stats.Percent(r.ErrorRate()))
}
