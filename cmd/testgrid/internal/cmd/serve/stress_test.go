package serve

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go"
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

// TestServeListingsDuringResets is issue 20, row 2 against serve's handler:
// walkers page a large seeded project with the library's paginator while
// POST /_testgrid/reset {"data":true} runs between their pages. Each walk
// ends complete (every session, once, in order) or with the
// ArgumentException for a nextToken issued before a reset; never a short or
// empty listing, never "its position is unknown", never NotFound. A reset
// that cleared the data and then reloaded it would fail here: a first page
// landing between the two steps is a 200 with no sessions and no
// nextToken (a short walk), a later one gets NotFound or an unknown
// position. Bounded: each reset waits for a page served since the last one,
// at most resets of them, and each walker walks walks times; as one reset
// interrupts at most one walk per walker and walks > resets, every walker
// also completes some.
func TestServeListingsDuringResets(t *testing.T) {
	t.Parallel()
	const sessions, pageSize, walkers, walks, resets = 5000, 250, 3, 12, 10
	st := newServeTest(t, "--project", testProject, "--sessions", "5000")
	want := ids(st.fake.Sessions(testProject))
	require.Len(t, want, sessions)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()

	paged := make(chan struct{}, 1) // a page was served since the last reset
	walkersDone := make(chan struct{})
	resetsDone := make(chan int, 1)
	go func() {
		n := 0
		defer func() { resetsDone <- n }()
		for n < resets {
			select {
			case <-walkersDone:
				return
			case <-paged:
			}
			// Not st.control: its require calls belong to the test's goroutine.
			resp, err := st.http.Post(st.url+controlPrefix+"/reset", "application/json", strings.NewReader(`{"data":true}`))
			if !assert.NoError(t, err) {
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if !assert.Equal(t, http.StatusOK, resp.StatusCode) {
				return
			}
			n++
		}
	}()

	type outcome struct{ complete, refused int }
	outcomes := make([]outcome, walkers)
	var wg sync.WaitGroup
	for w := range walkers {
		c := st.client(ownTransport(t))
		wg.Go(func() {
			for range walks {
				var got []string
				p := devicefarm.NewListTestGridSessionsPaginator(c, &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject},
					func(o *devicefarm.ListTestGridSessionsPaginatorOptions) { o.Limit = pageSize })
				var err error
				for page, perr := range p.Pages(ctx) {
					if err = perr; err != nil {
						break
					}
					for _, s := range page.TestGridSessions {
						got = append(got, s.ID())
					}
					select {
					case paged <- struct{}{}:
					default:
					}
				}
				if err == nil {
					if !assert.Equal(t, sessions, len(got), "walker %d: a walk that ends without an error lists every session", w) ||
						!assert.True(t, slices.Equal(want, got), "walker %d: every session once, in order", w) {
						return
					}
					outcomes[w].complete++
					continue
				}
				var ae smithy.APIError
				if !assert.ErrorAs(t, err, &ae, "walker %d", w) ||
					!assert.Equal(t, "ArgumentException", ae.ErrorCode(), "walker %d: %v", w, err) ||
					!assert.Contains(t, ae.ErrorMessage(), "the data was reset", "walker %d", w) ||
					!assert.NotEmpty(t, got, "walker %d: only a nextToken is refused, after a first page", w) {
					return
				}
				outcomes[w].refused++
			}
		})
	}
	wg.Wait()
	close(walkersDone)
	n := <-resetsDone
	t.Logf("%d resets; walks complete and refused per walker: %v", n, outcomes)
	assert.Positive(t, n, "resets ran between pages")
	for w, o := range outcomes {
		assert.Equal(t, walks, o.complete+o.refused, "walker %d", w)
		assert.GreaterOrEqual(t, o.complete, walks-n, "walker %d: a reset interrupts one walk at most", w)
	}
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
