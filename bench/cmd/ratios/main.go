// Command ratios reads BenchmarkList results (go test -bench output, any
// number of runs) and prints Markdown tables of the median of each metric
// per scenario and client, with the ratios ours/official and ours/floor,
// and "own CPU": a client's cpu-ns/op minus the transport client's, the CPU
// spent beyond the bare HTTP exchange.
//
// Usage: go run ./cmd/ratios results/raw.txt
package main

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"sort"

	"golang.org/x/perf/benchfmt"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: ratios RESULTS-FILE...")
		os.Exit(2)
	}
	s := newSamples()
	for _, name := range os.Args[1:] {
		if err := s.readFile(name); err != nil {
			fmt.Fprintln(os.Stderr, "ratios:", err)
			os.Exit(1)
		}
	}
	if len(s.scenarios) == 0 {
		fmt.Fprintln(os.Stderr, "ratios: no BenchmarkList results")
		os.Exit(1)
	}
	s.writeTables(os.Stdout)
}

// key identifies one benchmark metric.
type key struct{ scenario, client, unit string }

// samples holds every value read, by benchmark and unit.
type samples struct {
	values    map[key][]float64
	scenarios []string // in order of first appearance
}

func newSamples() *samples { return &samples{values: map[key][]float64{}} }

// readFile adds the BenchmarkList results in the named file.
func (s *samples) readFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	r := benchfmt.NewReader(f, name)
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue // unit metadata or a syntax error in non-benchmark output
		}
		scenario, client, ok := parseName(res.Name)
		if !ok {
			continue
		}
		if !slices.Contains(s.scenarios, scenario) {
			s.scenarios = append(s.scenarios, scenario)
		}
		for _, v := range res.Values {
			unit, value := v.Unit, v.Value
			if v.OrigUnit != "" { // benchfmt tidied it, e.g. ns/op to sec/op
				unit, value = v.OrigUnit, v.OrigValue
			}
			k := key{scenario, client, unit}
			s.values[k] = append(s.values[k], value)
		}
	}
	return r.Err()
}

// parseName extracts scenario and client from
// BenchmarkList/scenario=S/client=C-P.
func parseName(n benchfmt.Name) (scenario, client string, ok bool) {
	base, parts := n.Parts()
	if string(base) != "List" && string(base) != "BenchmarkList" {
		return "", "", false
	}
	for _, p := range parts {
		if k, v, found := bytes.Cut(bytes.TrimPrefix(p, []byte("/")), []byte("=")); found {
			switch string(k) {
			case "scenario":
				scenario = string(v)
			case "client":
				client = string(v)
			}
		}
	}
	return scenario, client, scenario != "" && client != ""
}

// median returns the median of the values of k, and whether there were any.
func (s *samples) median(k key) (float64, bool) {
	v := slices.Clone(s.values[k])
	if len(v) == 0 {
		return 0, false
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2], true
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2, true
}

// ownCPU returns the median cpu-ns/op of the client minus that of the
// transport client in the same scenario.
func (s *samples) ownCPU(scenario, client string) (float64, bool) {
	c, ok1 := s.median(key{scenario, client, "cpu-ns/op"})
	t, ok2 := s.median(key{scenario, "transport", "cpu-ns/op"})
	return c - t, ok1 && ok2
}
