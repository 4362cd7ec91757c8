package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// results are three runs of two scenarios, in go test -bench format.
const results = `goos: linux
pkg: github.com/testgridkit/devicefarm/bench
BenchmarkList/scenario=1/client=ours-2 100 300000 ns/op 0 conns 100000 cpu-ns/op 0 errors/op 0 retries/op 1000 B/op 100 allocs/op
BenchmarkList/scenario=1/client=ours-2 100 320000 ns/op 0 conns 120000 cpu-ns/op 0 errors/op 0 retries/op 1000 B/op 100 allocs/op
BenchmarkList/scenario=1/client=ours-2 100 310000 ns/op 0 conns 110000 cpu-ns/op 0 errors/op 0 retries/op 1000 B/op 100 allocs/op
BenchmarkList/scenario=1/client=official-2 100 600000 ns/op 20 conns 400000 cpu-ns/op 0 errors/op 0.5 retries/op 4000 B/op 400 allocs/op
BenchmarkList/scenario=1/client=floor-2 100 400000 ns/op 0 conns 160000 cpu-ns/op 0 errors/op 0 retries/op 2000 B/op 140 allocs/op
BenchmarkList/scenario=1/client=transport-2 100 250000 ns/op 0 conns 80000 cpu-ns/op 0 errors/op 0 retries/op 900 B/op 90 allocs/op
BenchmarkList/scenario=50/client=ours-2 100 5000000 ns/op 0 conns 2000000 cpu-ns/op 0 errors/op 0 retries/op 50000 B/op 1000 allocs/op
BenchmarkList/scenario=50/client=official-2 100 9000000 ns/op 0 conns 8000000 cpu-ns/op 0 errors/op 0 retries/op 90000 B/op 2000 allocs/op
BenchmarkOther 100 1 ns/op
PASS
`

func readSamples(t *testing.T) *samples {
	t.Helper()
	name := filepath.Join(t.TempDir(), "raw.txt")
	require.NoError(t, os.WriteFile(name, []byte(results), 0o644))
	s := newSamples()
	require.NoError(t, s.readFile(name))
	return s
}

func TestMedianAndOwnCPU(t *testing.T) {
	s := readSamples(t)
	assert.Equal(t, []string{"1", "50"}, s.scenarios)
	m, ok := s.median(key{"1", "ours", "ns/op"})
	require.True(t, ok)
	assert.Equal(t, 310000.0, m)
	own, ok := s.ownCPU("1", "ours")
	require.True(t, ok)
	assert.Equal(t, 110000.0-80000, own)
	_, ok = s.ownCPU("50", "ours") // no transport row
	assert.False(t, ok)
	assert.Equal(t, 3, s.runs())
}

func TestTables(t *testing.T) {
	var b strings.Builder
	readSamples(t).writeTables(&b)
	out := b.String()
	assert.Contains(t, out, "| 1 | 100 | 400 | 140 | 90 | 0.25× | 0.71× | ≤ 0.50: met |")
	assert.Contains(t, out, "| 50 | 1,000 | 2,000 | – | – | 0.50× | – | ≤ 0.25: **missed** |")
	assert.Contains(t, out, "| 1 | 30.0 µs | 320.0 µs | 80.0 µs | 0.0 µs | 0.09× | 0.38× | ≤ 0.50: met |")
	assert.Contains(t, out, "| 50 | 5.00 ms | 9.00 ms |")
	assert.Contains(t, out, "| 1 | 0 / 0 / 0 | 0.5 / 20 / 0 |")
}

func TestFormat(t *testing.T) {
	assert.Equal(t, "31,842", count(31842))
	assert.Equal(t, "-1,000", count(-1000))
	assert.Equal(t, "999", count(999))
	assert.Equal(t, "63.0 µs", duration(63000))
	assert.Equal(t, "9.20 ms", duration(9.2e6))
}
