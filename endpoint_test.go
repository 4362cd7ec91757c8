package devicefarm

import (
	"context"
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
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEndpoint_Resolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		o          Options
		wantURL    string
		wantRegion string
		wantErr    []string // substrings of the error
	}{
		{name: "default", o: Options{Region: "us-west-2"}, wantURL: "https://devicefarm.us-west-2.amazonaws.com/", wantRegion: "us-west-2"},
		{name: "FIPS", o: Options{Region: "us-west-2", UseFIPSEndpoint: true}, wantURL: "https://devicefarm-fips.us-west-2.amazonaws.com/", wantRegion: "us-west-2"},
		{name: "dual-stack", o: Options{Region: "us-west-2", UseDualStackEndpoint: true}, wantURL: "https://devicefarm.us-west-2.api.aws/", wantRegion: "us-west-2"},
		{name: "FIPS and dual-stack", o: Options{Region: "us-west-2", UseFIPSEndpoint: true, UseDualStackEndpoint: true}, wantURL: "https://devicefarm-fips.us-west-2.api.aws/", wantRegion: "us-west-2"},
		{name: "fips- pseudo region", o: Options{Region: "fips-us-west-2"}, wantURL: "https://devicefarm-fips.us-west-2.amazonaws.com/", wantRegion: "us-west-2"},
		{name: "-fips pseudo region", o: Options{Region: "us-west-2-fips"}, wantURL: "https://devicefarm-fips.us-west-2.amazonaws.com/", wantRegion: "us-west-2"},
		{name: "fips pseudo region with dual-stack", o: Options{Region: "fips-us-west-2", UseDualStackEndpoint: true}, wantURL: "https://devicefarm-fips.us-west-2.api.aws/", wantRegion: "us-west-2"},
		{name: "us-east-1 not served", o: Options{Region: "us-east-1"}, wantErr: []string{`"us-east-1"`, "us-west-2", "BaseEndpoint"}},
		{name: "eu-west-1 not served", o: Options{Region: "eu-west-1"}, wantErr: []string{`"eu-west-1"`, "us-west-2"}},
		{name: "us-east-1-fips not served", o: Options{Region: "us-east-1-fips"}, wantErr: []string{"us-east-1", "us-west-2"}},
		{name: "invalid region with space", o: Options{Region: "us west"}, wantErr: []string{"invalid region", `"us west"`}},
		{name: "invalid region with dot", o: Options{Region: "us-west-2.evil.example"}, wantErr: []string{"invalid region"}},
		{name: "invalid region with slash", o: Options{Region: "us-west-2/x"}, wantErr: []string{"invalid region"}},
		{name: "invalid region leading hyphen", o: Options{Region: "-us-west-2"}, wantErr: []string{"invalid region"}},
		{name: "empty region", o: Options{Region: ""}, wantErr: []string{"invalid region"}},
		{name: "region too long", o: Options{Region: strings.Repeat("a", 64)}, wantErr: []string{"invalid region"}},
		{name: "BaseEndpoint with FIPS", o: Options{Region: "us-west-2", BaseEndpoint: "https://example.com", UseFIPSEndpoint: true}, wantErr: []string{"Invalid Configuration: FIPS and custom endpoint are not supported"}},
		{name: "BaseEndpoint with fips pseudo region", o: Options{Region: "fips-us-west-2", BaseEndpoint: "https://example.com"}, wantErr: []string{"Invalid Configuration: FIPS and custom endpoint are not supported"}},
		{name: "BaseEndpoint with dual-stack", o: Options{Region: "us-west-2", BaseEndpoint: "https://example.com", UseDualStackEndpoint: true}, wantErr: []string{"Invalid Configuration: Dualstack and custom endpoint are not supported"}},
		{name: "BaseEndpoint allows another region", o: Options{Region: "eu-west-1", BaseEndpoint: "https://devicefarm.example.test"}, wantURL: "https://devicefarm.example.test/", wantRegion: "eu-west-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, region, err := resolveEndpoint(tt.o)
			if len(tt.wantErr) > 0 {
				require.Error(t, err)
				assert.Nil(t, u)
				for _, s := range tt.wantErr {
					assert.Contains(t, err.Error(), s)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantURL, u.String())
			assert.Equal(t, tt.wantRegion, region)
		})
	}
}

