package devicefarm

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Client itself: construction (New, NewFromConfig), its defaults, the
// options it copies, and per-call options.

func TestClient_Defaults(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]*Client{
		"New":           New(Options{Credentials: testCredentials()}),
		"NewFromConfig": NewFromConfig(aws.Config{Credentials: testCredentials()}),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, c.resolved.err)
			assert.Equal(t, "us-west-2", c.Options().Region)
			assert.Equal(t, "https://devicefarm.us-west-2.amazonaws.com/", c.resolved.url)
			assert.Equal(t, "devicefarm.us-west-2.amazonaws.com", c.resolved.host)
			assert.Equal(t, "us-west-2", c.resolved.signingRegion)
			assert.Equal(t, 3, c.resolved.retryer.MaxAttempts())
		})
	}
}

func TestNewFromConfig(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var problems []string
	var seen []recordedRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, recordedRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
		if p := verifySigV4(r, body, "eu-west-1"); p != "" {
			problems = append(problems, p)
		}
		mu.Unlock()
		respond(w, 503, []byte(`{"message":"busy"}`))
	}))
	t.Cleanup(srv.Close)

	rec := &recordingDoer{next: srv.Client()}
	cfg := aws.Config{
		Region:           "eu-west-1",
		Credentials:      testCredentials(),
		BaseEndpoint:     aws.String(srv.URL + "/cfg"),
		AppID:            "cfg-app",
		RetryMaxAttempts: 2,
		Retryer:          func() aws.Retryer { return noDelayRetryer(3) },
		HTTPClient:       rec,
	}
	c := NewFromConfig(cfg)

	o := c.Options()
	assert.Equal(t, "eu-west-1", o.Region)
	assert.Equal(t, srv.URL+"/cfg", o.BaseEndpoint)
	assert.Equal(t, "cfg-app", o.AppID)
	assert.Equal(t, 2, o.RetryMaxAttempts)
	assert.Same(t, rec, o.HTTPClient)
	assert.NotNil(t, o.Credentials)

	_, err := c.ListTestGridSessions(context.Background(), testInput())
	require.Error(t, err)
	var maxErr *retry.MaxAttemptsError
	require.True(t, errors.As(err, &maxErr), "got %v", err)
	assert.Equal(t, 2, maxErr.Attempt)
	opErr := requireOperationError(t, err)
	assert.Equal(t, 2, opErr)

	assert.Equal(t, 2, rec.count(), "the configured HTTPClient sends every attempt")
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, problems, "signatures must verify for eu-west-1")
	require.Len(t, seen, 2)
	for i, r := range seen {
		assert.Equal(t, "/cfg/", r.Path)
		assert.Equal(t, fmt.Sprintf("attempt=%d; max=2", i+1), r.Header.Get("Amz-Sdk-Request"))
		assert.True(t, strings.HasSuffix(r.Header.Get("User-Agent"), " app/cfg-app"), "User-Agent %q", r.Header.Get("User-Agent"))
		assert.Contains(t, r.Header.Get("Authorization"), "/eu-west-1/devicefarm/aws4_request")
		assert.Equal(t, testSessionToken, r.Header.Get("X-Amz-Security-Token"))
	}
}

// Options given to NewFromConfig after the aws.Config override it.
func TestNewFromConfig_OptFnsOverrideConfig(t *testing.T) {
	t.Parallel()
	c := NewFromConfig(aws.Config{Region: "eu-west-1", Credentials: testCredentials()}, func(o *Options) { o.Region = "us-west-2" })
	require.NoError(t, c.resolved.err)
	assert.Equal(t, "us-west-2", c.resolved.signingRegion)
}

func TestClient_ZeroOrNilIsAnError(t *testing.T) {
	t.Parallel()
	for _, c := range []*Client{nil, {}} {
		_, err := c.ListTestGridSessions(context.Background(), testInput())
		assert.Equal(t, 0, requireOperationError(t, err))
		assert.ErrorContains(t, err, "create it with devicefarm.New(devicefarm.Options{...}) or devicefarm.NewFromConfig(cfg)")
	}
}

// A client without credentials, or whose provider returns none, fails every
// call before sending anything.
func TestClient_MissingCredentials(t *testing.T) {
	t.Parallel()
	empty := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return aws.Credentials{}, nil })
	for _, tt := range []struct {
		name    string
		client  func(HTTPClient) *Client
		wantErr []string
	}{
		{"New without Credentials", func(hc HTTPClient) *Client { return New(Options{HTTPClient: hc}) }, []string{"no credentials", "Options.Credentials"}},
		{"NewFromConfig without Credentials", func(hc HTTPClient) *Client { return NewFromConfig(aws.Config{HTTPClient: hc}) }, []string{"no credentials"}},
		{"provider returns empty credentials", func(hc HTTPClient) *Client { return New(Options{Credentials: empty, HTTPClient: hc}) }, []string{"no access key"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recordingDoer{}
			_, err := tt.client(rec).ListTestGridSessions(context.Background(), testInput())
			for _, want := range tt.wantErr {
				assert.ErrorContains(t, err, want)
			}
			requireOperationError(t, err)
			assert.Zero(t, rec.count(), "nothing sent")
		})
	}
}

func TestClient_DefaultHTTPClientIsNotDefaultTransport(t *testing.T) {
	c := New(Options{Credentials: testCredentials()})
	hc, ok := c.resolved.httpClient.(*http.Client)
	require.True(t, ok)
	assert.NotSame(t, http.DefaultClient, hc)
	require.NotNil(t, hc.Transport, "a nil Transport means http.DefaultTransport")
	// Compare identities: a deep comparison would read the live transports.
	assert.True(t, hc.Transport != http.DefaultTransport, "the default client must not use http.DefaultTransport")
}

// The default HTTPClient verifies the server's certificate: a call to a
// server it does not trust fails with the verification error after one
// attempt (no retry can fix it) and nothing reaches the server; a client
// that trusts the certificate gets through.
func TestClient_DefaultHTTPClientVerifiesTLS(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		respond(w, 200, []byte(retryOKBody))
	}))
	t.Cleanup(srv.Close)

	_, err := New(Options{BaseEndpoint: srv.URL, Credentials: testCredentials(), Retryer: noDelayRetryer(3)}).
		ListTestGridSessions(context.Background(), testInput())
	var certErr *tls.CertificateVerificationError
	require.ErrorAs(t, err, &certErr)
	assert.Equal(t, 1, requireOperationError(t, err), "no retry can fix an untrusted certificate")
	assert.Zero(t, hits.Load())
	assert.Empty(t, secretLeaks(fmt.Sprintf("%v %+v %#v", err, err, err), nil))

	out, err := New(Options{BaseEndpoint: srv.URL, Credentials: testCredentials(), HTTPClient: srv.Client()}).
		ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)
	assert.Len(t, out.TestGridSessions, 1)
}

// A caller's *http.Client is copied, not changed: its settings other than
// CheckRedirect (its Transport here) are kept.
func TestClient_CallerHTTPClientTransportUsed(t *testing.T) {
	t.Parallel()
	var used atomic.Int32
	hc := &http.Client{Transport: doerFunc(func(r *http.Request) (*http.Response, error) {
		used.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		respond(w, 200, []byte(`{}`))
	}, func(o *Options) { o.HTTPClient = hc })
	_, err := c.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)
	assert.Equal(t, int32(1), used.Load())
	assert.Len(t, ts.Requests(), 1)
	assert.Nil(t, hc.CheckRedirect)
}
