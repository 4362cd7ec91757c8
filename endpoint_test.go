package devicefarm

import (
	"context"
	"fmt"
	"strings"
	"testing"

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

// BaseEndpoint must be an absolute http(s) URL without credentials, query
// or fragment, and plain http:// is refused off loopback, before any I/O,
// since the signature and session token would travel in clear.
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
		{name: "http IPv6 non-loopback", base: "http://[2001:db8::1]/", wantErr: "plaintext"},
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
			rec := &recordingDoer{}
			c := New(Options{BaseEndpoint: tt.base, Credentials: testCredentials(), HTTPClient: rec, Retryer: noDelayRetryer(1)})
			_, callErr := c.ListTestGridSessions(context.Background(), testInput())

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
			require.ErrorIs(t, callErr, errNoNetwork)
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
			rec := &recordingDoer{}
			c := New(Options{Region: region, Credentials: testCredentials(), HTTPClient: rec})
			for range 2 { // reported by every call
				out, err := c.ListTestGridSessions(context.Background(), testInput())
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
	rec := &recordingDoer{}
	c := New(Options{Region: "us-east-1", Credentials: testCredentials(), HTTPClient: rec, Retryer: noDelayRetryer(1)})
	_, err := c.ListTestGridSessions(context.Background(), testInput(), func(o *Options) { o.Region = "us-west-2" })
	require.ErrorIs(t, err, errNoNetwork)
	require.Equal(t, 1, rec.count())
	assert.Equal(t, "devicefarm.us-west-2.amazonaws.com", rec.reqs[0].URL.Host)
	assert.Contains(t, rec.reqs[0].Header.Get("Authorization"), "/us-west-2/devicefarm/aws4_request")
}
