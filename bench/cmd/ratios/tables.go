package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// clients are the table columns, in order.
var clients = []string{"ours", "official", "floor", "transport"}

// metric is one table: a unit read from the results, or a derived value.
type metric struct {
	title  string
	unit   string // unit in the results; "" for own CPU
	format func(float64) string
	// goal returns the highest acceptable ours/official ratio in a
	// scenario, or 0 when there is none.
	goal func(scenario string) float64
}

// metrics are the tables, in order. The goals are the issue's: allocs at
// most ½ of official's for one session and ¼ for larger pages; own CPU at
// most ½ of official's everywhere.
var metrics = []metric{
	{title: "allocs/op", unit: "allocs/op", format: count, goal: func(sc string) float64 {
		if sc == "1" {
			return 0.5
		}
		return 0.25
	}},
	{title: "B/op", unit: "B/op", format: count},
	{title: "ns/op (wall time)", unit: "ns/op", format: duration},
	{title: "cpu-ns/op (process CPU, user+sys)", unit: "cpu-ns/op", format: duration},
	{title: "own CPU (cpu-ns/op minus transport's)", format: duration, goal: func(string) float64 { return 0.5 }},
}

// writeTables prints one table per metric, then the reliability table.
func (s *samples) writeTables(w io.Writer) {
	fmt.Fprintf(w, "Medians over %d runs per benchmark.\n", s.runs())
	for _, m := range metrics {
		s.writeMetric(w, m)
	}
	s.writeReliability(w)
}

// runs returns the largest number of samples of any benchmark.
func (s *samples) runs() int {
	n := 0
	for k, v := range s.values {
		if k.unit == "ns/op" {
			n = max(n, len(v))
		}
	}
	return n
}

// value returns the median of m for a client in a scenario.
func (s *samples) value(m metric, scenario, client string) (float64, bool) {
	if m.unit == "" {
		return s.ownCPU(scenario, client)
	}
	return s.median(key{scenario, client, m.unit})
}

// writeMetric prints the table of one metric.
func (s *samples) writeMetric(w io.Writer, m metric) {
	fmt.Fprintf(w, "\n#### %s\n\n| scenario |", m.title)
	for _, c := range clients {
		fmt.Fprintf(w, " %s |", c)
	}
	fmt.Fprint(w, " ours/official | ours/floor |")
	if m.goal != nil {
		fmt.Fprint(w, " goal (ours/official) |")
	}
	fmt.Fprint(w, "\n|---|", strings.Repeat("---:|", len(clients)+2))
	if m.goal != nil {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for _, sc := range s.scenarios {
		fmt.Fprintf(w, "| %s |", sc)
		for _, c := range clients {
			v, ok := s.value(m, sc, c)
			fmt.Fprintf(w, " %s |", orDash(ok, m.format, v))
		}
		ours, okO := s.value(m, sc, "ours")
		official, okA := s.value(m, sc, "official")
		floor, okF := s.value(m, sc, "floor")
		rOfficial, rFloor := ratio(ours, official), ratio(ours, floor)
		fmt.Fprintf(w, " %s | %s |", orDash(okO && okA, times, rOfficial), orDash(okO && okF, times, rFloor))
		if m.goal != nil {
			fmt.Fprintf(w, " %s |", verdict(okO && okA, rOfficial, m.goal(sc)))
		}
		fmt.Fprintln(w)
	}
}

// writeReliability prints retries/op, conns and errors/op per client.
func (s *samples) writeReliability(w io.Writer) {
	fmt.Fprint(w, "\n#### retries/op, conns, errors/op (medians; conns = connections opened during the timed loop)\n\n| scenario |")
	for _, c := range clients {
		fmt.Fprintf(w, " %s |", c)
	}
	fmt.Fprint(w, "\n|---|", strings.Repeat("---|", len(clients)), "\n")
	for _, sc := range s.scenarios {
		fmt.Fprintf(w, "| %s |", sc)
		for _, c := range clients {
			r, ok1 := s.median(key{sc, c, "retries/op"})
			n, ok2 := s.median(key{sc, c, "conns"})
			e, ok3 := s.median(key{sc, c, "errors/op"})
			if ok1 && ok2 && ok3 {
				fmt.Fprintf(w, " %.3g / %.0f / %.3g |", r, n, e)
			} else {
				fmt.Fprint(w, " – |")
			}
		}
		fmt.Fprintln(w)
	}
}

// ratio returns a/b, or NaN when b is not positive.
func ratio(a, b float64) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return a / b
}

// verdict says whether ratio r meets goal g.
func verdict(ok bool, r, g float64) string {
	switch {
	case !ok || math.IsNaN(r):
		return "–"
	case r <= g:
		return fmt.Sprintf("≤ %.2f: met", g)
	default:
		return fmt.Sprintf("≤ %.2f: **missed**", g)
	}
}

// orDash formats v, or a dash when it is missing.
func orDash(ok bool, format func(float64) string, v float64) string {
	if !ok || math.IsNaN(v) {
		return "–"
	}
	return format(v)
}

// times formats a ratio.
func times(r float64) string { return strconv.FormatFloat(r, 'f', 2, 64) + "×" }

// count formats a count with thousands separators.
func count(v float64) string {
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// duration formats nanoseconds in µs below 1 ms, else in ms.
func duration(ns float64) string {
	if math.Abs(ns) < 1e6 {
		return strconv.FormatFloat(ns/1e3, 'f', 1, 64) + " µs"
	}
	return strconv.FormatFloat(ns/1e6, 'f', 2, 64) + " ms"
}