func TestEndpoint_DefaultClientResolvesToUSWest2(t *testing.T) {
	t.Parallel()
	c := New(Options{Credentials: testCredentials()})
	require.NoError(t, c.resolved.err)
	assert.Equal(t, "https://devicefarm.us-west-2.amazonaws.com/", c.resolved.url)
	assert.Equal(t, "devicefarm.us-west-2.amazonaws.com", c.resolved.host)
	assert.Equal(t, "us-west-2", c.resolved.signingRegion)
	assert.Equal(t, "us-west-2", c.Options().Region)
}

func TestEndpoint_BaseEndpoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		base    string
		want    string
		wantErr string
		secret  string // must not appear in the error
	}{
		{name: "http 127.0.0.1", base: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080/"},
		{name: "http 127.x loopback", base: "http://127.8.9.10:1", want: "http://127.8.9.10:1/"},
		{name: "http localhost", base: "http://localhost:8080", want: "http://localhost:8080/"},
		{name: "http LOCALHOST", base: "http://LOCALHOST:8080", want: "http://LOCALHOST:8080/"},
		{name: "http ::1", base: "http://[::1]:8080", want: "http://[::1]:8080/"},
		{name: "http loopback no port", base: "http://127.0.0.1", want: "http://127.0.0.1/"},
		{name: "https any host", base: "https://example.com", want: "https://example.com/"},
		{name: "https with port", base: "https://example.com:8443", want: "https://example.com:8443/"},
		{name: "base path", base: "https://example.com/api", want: "https://example.com/api/"},
		{name: "base path trailing slash", base: "http://127.0.0.1:9/api/", want: "http://127.0.0.1:9/api/"},
		{name: "base path repeated slashes", base: "http://127.0.0.1:9/api//", want: "http://127.0.0.1:9/api/"},
		{name: "root slash", base: "https://example.com/", want: "https://example.com/"},
		{name: "http non-loopback", base: "http://example.com", wantErr: "plaintext"},
		{name: "http localhost lookalike", base: "http://localhost.example.com:80", wantErr: "plaintext"},
		{name: "http 127 lookalike", base: "http://127.0.0.1.nip.io", wantErr: "plaintext"},
		{name: "http private address", base: "http://10.0.0.1:8080", wantErr: "plaintext"},
		{name: "http unspecified", base: "http://0.0.0.0:8080", wantErr: "plaintext"},
		{name: "ftp", base: "ftp://example.com", wantErr: "scheme"},
		{name: "no scheme", base: "example.com", wantErr: "scheme"},
		{name: "no host", base: "https://", wantErr: "no host"},
		{name: "userinfo https", base: "https://user:s3cretPW@example.com", wantErr: "user information", secret: "s3cretPW"},
		{name: "userinfo http loopback", base: "http://admin:s3cretPW@127.0.0.1:8080", wantErr: "user information", secret: "s3cretPW"},
		{name: "user without password", base: "https://someone@example.com", wantErr: "user information"},
		{name: "query", base: "https://example.com/?a=b", wantErr: "query"},
		{name: "fragment", base: "https://example.com/#frag", wantErr: "fragment"},
		{name: "unparseable", base: "https://exa mple.com", wantErr: "invalid endpoint in BaseEndpoint"},
		{
			name: "unparseable with userinfo", base: "https://user:s3cretPW@exa mple.com", wantErr: "invalid endpoint in BaseEndpoint", secret: "s3cretPW",
		},
		{
			name: "bad port with userinfo", base: "https://user:s3cretPW@example.com:abc", wantErr: "invalid endpoint in BaseEndpoint", secret: "s3cretPW",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Through resolveEndpoint, and through a client's first call.
			u, region, err := resolveEndpoint(Options{Region: "us-west-2", BaseEndpoint: tt.base})
			rec := &wireRecordingHTTPClient{}
			c := New(Options{BaseEndpoint: tt.base, Credentials: testCredentials(), HTTPClient: rec, Retryer: noDelayRetryer(1)})
			_, callErr := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})

			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Nil(t, u)
				assert.Contains(t, err.Error(), tt.wantErr)
				require.Error(t, callErr)
				assert.Contains(t, callErr.Error(), tt.wantErr)
				if tt.secret != "" {
					assert.NotContains(t, err.Error(), tt.secret)
					assert.NotContains(t, callErr.Error(), tt.secret)
				}
				assert.Zero(t, rec.count(), "no request for a refused endpoint")
				opErr := requireOperationError(t, callErr)
				assert.Equal(t, 0, opErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, u.String())
			assert.Equal(t, "us-west-2", region)
			// The recording client has nowhere to send to, so the call
			// fails, but only after the request was built for the URL.
			require.ErrorIs(t, callErr, errWireTest)
			require.Equal(t, 1, rec.count())
			assert.Equal(t, tt.want, rec.reqs[0].URL.String())
		})
	}
}

