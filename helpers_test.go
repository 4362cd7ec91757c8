package devicefarm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm/internal/sigv4check"
)

// The helpers shared by this package's internal tests, in two files: here
// the canary credentials, the loopback test server that checks every
// request's signature, the in-memory HTTP clients, the test data and the
// secret checks; in cues_test.go what makes events happen on cue.

// Canary credentials: tests assert these strings never leak into errors or logs.
const (
	testAccessKey    = "AKIDCANARY0000000001"
	testSecretKey    = "SECRETCANARY/0000000000000000000000000001"
	testSessionToken = "TOKENCANARY0000000000000000000000000000001"

	testProjectArn = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"

	// testBasePath is a non-empty path prefix on the test endpoint, so a
	// request that ignores the base path fails loudly.
	testBasePath = "/prefix"
)

// The session ARNs of the decode-*.json fixtures.
const (
	decSession1Arn = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/5e7a0c2d-91f4-4b3a-8c6e-1d2f3a4b5c6d"
	decSession2Arn = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"
	decLastArn     = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/c9d8e7f6-a5b4-4c3d-8e2f-1a0b9c8d7e6f"
)

// requireOperationError asserts that err is what every failed call
// returns, a *smithy.OperationError naming the service and operation, and
// returns the call's attempt count.
func requireOperationError(t testing.TB, err error) int {
	t.Helper()
	var oe *smithy.OperationError
	require.ErrorAs(t, err, &oe)
	require.Equal(t, ServiceID, oe.ServiceID)
	require.Equal(t, operationName, oe.OperationName)
	return Attempts(err)
}

func testCredentials() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey, SessionToken: testSessionToken, Source: "test"}, nil
	})
}

// noDelayRetryer is the standard retryer with zero backoff, so retry tests
// do not sleep.
func noDelayRetryer(maxAttempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

// testInput is the input of most calls: the test project, no filters.
func testInput() *ListTestGridSessionsInput {
	return &ListTestGridSessionsInput{ProjectArn: testProjectArn}
}

// fixedClock makes the client sign at a fixed instant.
func fixedClock(at time.Time) func(*Options) {
	return func(o *Options) { o.now = func() time.Time { return at } }
}

// --- The loopback test server and scripted responses.

// recordedRequest is what the test server received.
type recordedRequest struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// testServer is an httptest server that records requests, checks the
// request line and headers every call must have, verifies the SigV4
// signature, and hands the request to a per-test handler.
type testServer struct {
	*httptest.Server
	t       testing.TB
	handler func(w http.ResponseWriter, r *http.Request, body []byte)

	mu       sync.Mutex
	requests []recordedRequest
}

// newTestServer starts a loopback server whose handler is h and returns it
// with a Client pointed at it (under testBasePath), with canary
// credentials and a zero-delay 3-attempt retryer. optFns adjust the client.
func newTestServer(t testing.TB, h func(w http.ResponseWriter, r *http.Request, body []byte), optFns ...func(*Options)) (*testServer, *Client) {
	t.Helper()
	ts := &testServer{t: t, handler: h}
	ts.Server = httptest.NewServer(http.HandlerFunc(ts.serve))
	t.Cleanup(ts.Close)
	opts := Options{
		BaseEndpoint: ts.URL + testBasePath,
		Credentials:  testCredentials(),
		Retryer:      noDelayRetryer(3),
	}
	return ts, New(opts, optFns...)
}

func (ts *testServer) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ts.mu.Lock()
	ts.requests = append(ts.requests, recordedRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	ts.mu.Unlock()

	// Checks every request must pass; failures are reported to the test
	// (not via require, which must not be called off the test goroutine).
	switch {
	case r.Method != http.MethodPost:
		ts.t.Errorf("method = %s, want POST", r.Method)
	case r.URL.Path != testBasePath+"/":
		ts.t.Errorf("path = %q, want %q", r.URL.Path, testBasePath+"/")
	case r.URL.RawQuery != "":
		ts.t.Errorf("unexpected query %q", r.URL.RawQuery)
	case r.Header.Get("Content-Type") != "application/x-amz-json-1.1":
		ts.t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
	case r.Header.Get("X-Amz-Target") != "DeviceFarm_20150623.ListTestGridSessions":
		ts.t.Errorf("X-Amz-Target = %q", r.Header.Get("X-Amz-Target"))
	}
	if err := verifySigV4(r, body, "us-west-2"); err != "" {
		ts.t.Errorf("signature: %s", err)
	}
	ts.handler(w, r, body)
}

// Requests returns a copy of the requests received so far.
func (ts *testServer) Requests() []recordedRequest {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]recordedRequest(nil), ts.requests...)
}

