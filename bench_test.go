package devicefarm

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

func BenchmarkListTestGridSessions(b *testing.B) {
	for _, n := range []int{1, 50, 1000} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			page := renderPage(n, "")
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Amzn-RequestId", "rid")
				_, _ = w.Write(page)
			}))
			defer srv.Close()
			benchmarkCalls(b, New(Options{BaseEndpoint: srv.URL, Credentials: testCredentials()}), page, n)
		})
	}
}

func BenchmarkListTestGridSessionsInMemory(b *testing.B) {
	for _, n := range []int{1, 50, 1000} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			page := renderPage(n, "")
			benchmarkCalls(b, New(Options{BaseEndpoint: "http://127.0.0.1:1", Credentials: testCredentials(), HTTPClient: cannedDoer{page}}), page, n)
		})
	}
}

// benchmarkCalls makes b.N calls with c, each expecting a page of n sessions.
func benchmarkCalls(b *testing.B, c *Client, page []byte, n int) {
	in := &ListTestGridSessionsInput{ProjectArn: testProjectArn, MaxResult: 1000}
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		out, err := c.ListTestGridSessions(ctx, in)
		if err != nil || len(out.TestGridSessions) != n {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeOutput measures response decoding alone: the package's
// decoder ("scanner") beside the encoding/json one it replaced
// ("reference", response_reference_test.go).
func BenchmarkDecodeOutput(b *testing.B) {
	impls := []struct {
		name   string
		decode func([]byte, *ListTestGridSessionsOutput) error
	}{{"scanner", decodeOutput}, {"reference", decodeOutputReference}}
	for _, n := range []int{1, 50, 1000} {
		page := renderPage(n, "token")
		for _, impl := range impls {
			b.Run(fmt.Sprintf("sessions=%d/impl=%s", n, impl.name), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(page)))
				for b.Loop() {
					var out ListTestGridSessionsOutput
					if err := impl.decode(page, &out); err != nil || len(out.TestGridSessions) != n {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
