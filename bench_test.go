package devicefarm

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// renderPage renders a realistic page of n sessions: ARNs in the real
// format, epoch-second timestamps with milliseconds, ~200-byte Selenium
// capabilities, ACTIVE sessions without "ended".
func renderPage(n int, nextToken string) []byte {
	var b strings.Builder
	b.WriteString(`{"testGridSessions":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		status, ended := "CLOSED", fmt.Sprintf(`,"ended":%d.%03d`, 1709294400+i*60+45, i%1000)
		if i%5 == 0 {
			status, ended = "ACTIVE", ""
		}
		fmt.Fprintf(&b, `{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/%08x-91f4-4b3a-8c6e-1d2f3a4b5c6d","status":%q,"created":%d.%03d%s,"billingMinutes":%d.%02d,`,
			i, status, 1709294400+i*60, (i*7)%1000, ended, i%30, i%100)
		b.WriteString(`"seleniumProperties":"{\"browserName\":\"chrome\",\"browserVersion\":\"latest\",\"platformName\":\"windows\",\"goog:chromeOptions\":{\"args\":[\"--headless\",\"--disable-gpu\",\"--window-size=1920,1080\"]},\"acceptInsecureCerts\":true}"}`)
	}
	b.WriteString(`]`)
	if nextToken != "" {
		fmt.Fprintf(&b, `,"nextToken":%q`, nextToken)
	}
	b.WriteString(`}`)
	return []byte(b.String())
}

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

// cannedDoer answers every request in memory with the same page, so a
// benchmark measures the client alone (no sockets, no server).
type cannedDoer struct{ page []byte }

func (d cannedDoer) Do(r *http.Request) (*http.Response, error) {
	_, _ = io.Copy(io.Discard, r.Body)
	return &http.Response{
		StatusCode:    200,
		Header:        http.Header{"X-Amzn-Requestid": {"rid"}},
		Body:          io.NopCloser(bytes.NewReader(d.page)),
		ContentLength: int64(len(d.page)),
		Request:       r,
	}, nil
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

type decodeImpl struct {
	name   string
	decode func([]byte, *ListTestGridSessionsOutput) error
}

// decodeImpls are the decoders BenchmarkDecodeOutput compares: the
// package's own (scanner) and encoding/json (reference); building with
// GOEXPERIMENT=jsonv2 adds the encoding/json v2 alternatives.
var decodeImpls = []decodeImpl{{"scanner", decodeOutput}, {"reference", decodeOutputReference}}

// BenchmarkDecodeOutput measures response decoding alone.
func BenchmarkDecodeOutput(b *testing.B) {
	for _, n := range []int{1, 50, 1000} {
		page := renderPage(n, "token")
		for _, impl := range decodeImpls {
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