// respond writes status, headers (name, value pairs) and body.
func respond(w http.ResponseWriter, status int, body []byte, headers ...string) {
	for i := 0; i+1 < len(headers); i += 2 {
		w.Header().Set(headers[i], headers[i+1])
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// retryOKBody is a page of one session.
const retryOKBody = `{"testGridSessions":[{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/s1","status":"ACTIVE"}]}`

// retryStep is one scripted response.
type retryStep struct {
	status  int
	body    string
	headers []string // name, value pairs
}

// retryScript answers request n (1-based) with steps[n-1], repeating the
// last step once the script runs out. Each response carries the request ID
// "rid-n".
func retryScript(steps ...retryStep) func(w http.ResponseWriter, r *http.Request, body []byte) {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request, body []byte) {
		i := int(n.Add(1))
		s := steps[min(i, len(steps))-1]
		headers := append([]string{"X-Amzn-RequestId", fmt.Sprintf("rid-%d", i)}, s.headers...)
		respond(w, s.status, []byte(s.body), headers...)
	}
}

var (
	ok200       = retryStep{status: 200, body: retryOKBody}
	unavailable = retryStep{status: 503, body: `{"message":"service unavailable"}`}
)

// abortMidBody writes the status line, headers and a part of the body
// announced with a larger Content-Length, then drops the connection.
func abortMidBody(t testing.TB) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Errorf("response writer cannot hijack")
			return
		}
		conn, buf, err := hj.Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 500\r\nX-Amzn-RequestId: rid-partial\r\n\r\n{\"testGridSessions\":[{\"arn\":")
		_ = buf.Flush()
	}
}

// decodeCall serves body with status and headers to one ListTestGridSessions
// call and returns its result and the number of requests the server saw.
func decodeCall(t *testing.T, status int, body []byte, headers ...string) (*ListTestGridSessionsOutput, int, error) {
	t.Helper()
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		respond(w, status, body, headers...)
	})
	out, err := c.ListTestGridSessions(context.Background(), testInput())
	return out, len(ts.Requests()), err
}

// --- SigV4 verification.

// verifySigV4 checks the request's signature with the fake service's
// verifier (internal/sigv4check), for the canary key pair and session
// token in region; the signing time is not bounded (tests sign at fixed
// instants). It returns "" when the request passes, or why it fails.
func verifySigV4(r *http.Request, body []byte, region string) string {
	f := sigv4check.Verify(r, body, sigv4check.Options{
		Region:          region,
		AccessKeyID:     testAccessKey,
		SecretAccessKey: testSecretKey,
		SessionToken:    testSessionToken,
	})
	if f != nil {
		return f.Error()
	}
	return ""
}

// redactSignature cuts the signature of an Authorization header to its
// first 8 characters, for failure messages.
func redactSignature(auth string) string {
	if i := strings.Index(auth, "Signature="); i >= 0 {
		return auth[:i] + "Signature=<" + auth[i+len("Signature="):][:8] + "...>"
	}
	return auth
}

// verifySigV4Recorded runs verifySigV4 on a request recorded by ts (the
// server already checked it; this makes the check explicit in the test).
func verifySigV4Recorded(ts *testServer, r recordedRequest, region string) string {
	req := httptest.NewRequest(r.Method, r.Path, bytes.NewReader(r.Body))
	req.Host = ts.Listener.Addr().String()
	req.Header = r.Header.Clone()
	return verifySigV4(req, r.Body, region)
}

// --- A scripted paginator client.

// fakePage is one scripted answer: sessions named by ARN and a next token,
// or an error.
type fakePage struct {
	arns []string
	next string
	err  error
}

// scriptedPager answers call n with pages[n-1]; the page's RequestID is
// "rid-n". Calls past the script fail the test.
func scriptedPager(t testing.TB, pages ...fakePage) *fakePagerClient {
	return &fakePagerClient{t: t, fn: func(call int, _ *ListTestGridSessionsInput) (*ListTestGridSessionsOutput, error) {
		if call > len(pages) {
			t.Errorf("unexpected call %d: the script has %d pages", call, len(pages))
			return nil, errors.New("script exhausted")
		}
		p := pages[call-1]
		if p.err != nil {
			return nil, p.err
		}
		out := &ListTestGridSessionsOutput{NextToken: p.next, RequestID: fmt.Sprintf("rid-%d", call)}
		for _, arn := range p.arns {
			out.TestGridSessions = append(out.TestGridSessions, TestGridSession{Arn: arn, Status: TestGridSessionStatusClosed})
		}
		return out, nil
	}}
}

// --- In-memory HTTP clients.

// errNoNetwork is returned by recordingDoer when it has nothing to forward
// to.
var errNoNetwork = errors.New("test: unexpected network I/O")