func TestEndpoint_UnservedRegionFailsWithoutNetworkIO(t *testing.T) {
	t.Parallel()
	for _, region := range []string{"us-east-1", "eu-west-1", "us west"} {
		t.Run(region, func(t *testing.T) {
			t.Parallel()
			rec := &wireRecordingHTTPClient{}
			c := New(Options{Region: region, Credentials: testCredentials(), HTTPClient: rec})
			for range 2 { // reported by every call
				out, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
				require.Error(t, err)
				assert.Nil(t, out)
				assert.Contains(t, err.Error(), fmt.Sprintf("%q", region))
				if region != "us west" {
					assert.Contains(t, err.Error(), "only available in us-west-2")
				}
				opErr := requireOperationError(t, err)
				assert.Equal(t, 0, opErr)
			}
			assert.Zero(t, rec.count())
		})
	}

	// A per-call option can fix the region.
	rec := &wireRecordingHTTPClient{}
	c := New(Options{Region: "us-east-1", Credentials: testCredentials(), HTTPClient: rec, Retryer: noDelayRetryer(1)})
	_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn}, func(o *Options) { o.Region = "us-west-2" })
	require.ErrorIs(t, err, errWireTest)
	require.Equal(t, 1, rec.count())
	assert.Equal(t, "devicefarm.us-west-2.amazonaws.com", rec.reqs[0].URL.Host)
	assert.Contains(t, rec.reqs[0].Header.Get("Authorization"), "/us-west-2/devicefarm/aws4_request")
}

func TestEndpoint_MissingCredentials(t *testing.T) {
	t.Parallel()
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		respond(w, 200, []byte(`{}`))
	}, func(o *Options) { o.Credentials = nil })
	_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no credentials")
	assert.Contains(t, err.Error(), "Options.Credentials")
	opErr := requireOperationError(t, err)
	assert.Equal(t, 0, opErr)
	assert.Empty(t, ts.Requests())
}

func TestEndpoint_EmptyCredentials(t *testing.T) {
	t.Parallel()
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		respond(w, 200, []byte(`{}`))
	}, func(o *Options) {
		o.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{}, nil
		})
	})
	_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no access key")
	assert.Empty(t, ts.Requests())
}

