package bench

import (
	"context"
	"testing"

	"github.com/testgridkit/devicefarm/bench/internal/clients"
	"github.com/testgridkit/devicefarm/bench/internal/cpustat"
)

// BenchmarkList measures every client in every scenario, named
// BenchmarkList/scenario=<s>/client=<c> for benchstat. Besides ns/op, B/op
// and allocs/op it reports:
//
//   - cpu-ns/op: CPU time (user+sys, all threads) of this process per op.
//     The server runs in another process, so this is the client's alone.
//   - retries/op: requests the server received beyond those the ops needed.
//   - conns: TCP connections the server accepted during the timed loop
//     (after one warm-up op, so a client that keeps its connection opens 0).
//   - errors/op: ops that failed; non-zero only for a Flaky client, since
//     any other client's failure stops the benchmark.
//
// Run one client at a time (-test.bench 'BenchmarkList/.*/client=ours$')
// in rotated order, as run.sh does, so no client always runs first.
func BenchmarkList(b *testing.B) {
	for _, sc := range scenarios {
		b.Run("scenario="+sc.name, func(b *testing.B) {
			for _, spec := range clients.All {
				b.Run("client="+spec.Name, func(b *testing.B) {
					benchmarkScenario(b, sc, spec)
				})
			}
		})
	}
}

// benchmarkScenario runs sc with a new client of spec.
func benchmarkScenario(b *testing.B, sc scenario, spec clients.Spec) {
	c, err := spec.New(server.URL)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	want := want(sc, spec)
	warmUp(b, sc, spec, c)
	if _, err := server.Reset(); err != nil {
		b.Fatal(err)
	}

	b.ReportAllocs()
	requests, failures := 0, 0
	cpu0 := cpustat.Process()
	for b.Loop() {
		n, err := sc.run(ctx, c)
		requests += sc.requests(n, err != nil)
		if err != nil || n != want {
			if !spec.Flaky {
				b.Fatalf("%d sessions, want %d; error %v", n, want, err)
			}
			failures++
		}
	}
	cpu := cpustat.Process() - cpu0

	st, err := server.Stats()
	if err != nil {
		b.Fatal(err)
	}
	ops := float64(b.N)
	b.ReportMetric(float64(cpu.Nanoseconds())/ops, "cpu-ns/op")
	b.ReportMetric(float64(st.Requests-int64(requests))/ops, "retries/op")
	b.ReportMetric(float64(st.Conns), "conns")
	b.ReportMetric(float64(failures)/ops, "errors/op")
}

// warmUp does one successful op, so that the connection is open and lazy
// initialisation is done before timing. A Flaky client gets a few tries.
func warmUp(b *testing.B, sc scenario, spec clients.Spec, c clients.Client) {
	b.Helper()
	ctx := context.Background()
	tries := 1
	if spec.Flaky {
		tries = 5
	}
	var n int
	var err error
	for range tries {
		if n, err = sc.run(ctx, c); err == nil && n == want(sc, spec) {
			return
		}
	}
	b.Fatalf("warm-up: %d sessions, want %d; error %v", n, want(sc, spec), err)
}