// doerFunc adapts a function to HTTPClient, and to http.RoundTripper for an
// *http.Client's Transport.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func (f doerFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// recordingDoer is an HTTPClient that records requests and forwards them to
// next (or fails with errNoNetwork when next is nil).
type recordingDoer struct {
	next HTTPClient
	mu   sync.Mutex
	reqs []*http.Request
}

func (c *recordingDoer) Do(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.reqs = append(c.reqs, r)
	c.mu.Unlock()
	if c.next == nil {
		return nil, errNoNetwork
	}
	return c.next.Do(r)
}

func (c *recordingDoer) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.reqs)
}

// cannedDoer answers every request in memory with the same page, so a
// benchmark or an allocation budget measures the client alone (no sockets,
// no server).
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

// --- The paginator's fake client.

// pagerCall is one call the fake client received.
type pagerCall struct {
	ctx    context.Context
	in     ListTestGridSessionsInput // a copy, taken at call time
	optFns []func(*Options)
}

// fakePagerClient is a func-backed ListTestGridSessionsAPIClient that records
// every input it gets. It refuses to answer more than maxCalls calls, so a
// paginator that loops forever fails instead of hanging.
type fakePagerClient struct {
	t        testing.TB
	maxCalls int
	fn       func(call int, in *ListTestGridSessionsInput) (*ListTestGridSessionsOutput, error)

	mu    sync.Mutex
	calls []pagerCall
}

func (f *fakePagerClient) ListTestGridSessions(ctx context.Context, in *ListTestGridSessionsInput, optFns ...func(*Options)) (*ListTestGridSessionsOutput, error) {
	f.mu.Lock()
	f.calls = append(f.calls, pagerCall{ctx: ctx, in: *in, optFns: optFns})
	n := len(f.calls)
	f.mu.Unlock()
	limit := f.maxCalls
	if limit == 0 {
		limit = 100
	}
	if n > limit {
		f.t.Errorf("fake client called %d times (cap %d): the paginator does not stop", n, limit)
		return nil, errors.New("fake client: call cap reached")
	}
	return f.fn(n, in)
}

func (f *fakePagerClient) Calls() []pagerCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]pagerCall(nil), f.calls...)
}

// SentTokens returns the NextToken of every call, in order.
func (f *fakePagerClient) SentTokens() []string {
	var toks []string
	for _, c := range f.Calls() {
		toks = append(toks, c.in.NextToken)
	}
	return toks
}

// SentMaxResults returns the MaxResult of every call, in order.
func (f *fakePagerClient) SentMaxResults() []int32 {
	var ms []int32
	for _, c := range f.Calls() {
		ms = append(ms, c.in.MaxResult)
	}
	return ms
}

func sessionArns(ss []TestGridSession) []string {
	arns := []string{}
	for _, s := range ss {
		arns = append(arns, s.Arn)
	}
	return arns
}

// errWord names a paginator error in a transcript.
func errWord(err error) string {
	switch {
	case errors.Is(err, ErrNoMorePages):
		return "ErrNoMorePages"
	case errors.Is(err, ErrRepeatedNextToken):
		return "ErrRepeatedNextToken"
	case errors.Is(err, ErrPaginatorInUse):
		return "ErrPaginatorInUse"
	}
	return "error: " + err.Error()
}

// --- Test data.

// fixture reads testdata/name.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// fixtures returns the contents of the testdata files matching pattern.
func fixtures(t testing.TB, pattern string) [][]byte {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", pattern))
	require.NoError(t, err)
	require.NotEmpty(t, names, "no testdata/%s", pattern)
	var out [][]byte
	for _, name := range names {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		out = append(out, b)
	}
	return out
}

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

// utcMillis is the time ms milliseconds after the epoch, in UTC, as the
// decoder returns timestamps.
func utcMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// syncBuffer is a bytes.Buffer safe for a logger and a reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// --- Secrets and logs.

// secretLeaks lists which secrets appear in s: the canary credentials and
// the hex signatures the server received. ("Signature=" alone is not a
// secret: the redacted form "Signature=[REDACTED]" is allowed.)
func secretLeaks(s string, signatures []string) []string {
	var leaks []string
	for _, secret := range append([]string{testAccessKey, testSecretKey, testSessionToken}, signatures...) {
		if strings.Contains(s, secret) {
			leaks = append(leaks, secret)
		}
	}
	return leaks
}

// receivedSignatures returns the hex signatures of the requests.
func receivedSignatures(reqs []recordedRequest) []string {
	var sigs []string
	for _, r := range reqs {
		if _, sig, ok := strings.Cut(r.Header.Get("Authorization"), "Signature="); ok && sig != "" {
			sigs = append(sigs, sig)
		}
	}
	return sigs
}
