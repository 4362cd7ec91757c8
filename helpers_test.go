package devicefarm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

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

// verifySigV4 recomputes the request's signature from the headers it
// claims to have signed and the canary secret, and returns "" when it
// matches, or what is wrong.
func verifySigV4(r *http.Request, body []byte, region string) string {
	auth := r.Header.Get("Authorization")
	const prefix = "AWS4-HMAC-SHA256 "
	if !strings.HasPrefix(auth, prefix) {
		return "no SigV4 Authorization header"
	}
	date := r.Header.Get("X-Amz-Date")
	signingTime, err := time.Parse("20060102T150405Z", date)
	if err != nil {
		return "bad X-Amz-Date " + date
	}
	wantScope := "/" + signingTime.Format("20060102") + "/" + region + "/devicefarm/aws4_request"
	if !strings.Contains(auth, "Credential="+testAccessKey+wantScope+",") {
		return "credential scope is not " + testAccessKey + wantScope + ": " + redactSignature(auth)
	}
	var signed []string
	for _, part := range strings.Split(strings.TrimPrefix(auth, prefix), ", ") {
		if v, ok := strings.CutPrefix(part, "SignedHeaders="); ok {
			signed = strings.Split(v, ";")
		}
	}
	// Rebuild the request with only the signed headers and sign it again.
	re, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	for _, name := range signed {
		switch name {
		case "host", "content-length":
		default:
			re.Header[http.CanonicalHeaderKey(name)] = r.Header.Values(name)
		}
	}
	re.Header.Del("X-Amz-Date")
	re.Header.Del("X-Amz-Security-Token")
	creds := aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey}
	if tok := r.Header.Get("X-Amz-Security-Token"); tok != "" {
		creds.SessionToken = tok
	}
	sum := sha256Hex(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, re, sum, "devicefarm", region, signingTime); err != nil {
		return "re-sign: " + err.Error()
	}
	if got, want := auth, re.Header.Get("Authorization"); got != want {
		return "signature mismatch:\n got  " + redactSignature(got) + "\n want " + redactSignature(want)
	}
	return ""
}

func redactSignature(auth string) string {
	if i := strings.Index(auth, "Signature="); i >= 0 {
		return auth[:i] + "Signature=<" + auth[i+len("Signature="):][:8] + "...>"
	}
	return auth
}

// fixture reads testdata/name.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
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

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
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
