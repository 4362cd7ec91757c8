package report

// This file holds the scales and the text of the charts: axis ticks,
// label spacing, rounding.

import (
	"math"
	"strconv"
)

func ratioF(n, of float64) float64 {
	if of <= 0 {
		return 0
	}
	return n / of
}

// placeLegend lays the legend items out from x, left to right.
func placeLegend(items []legendItem, x float64) {
	for i := range items {
		items[i].X = x
		x += 28 + 7.5*float64(len(items[i].Label))
	}
}

// niceScale returns the top of an axis that shows v, and the step between
// its ticks: a step of 1, 2 or 5 times a power of ten giving at most 5
// intervals.
func niceScale(v float64) (top, step float64) {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1, 1
	}
	raw := v / 4
	exp := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / exp; {
	case f <= 1:
		step = exp
	case f <= 2:
		step = 2 * exp
	case f <= 5:
		step = 5 * exp
	default:
		step = 10 * exp
	}
	step = max(step, 1) // counts and minutes: no fractional ticks
	return math.Ceil(v/step) * step, step
}

// yTicks places the ticks 0, step, ... top on f's y axis.
func yTicks(f chartFrame, top, step float64) []tick {
	var ticks []tick
	for v := 0.0; v <= top+step/2; v += step {
		ticks = append(ticks, tick{round1(f.PlotBottom() - f.PlotH*v/top), strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ticks
}

// labelEvery returns n such that labelling every nth slot of width slot
// keeps labels minLabelGap apart.
func labelEvery(slot float64) int {
	if slot <= 0 {
		return 1
	}
	return max(int(math.Ceil(minLabelGap/slot)), 1)
}

// shorten cuts s to n runes, ending in "…".
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

func num1(f float64) string { return strconv.FormatFloat(round1(f), 'f', -1, 64) }
