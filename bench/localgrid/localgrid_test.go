package localgrid

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/testgridkit/devicefarm/devicefarmtest"
	"github.com/testgridkit/devicefarm/internal/chromedriver"
)

// The figures of SERVE.md's "Local test grid figures": run with
//
//	cd bench && go test -run '^$' -bench . -benchtime 40x ./localgrid
//
// Each benchmark needs /usr/bin/chromedriver (Debian's chromium-driver).

const project = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"

// hubs starts chromedriver and a fake grid in front of it and returns both
// remote ends: "direct" (chromedriver's own URL) and "grid".
func hubs(b *testing.B) map[string]string {
	b.Helper()
	if _, err := os.Stat(chromedriver.DefaultPath); err != nil {
		b.Skip("no " + chromedriver.DefaultPath)
	}
	d, err := chromedriver.Start(chromedriver.DefaultPath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(d.Stop)
	srv := devicefarmtest.NewServer(func(o *devicefarmtest.Options) { o.WebDriverURL = d.URL })
	b.Cleanup(srv.Close)
	srv.AddProject(devicefarmtest.Project{Arn: project})
	u, err := srv.TestGridURL(project, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	return map[string]string{"direct": d.URL, "grid": u}
}

// quantile returns the q quantile of sorted durations.
func quantile(ds []time.Duration, q float64) time.Duration {
	return ds[min(len(ds)-1, int(q*float64(len(ds))))]
}

// BenchmarkSessionStart: New Session to a ready browser, through the grid
// and straight to chromedriver (ms, median and p95).
func BenchmarkSessionStart(b *testing.B) {
	h := hubs(b)
	for _, via := range []string{"direct", "grid"} {
		b.Run("via="+via, func(b *testing.B) {
			var ds []time.Duration
			for b.Loop() {
				start := time.Now()
				s, err := Start(h[via], map[string]any{"browserName": "chrome"})
				if err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
				b.StopTimer()
				if err := s.Quit(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			slices.Sort(ds)
			b.ReportMetric(float64(quantile(ds, 0.5).Microseconds())/1000, "median-ms")
			b.ReportMetric(float64(quantile(ds, 0.95).Microseconds())/1000, "p95-ms")
		})
	}
}

// BenchmarkCommand: one cheap command (Get Title) on an open session,
// through the grid and straight to chromedriver (µs, p50 and p99); the
// difference is what the grid adds.
func BenchmarkCommand(b *testing.B) {
	h := hubs(b)
	for _, via := range []string{"direct", "grid"} {
		b.Run("via="+via, func(b *testing.B) {
			s, err := Start(h[via], map[string]any{"browserName": "chrome"})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Quit()
			if _, err := s.Do(http.MethodPost, "/url", map[string]any{"url": "data:text/html,<title>t</title>"}); err != nil {
				b.Fatal(err)
			}
			var ds []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := s.Do(http.MethodGet, "/title", nil); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
			}
			slices.Sort(ds)
			b.ReportMetric(float64(quantile(ds, 0.5).Microseconds()), "p50-µs")
			b.ReportMetric(float64(quantile(ds, 0.99).Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkParallelSessions: N sessions at once through the grid, each
// loading a small page and reading an element per iteration; ms per page
// (median over all sessions) shows where the cores run out.
func BenchmarkParallelSessions(b *testing.B) {
	h := hubs(b)
	for _, n := range []int{1, 2, 4, 8, 16} {
		b.Run(fmt.Sprint("sessions=", n), func(b *testing.B) {
			sessions := make([]*Session, n)
			for i := range sessions {
				s, err := Start(h["grid"], map[string]any{"browserName": "chrome"})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Quit()
				sessions[i] = s
			}
			var mu sync.Mutex
			var ds []time.Duration
			for b.Loop() {
				var wg sync.WaitGroup
				for i, s := range sessions {
					wg.Go(func() {
						start := time.Now()
						page := fmt.Sprintf("data:text/html,<title>%d</title><ul>%s</ul>", i, longList)
						if _, err := s.Do(http.MethodPost, "/url", map[string]any{"url": page}); err != nil {
							b.Error(err)
						}
						if _, err := s.Do(http.MethodPost, "/element", map[string]any{"using": "css selector", "value": "li:last-child"}); err != nil {
							b.Error(err)
						}
						mu.Lock()
						ds = append(ds, time.Since(start))
						mu.Unlock()
					})
				}
				wg.Wait()
			}
			slices.Sort(ds)
			b.ReportMetric(float64(quantile(ds, 0.5).Microseconds())/1000, "page-median-ms")
			b.ReportMetric(float64(quantile(ds, 0.95).Microseconds())/1000, "page-p95-ms")
		})
	}
}

var longList = func() string {
	s := ""
	for i := range 200 {
		s += fmt.Sprintf("<li>item %d</li>", i)
	}
	return s
}()

// BenchmarkProxyOverhead isolates what the grid adds to a command: the
// same Get Title against a driver that answers at once (no browser),
// straight and through the grid (µs, p50 and p99).
func BenchmarkProxyOverhead(b *testing.B) {
	driver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/session" {
			_, _ = io.WriteString(w, `{"value":{"sessionId":"0123456789abcdef","capabilities":{"browserName":"chrome"}}}`)
			return
		}
		_, _ = io.WriteString(w, `{"value":"title"}`)
	}))
	b.Cleanup(driver.Close)
	srv := devicefarmtest.NewServer(func(o *devicefarmtest.Options) { o.WebDriverURL = driver.URL })
	b.Cleanup(srv.Close)
	srv.AddProject(devicefarmtest.Project{Arn: project})
	u, err := srv.TestGridURL(project, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ via, hub string }{{"direct", driver.URL}, {"grid", u}} {
		b.Run("via="+tc.via, func(b *testing.B) {
			s, err := Start(tc.hub, nil)
			if err != nil {
				b.Fatal(err)
			}
			var ds []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := s.Do(http.MethodGet, "/title", nil); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
			}
			slices.Sort(ds)
			b.ReportMetric(float64(quantile(ds, 0.5).Microseconds()), "p50-µs")
			b.ReportMetric(float64(quantile(ds, 0.99).Microseconds()), "p99-µs")
		})
	}
}
