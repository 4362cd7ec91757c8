package devicefarm

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// uuidV4 matches a lower-case RFC 4122 version 4 UUID.
var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// officialSignedHeaders is the SignedHeaders list the official SDK produces for
// this operation with a session token (spec §1).
const officialSignedHeaders = "amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target"

func TestRequestHeaders(t *testing.T) {
	t.Parallel()
	signAt := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		respond(w, 200, []byte(`{"testGridSessions":[]}`), "X-Amzn-RequestId", "rid-wire")
	}, fixedClock(signAt))

	_, err := c.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)

	reqs := ts.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	h := r.Header

	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, testBasePath+"/", r.Path)
	assert.Equal(t, []string{"application/x-amz-json-1.1"}, h.Values("Content-Type"))
	assert.Equal(t, []string{"DeviceFarm_20150623.ListTestGridSessions"}, h.Values("X-Amz-Target"))
	assert.Equal(t, `{"projectArn":"`+testProjectArn+`"}`, string(r.Body))

	ua := h.Get("User-Agent")
	assert.True(t, strings.HasPrefix(ua, "testgridkit-devicefarm/"+Version+" "), "User-Agent %q", ua)
	assert.Contains(t, ua, " lang/go#")
	assert.NotContains(t, ua, "app/", "no AppID configured")

	assert.Equal(t, "attempt=1; max=3", h.Get("Amz-Sdk-Request"))
	assert.Regexp(t, uuidV4, h.Get("Amz-Sdk-Invocation-Id"))
	assert.Equal(t, []string{testSessionToken}, h.Values("X-Amz-Security-Token"))
	assert.Equal(t, "20240301T120000Z", h.Get("X-Amz-Date"))

	auth := h.Get("Authorization")
	wantPrefix := "AWS4-HMAC-SHA256 Credential=" + testAccessKey + "/20240301/us-west-2/devicefarm/aws4_request, SignedHeaders=" + officialSignedHeaders + ", Signature="
	require.True(t, strings.HasPrefix(auth, wantPrefix), "Authorization = %q", redactSignature(auth))
	assert.Regexp(t, `^[0-9a-f]{64}$`, strings.TrimPrefix(auth, wantPrefix))
	assert.Empty(t, verifySigV4Recorded(ts, r, "us-west-2"))

	_, hasContentSha := h["X-Amz-Content-Sha256"]
	assert.False(t, hasContentSha, "X-Amz-Content-Sha256 must not be sent")
	assert.Empty(t, h.Values("X-Amzn-Trace-Id"))
}

func TestRequestHeaders_AppIDInUserAgent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		appID  string
		wantUA string // expected suffix of User-Agent; "" means no app/ part
	}{
		{name: "plain", appID: "my-app_1.0", wantUA: " app/my-app_1.0"},
		{name: "token punctuation kept", appID: "a!#$%&'*+-.^_`|~z", wantUA: " app/a!#$%&'*+-.^_`|~z"},
		{name: "header injection neutralised", appID: "a\r\nX-Evil: 1", wantUA: " app/a--X-Evil--1"},
		{name: "non-ASCII replaced", appID: "café/1", wantUA: " app/caf--1"},
		{name: "truncated to 50", appID: strings.Repeat("x", 60), wantUA: " app/" + strings.Repeat("x", 50)},
		{name: "empty", appID: "", wantUA: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				respond(w, 200, []byte(`{}`))
			}, func(o *Options) { o.AppID = tt.appID })
			_, err := c.ListTestGridSessions(context.Background(), testInput())
			require.NoError(t, err)
			reqs := ts.Requests()
			require.Len(t, reqs, 1)
			h := reqs[0].Header
			ua := h.Get("User-Agent")
			assert.Len(t, h.Values("User-Agent"), 1)
			assert.False(t, strings.ContainsAny(ua, "\r\n"), "User-Agent %q", ua)
			assert.Empty(t, h.Values("X-Evil"), "AppID injected a header")
			if tt.wantUA == "" {
				assert.NotContains(t, ua, "app/")
				return
			}
			assert.True(t, strings.HasSuffix(ua, tt.wantUA), "User-Agent %q, want suffix %q", ua, tt.wantUA)
			assert.True(t, strings.HasPrefix(ua, "testgridkit-devicefarm/"), "User-Agent %q", ua)
		})
	}
}

func TestRequestHeaders_RetryAttemptsShareInvocationIDAndAreResigned(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if n.Add(1) <= 2 {
			respond(w, http.StatusServiceUnavailable, []byte(`{"__type":"ServiceUnavailableException","message":"busy"}`), "X-Amzn-RequestId", "rid-busy")
			return
		}
		respond(w, 200, []byte(`{"testGridSessions":[]}`), "X-Amzn-RequestId", "rid-ok")
	})
	in := &ListTestGridSessionsInput{ProjectArn: testProjectArn, MaxResult: 7}

	out, err := c.ListTestGridSessions(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, "rid-ok", out.RequestID)

	reqs := ts.Requests()
	require.Len(t, reqs, 3)
	id := reqs[0].Header.Get("Amz-Sdk-Invocation-Id")
	require.Regexp(t, uuidV4, id)
	auths := map[string]bool{}
	for i, r := range reqs {
		h := r.Header
		assert.Equal(t, id, h.Get("Amz-Sdk-Invocation-Id"), "attempt %d", i+1)
		assert.Equal(t, fmt.Sprintf("attempt=%d; max=3", i+1), h.Get("Amz-Sdk-Request"))
		assert.Equal(t, testSessionToken, h.Get("X-Amz-Security-Token"))
		assert.Equal(t, string(reqs[0].Body), string(r.Body), "same body on every attempt")
		assert.Empty(t, verifySigV4Recorded(ts, r, "us-west-2"), "attempt %d", i+1)
		auth := h.Get("Authorization")
		assert.False(t, auths[auth], "attempt %d reuses an earlier signature", i+1)
		auths[auth] = true
	}

	// A second call gets a fresh invocation ID.
	_, err = c.ListTestGridSessions(context.Background(), in)
	require.NoError(t, err)
	reqs = ts.Requests()
	require.Len(t, reqs, 4)
	id2 := reqs[3].Header.Get("Amz-Sdk-Invocation-Id")
	assert.Regexp(t, uuidV4, id2)
	assert.NotEqual(t, id, id2)
	assert.Equal(t, "attempt=1; max=3", reqs[3].Header.Get("Amz-Sdk-Request"))
}

func TestRequestHeaders_InvocationIDsAreDistinctUUIDv4(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		id := newInvocationID()
		require.Regexp(t, uuidV4, id)
		require.False(t, seen[id], "duplicate invocation id %s", id)
		seen[id] = true
	}
}
