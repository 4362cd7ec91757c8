package serve

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// ownTransport gives a client its own connections, closed at the end of
// the test, as a separate process's client would have.
func ownTransport(t testing.TB) func(*devicefarm.Options) {
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	t.Cleanup(tr.CloseIdleConnections)
	return func(o *devicefarm.Options) { o.HTTPClient = &http.Client{Transport: tr} }
}

// TestServeConcurrentClients: 64 clients, each with its own connections,
// page through the same project at once (loopback only, bounded: 640
// requests, 1 minute at most), and every one gets every session.
func TestServeConcurrentClients(t *testing.T) {
	t.Parallel()
	const clients, sessions, pageSize = 64, 500, 50
	st := newServeTest(t, "--project", testProject, "--sessions", "500", "--page-size", "50")
	want := ids(st.fake.Sessions(testProject))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()

	var wg sync.WaitGroup
	errs := make(chan error, clients)
	got := make([][]string, clients)
	for i := range clients {
		c := st.client(ownTransport(t))
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := devicefarm.NewListTestGridSessionsPaginator(c, &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject})
			for s, err := range p.Sessions(ctx) {
				if err != nil {
					errs <- err
					return
				}
				got[i] = append(got[i], s.ID())
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for i := range clients {
		require.Equal(t, want, got[i], "client %d", i)
	}
	assert.Len(t, st.fake.Requests(), clients*sessions/pageSize)
}

// BenchmarkServe50 measures the served fake's throughput for 50-session
// pages: parallel clients (GOMAXPROCS goroutines, each with its own
// connections) walking a 1,000-session project over loopback, SigV4
// signing and verification included. One op is one request.
func BenchmarkServe50(b *testing.B) {
	st := newServeTest(b, "--project", testProject, "--sessions", "1000", "--page-size", "50")
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := st.client(ownTransport(b))
		in := devicefarm.ListTestGridSessionsInput{ProjectArn: testProject}
		for pb.Next() {
			out, err := c.ListTestGridSessions(context.Background(), &in)
			if err != nil {
				b.Error(err)
				return
			}
			if len(out.TestGridSessions) != 50 {
				b.Errorf("page of %d sessions", len(out.TestGridSessions))
				return
			}
			in.NextToken = out.NextToken // the last page has 50 too, then back to the start
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkServeMemory100k measures the heap that serve keeps for 100,000
// sessions loaded with --load (the fake's store and the copy kept for
// resets), reported as MiB and bytes per session.
func BenchmarkServeMemory100k(b *testing.B) {
	const n = 100_000
	file := filepath.Join(b.TempDir(), "sessions.ndjson")
	var ndjson bytes.Buffer
	w := output.NewSessionWriter(output.FormatNDJSON, &ndjson)
	if err := w.WritePage(devicefarmtest.GenerateSessions(testProject, n, 1, testNow)); err != nil {
		b.Fatal(err)
	}
	if err := errors.Join(w.Close(), os.WriteFile(file, ndjson.Bytes(), 0o600)); err != nil {
		b.Fatal(err)
	}
	ndjson = bytes.Buffer{}
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		fake, initial, err := newServeFake(&Options{loads: []string{file}, epoch: testNow, pageSize: 50,
			region: "us-west-2", accessKeyID: "AKID", secretAccessKey: "secret"})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if got := fake.Projects()[0].Sessions; got != n {
			b.Fatalf("%d sessions loaded", got)
		}
		heap := float64(after.HeapAlloc) - float64(before.HeapAlloc)
		b.ReportMetric(heap/(1<<20), "heap-MiB")
		b.ReportMetric(heap/n, "heap-B/session")
		runtime.KeepAlive(initial)
		fake.Close()
	}
}