// epRedirectTarget counts requests that reach a server a 307 points to.
func epRedirectTarget(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		respond(w, 200, []byte(`{"testGridSessions":[]}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestEndpoint_RedirectsNotFollowed(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		for _, mode := range []string{"default client", "caller *http.Client", "caller *http.Client with CheckRedirect", "awshttp.BuildableClient", "caller Doer that follows"} {
			t.Run(fmt.Sprintf("%d %s", status, mode), func(t *testing.T) {
				t.Parallel()
				target, hits := epRedirectTarget(t)
				followed := false
				var hc HTTPClient
				switch mode {
				case "caller *http.Client":
					hc = &http.Client{}
				case "caller *http.Client with CheckRedirect":
					hc = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { followed = true; return nil }}
				case "awshttp.BuildableClient":
					hc = awshttp.NewBuildableClient()
				case "caller Doer that follows":
					hc = epDoerFunc((&http.Client{}).Do)
				}
				ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
					respond(w, status, nil, "Location", target.URL+"/stolen", "X-Amzn-RequestId", "rid-redirect")
				}, func(o *Options) {
					if hc != nil {
						o.HTTPClient = hc
					}
				})
				var origCheck func(*http.Request, []*http.Request) error
				if c, ok := hc.(*http.Client); ok {
					origCheck = c.CheckRedirect
				}

				_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
				require.Error(t, err)
				var re *RedirectError
				require.ErrorAs(t, err, &re)
				assert.Len(t, ts.Requests(), 1, "not retried")
				assert.NotContains(t, err.Error(), testSessionToken)
				if mode == "caller Doer that follows" {
					// The caller's Doer is its own: the request went, and the
					// call says so.
					assert.True(t, re.Followed)
					assert.Equal(t, target.URL+"/stolen", re.Location)
					assert.Contains(t, err.Error(), "followed a redirect to "+target.URL+"/stolen")
					if status != http.StatusFound { // a 302 turns the POST into a GET
						assert.Equal(t, int32(1), hits.Load())
					}
					return
				}
				assert.False(t, re.Followed)
				assert.Equal(t, status, re.StatusCode)
				assert.Equal(t, target.URL+"/stolen", re.Location)
				assert.Contains(t, err.Error(), fmt.Sprintf("StatusCode: %d, RequestID: rid-redirect, redirect (HTTP %d) to %s/stolen not followed", status, status, target.URL))
				assert.Zero(t, hits.Load(), "the signed request reached the redirect target")
				assert.False(t, followed, "the caller's CheckRedirect was consulted")

				if hc, ok := hc.(*http.Client); ok {
					// The caller's client is not mutated.
					if origCheck == nil {
						assert.Nil(t, hc.CheckRedirect)
					} else {
						assert.NotNil(t, hc.CheckRedirect)
					}
					assert.Same(t, hc, c.Options().HTTPClient)
				}
			})
		}
	}
}

type epDoerFunc func(*http.Request) (*http.Response, error)

func (f epDoerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// The caller's *http.Client settings other than CheckRedirect are kept.
func TestEndpoint_CallerHTTPClientTransportUsed(t *testing.T) {
	t.Parallel()
	var used atomic.Int32
	hc := &http.Client{Transport: epRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		used.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		respond(w, 200, []byte(`{}`))
	}, func(o *Options) { o.HTTPClient = hc })
	_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
	require.NoError(t, err)
	assert.Equal(t, int32(1), used.Load())
	assert.Len(t, ts.Requests(), 1)
	assert.Nil(t, hc.CheckRedirect)
}

type epRoundTripperFunc func(*http.Request) (*http.Response, error)

func (f epRoundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// epConfigSource mimics a config source from config.LoadDefaultConfig.
type epConfigSource struct {
	fips aws.FIPSEndpointState
	ds   aws.DualStackEndpointState
}

func (s epConfigSource) GetUseFIPSEndpoint(context.Context) (aws.FIPSEndpointState, bool, error) {
	return s.fips, s.fips != aws.FIPSEndpointStateUnset, nil
}

func (s epConfigSource) GetUseDualStackEndpoint(context.Context) (aws.DualStackEndpointState, bool, error) {
	return s.ds, s.ds != aws.DualStackEndpointStateUnset, nil
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

	rec := &wireRecordingHTTPClient{next: srv.Client()}
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

	_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
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

func TestNewFromConfig_Defaults(t *testing.T) {
	t.Parallel()
	t.Run("no credentials", func(t *testing.T) {
		t.Parallel()
		rec := &wireRecordingHTTPClient{}
		c := NewFromConfig(aws.Config{Region: "us-west-2", HTTPClient: rec})
		_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "no credentials")
		assert.Zero(t, rec.count())
	})
	t.Run("empty config uses us-west-2 and 3 attempts", func(t *testing.T) {
		t.Parallel()
		c := NewFromConfig(aws.Config{Credentials: testCredentials()})
		assert.Equal(t, "us-west-2", c.Options().Region)
		assert.Equal(t, "https://devicefarm.us-west-2.amazonaws.com/", c.resolved.url)
		assert.Equal(t, 3, c.resolved.retryer.MaxAttempts())
	})
	t.Run("FIPS and dual-stack from config sources", func(t *testing.T) {
		t.Parallel()
		c := NewFromConfig(aws.Config{
			Region:        "us-west-2",
			Credentials:   testCredentials(),
			ConfigSources: []any{epConfigSource{fips: aws.FIPSEndpointStateEnabled}, epConfigSource{ds: aws.DualStackEndpointStateEnabled}},
		})
		assert.True(t, c.Options().UseFIPSEndpoint)
		assert.True(t, c.Options().UseDualStackEndpoint)
		assert.Equal(t, "https://devicefarm-fips.us-west-2.api.aws/", c.resolved.url)
	})
	t.Run("disabled FIPS in config sources", func(t *testing.T) {
		t.Parallel()
		c := NewFromConfig(aws.Config{
			Region:        "us-west-2",
			Credentials:   testCredentials(),
			ConfigSources: []any{epConfigSource{fips: aws.FIPSEndpointStateDisabled}, "not a source"},
		})
		assert.False(t, c.Options().UseFIPSEndpoint)
		assert.Equal(t, "https://devicefarm.us-west-2.amazonaws.com/", c.resolved.url)
	})
	t.Run("optFns override config", func(t *testing.T) {
		t.Parallel()
		c := NewFromConfig(aws.Config{Region: "eu-west-1", Credentials: testCredentials()}, func(o *Options) { o.Region = "us-west-2" })
		require.NoError(t, c.resolved.err)
		assert.Equal(t, "us-west-2", c.resolved.signingRegion)
	})
}
