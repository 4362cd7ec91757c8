package devicefarm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	smithyjson "github.com/aws/smithy-go/encoding/json"
	smithytime "github.com/aws/smithy-go/time"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wireUUIDv4 matches a lower-case RFC 4122 version 4 UUID.
var wireUUIDv4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// wireSignedHeaders is the SignedHeaders list the official SDK produces for
// this operation with a session token (spec §1).
const wireSignedHeaders = "amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target"

// wireFixedClock makes the client sign at a fixed instant.
func wireFixedClock(at time.Time) func(*Options) {
	return func(o *Options) { o.now = func() time.Time { return at } }
}

func TestListTestGridSessions_SignedRequest(t *testing.T) {
	t.Parallel()
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		respond(w, 200, []byte(`{"testGridSessions":[]}`), "X-Amzn-RequestId", "rid-1")
	})
	out, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
	require.NoError(t, err)
	require.Equal(t, "rid-1", out.RequestID)
	require.Len(t, ts.Requests(), 1)
}

func TestWire_RequestLineAndHeaders(t *testing.T) {
	t.Parallel()
	signAt := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		respond(w, 200, []byte(`{"testGridSessions":[]}`), "X-Amzn-RequestId", "rid-wire")
	}, wireFixedClock(signAt))

	_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
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
	assert.Regexp(t, wireUUIDv4, h.Get("Amz-Sdk-Invocation-Id"))
	assert.Equal(t, []string{testSessionToken}, h.Values("X-Amz-Security-Token"))
	assert.Equal(t, "20240301T120000Z", h.Get("X-Amz-Date"))

	auth := h.Get("Authorization")
	wantPrefix := "AWS4-HMAC-SHA256 Credential=" + testAccessKey + "/20240301/us-west-2/devicefarm/aws4_request, SignedHeaders=" + wireSignedHeaders + ", Signature="
	require.True(t, strings.HasPrefix(auth, wantPrefix), "Authorization = %q", redactSignature(auth))
	assert.Regexp(t, `^[0-9a-f]{64}$`, strings.TrimPrefix(auth, wantPrefix))
	assert.Empty(t, verifySigV4Recorded(ts, r, "us-west-2"))

	_, hasContentSha := h["X-Amz-Content-Sha256"]
	assert.False(t, hasContentSha, "X-Amz-Content-Sha256 must not be sent")
	assert.Empty(t, h.Values("X-Amzn-Trace-Id"))
}

func TestWire_AppIDInUserAgent(t *testing.T) {
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
			_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
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

func TestWire_RetryAttemptsShareInvocationIDAndAreResigned(t *testing.T) {
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
	require.Regexp(t, wireUUIDv4, id)
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
	assert.Regexp(t, wireUUIDv4, id2)
	assert.NotEqual(t, id, id2)
	assert.Equal(t, "attempt=1; max=3", reqs[3].Header.Get("Amz-Sdk-Request"))
}

func TestWire_InvocationIDsAreDistinctUUIDv4(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		id := newInvocationID()
		require.Regexp(t, wireUUIDv4, id)
		require.False(t, seen[id], "duplicate invocation id %s", id)
		seen[id] = true
	}
}

// A Date header that differs from the local clock teaches the client a skew:
// the next call signs at local time + skew and, with a deadline, adds ttl.
func TestWire_ClockSkewAppliedToSigningTimeAndTTL(t *testing.T) {
	t.Parallel()
	local := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	server := local.Add(37 * time.Minute)
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		respond(w, 200, []byte(`{}`), "Date", server.Format(http.TimeFormat))
	}, wireFixedClock(local))

	_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
	require.NoError(t, err)

	deadline := time.Now().Add(time.Hour).Truncate(time.Second)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	_, err = c.ListTestGridSessions(ctx, &ListTestGridSessionsInput{ProjectArn: testProjectArn})
	require.NoError(t, err)

	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "20240301T120000Z", reqs[0].Header.Get("X-Amz-Date"))
	assert.Equal(t, "attempt=1; max=3", reqs[0].Header.Get("Amz-Sdk-Request"), "no deadline and no skew: no ttl")
	assert.Equal(t, "20240301T123700Z", reqs[1].Header.Get("X-Amz-Date"), "signing time = local clock + learned skew")
	wantTTL := deadline.Add(37 * time.Minute).UTC().Format("20060102T150405Z")
	assert.Equal(t, "attempt=1; max=3; ttl="+wantTTL, reqs[1].Header.Get("Amz-Sdk-Request"))
}

// verifySigV4Recorded runs verifySigV4 on a request recorded by ts (the
// server already checked it; this makes the check explicit in the test).
func verifySigV4Recorded(ts *testServer, r recordedRequest, region string) string {
	req := httptest.NewRequest(r.Method, r.Path, bytes.NewReader(r.Body))
	req.Host = ts.Listener.Addr().String()
	req.Header = r.Header.Clone()
	return verifySigV4(req, r.Body, region)
}

// wireCapture is a plain loopback server (no checks of its own) that keeps
// the last request it received, so tests can inspect or tamper with it.
type wireCapture struct {
	mu   sync.Mutex
	req  *http.Request
	body []byte
}

func (wc *wireCapture) handler(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	wc.mu.Lock()
	wc.req = r.Clone(context.Background())
	wc.body = body
	wc.mu.Unlock()
	respond(w, 200, []byte(`{}`))
}

func (wc *wireCapture) last() (*http.Request, []byte) {
	wc.mu.Lock()
	defer wc.mu.Unlock()
	return wc.req, wc.body
}

// The signature check in newTestServer must be able to fail.
func TestWire_VerifySigV4RejectsTampering(t *testing.T) {
	t.Parallel()
	wc := &wireCapture{}
	srv := httptest.NewServer(http.HandlerFunc(wc.handler))
	t.Cleanup(srv.Close)
	c := New(Options{BaseEndpoint: srv.URL, Credentials: testCredentials(), Retryer: noDelayRetryer(1)})
	_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn, MaxResult: 5})
	require.NoError(t, err)
	orig, body := wc.last()
	require.NotNil(t, orig)

	require.Empty(t, verifySigV4(orig, body, "us-west-2"), "the untouched request must verify")

	tests := []struct {
		name    string
		region  string
		mutate  func(r *http.Request, body []byte) []byte
		wantErr string
	}{
		{name: "tampered body", region: "us-west-2", mutate: func(r *http.Request, b []byte) []byte {
			return []byte(strings.Replace(string(b), `"maxResult":5`, `"maxResult":6`, 1))
		}, wantErr: "signature mismatch"},
		{name: "wrong region", region: "us-east-1", wantErr: "credential scope"},
		{name: "tampered signed header", region: "us-west-2", mutate: func(r *http.Request, b []byte) []byte {
			r.Header.Set("X-Amz-Target", "DeviceFarm_20150623.ListTestGridProjects")
			return b
		}, wantErr: "signature mismatch"},
		{name: "tampered date same day", region: "us-west-2", mutate: func(r *http.Request, b []byte) []byte {
			d, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
			if err != nil {
				return b
			}
			other := d.Add(time.Second)
			if other.Day() != d.Day() {
				other = d.Add(-time.Second)
			}
			r.Header.Set("X-Amz-Date", other.Format("20060102T150405Z"))
			return b
		}, wantErr: "signature mismatch"},
		{name: "tampered path", region: "us-west-2", mutate: func(r *http.Request, b []byte) []byte {
			r.URL.Path = "/other/"
			return b
		}, wantErr: "signature mismatch"},
		{name: "no authorization", region: "us-west-2", mutate: func(r *http.Request, b []byte) []byte {
			r.Header.Del("Authorization")
			return b
		}, wantErr: "no SigV4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := orig.Clone(context.Background())
			b := append([]byte(nil), body...)
			if tt.mutate != nil {
				b = tt.mutate(r, b)
			}
			got := verifySigV4(r, b, tt.region)
			assert.Contains(t, got, tt.wantErr)
		})
	}
}

func TestBody_Exact(t *testing.T) {
	t.Parallel()
	const arn = testProjectArn
	tokyo := time.FixedZone("JST", 9*3600)
	tests := []struct {
		name string
		in   ListTestGridSessionsInput
		want string
	}{
		{
			name: "minimal",
			in:   ListTestGridSessionsInput{ProjectArn: arn},
			want: `{"projectArn":"` + arn + `"}`,
		},
		{
			name: "zero values omitted",
			in:   ListTestGridSessionsInput{ProjectArn: arn, MaxResult: 0, NextToken: "", Status: "", CreationTimeAfter: time.Time{}},
			want: `{"projectArn":"` + arn + `"}`,
		},
		{
			name: "spec example request",
			in: ListTestGridSessionsInput{
				ProjectArn:         arn,
				Status:             TestGridSessionStatusClosed,
				CreationTimeAfter:  time.Unix(1709251200, 0),
				CreationTimeBefore: time.Unix(1709337600, 500_000_000),
				MaxResult:          2,
			},
			want: `{"creationTimeAfter":1709251200,"creationTimeBefore":1709337600.5,"maxResult":2,"projectArn":"` + arn + `","status":"CLOSED"}`,
		},
		{
			name: "spec example next page",
			in:   ListTestGridSessionsInput{ProjectArn: arn, Status: TestGridSessionStatusClosed, MaxResult: 2, NextToken: "AAIAAb3pQ2xR1Vw7EXAMPLEtoken=="},
			want: `{"maxResult":2,"nextToken":"AAIAAb3pQ2xR1Vw7EXAMPLEtoken==","projectArn":"` + arn + `","status":"CLOSED"}`,
		},
		{
			name: "all members alphabetical",
			in: ListTestGridSessionsInput{
				Status:             TestGridSessionStatusActive,
				NextToken:          "tok/+=\"\\x",
				ProjectArn:         arn,
				MaxResult:          1000,
				EndTimeBefore:      time.Unix(1709294400, 123_999_999),
				EndTimeAfter:       time.Unix(1709294400, 123_000_000),
				CreationTimeBefore: time.Unix(1709337600, 500_000_000),
				CreationTimeAfter:  time.Unix(1709251200, 0),
			},
			want: `{"creationTimeAfter":1709251200,"creationTimeBefore":1709337600.5,"endTimeAfter":1709294400.123,"endTimeBefore":1709294400.123,"maxResult":1000,"nextToken":"tok/+=\"\\x","projectArn":"` + arn + `","status":"ACTIVE"}`,
		},
		{
			name: "unknown status sent as is",
			in:   ListTestGridSessionsInput{ProjectArn: arn, Status: "PAUSED"},
			want: `{"projectArn":"` + arn + `","status":"PAUSED"}`,
		},
		{
			name: "sub-millisecond truncated",
			in:   ListTestGridSessionsInput{ProjectArn: arn, CreationTimeAfter: time.Unix(1709294400, 999_999)},
			want: `{"creationTimeAfter":1709294400,"projectArn":"` + arn + `"}`,
		},
		{
			name: "time zone does not matter",
			in:   ListTestGridSessionsInput{ProjectArn: arn, EndTimeAfter: time.Date(2024, 3, 1, 21, 0, 0, 250_000_000, tokyo)},
			want: `{"endTimeAfter":1709294400.25,"projectArn":"` + arn + `"}`,
		},
		{
			name: "unix epoch is not the zero time",
			in:   ListTestGridSessionsInput{ProjectArn: arn, CreationTimeBefore: time.Unix(0, 0)},
			want: `{"creationTimeBefore":0,"projectArn":"` + arn + `"}`,
		},
		{
			name: "pre-1970 truncates toward zero",
			in:   ListTestGridSessionsInput{ProjectArn: arn, CreationTimeAfter: time.Unix(-2, 500_000_000), CreationTimeBefore: time.Unix(0, -1_500_500)},
			want: `{"creationTimeAfter":-1.5,"creationTimeBefore":-0.001,"projectArn":"` + arn + `"}`,
		},
		{
			name: "year 3000 (beyond UnixNano range)",
			in:   ListTestGridSessionsInput{ProjectArn: arn, CreationTimeAfter: time.Date(3000, 1, 1, 0, 0, 0, 7_000_000, time.UTC)},
			want: `{"creationTimeAfter":32503680000.007,"projectArn":"` + arn + `"}`,
		},
		{
			name: "string escapes",
			in:   ListTestGridSessionsInput{ProjectArn: arn + "\"\\\n\u2028<&>é", NextToken: "a\x00b\x7fc\xffd"},
			want: `{"nextToken":"a\u0000b` + "\x7f" + `c\ufffdd","projectArn":"` + arn + `\"\\\n\u2028<&>é"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.in.appendBody(nil)
			assert.Equal(t, tt.want, string(got))
			require.True(t, json.Valid(got), "body is not valid JSON: %s", got)
			// Appending keeps what was already in the buffer.
			assert.Equal(t, "prefix"+tt.want, string(tt.in.appendBody([]byte("prefix"))))
		})
	}
}

// The body the server receives is the exact encoding, with a matching
// Content-Length.
func TestBody_OnTheWire(t *testing.T) {
	t.Parallel()
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.ContentLength != int64(len(body)) {
			w.Header().Set("X-Test-Problem", "content-length "+strconv.FormatInt(r.ContentLength, 10))
		}
		respond(w, 200, []byte(`{}`))
	})
	in := &ListTestGridSessionsInput{
		ProjectArn:         testProjectArn,
		Status:             TestGridSessionStatusClosed,
		CreationTimeAfter:  time.Unix(1709251200, 0),
		CreationTimeBefore: time.Unix(1709337600, 500_000_000),
		MaxResult:          2,
	}
	_, err := c.ListTestGridSessions(context.Background(), in)
	require.NoError(t, err)
	reqs := ts.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, `{"creationTimeAfter":1709251200,"creationTimeBefore":1709337600.5,"maxResult":2,"projectArn":"`+testProjectArn+`","status":"CLOSED"}`, string(reqs[0].Body))

	var decoded map[string]any
	require.NoError(t, json.Unmarshal(reqs[0].Body, &decoded))
	assert.Equal(t, map[string]any{
		"creationTimeAfter":  1709251200.0,
		"creationTimeBefore": 1709337600.5,
		"maxResult":          2.0,
		"projectArn":         testProjectArn,
		"status":             "CLOSED",
	}, decoded)
}

// wireOfficialEpochSeconds renders t the way the official SDK does:
// smithy-go's FormatEpochSeconds written by its JSON encoder.
func wireOfficialEpochSeconds(t time.Time) string {
	enc := smithyjson.NewEncoder()
	enc.Value.Double(smithytime.FormatEpochSeconds(t))
	return enc.String()
}

func TestBody_EpochSecondsMatchesOfficialSDK(t *testing.T) {
	t.Parallel()
	fixed := []time.Time{
		time.Unix(1709251200, 0),
		time.Unix(1709337600, 500_000_000),
		time.Unix(1709294400, 123_000_000),
		time.Unix(1709294400, 123_456_789),
		time.Unix(1000000000, 500_000_000),
		time.Unix(1700000000, 0),
		time.Unix(0, 1_000_000),
		time.Unix(0, 999_999),
		time.Unix(-1, 0),
		time.Unix(0, -1_500_500),
		time.Unix(-86400*365*50, -7_000_000),
		time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1678, 1, 2, 0, 0, 0, 0, time.UTC),
	}
	for _, ts := range fixed {
		assert.Equal(t, wireOfficialEpochSeconds(ts), string(appendEpochSeconds(nil, ts)), "time %v", ts)
	}

	// Pin the documented examples exactly, not just against the oracle.
	assert.Equal(t, "1709294400.123", string(appendEpochSeconds(nil, time.Unix(1709294400, 123_000_000))))
	assert.Equal(t, "1709337600.5", string(appendEpochSeconds(nil, time.Unix(1709337600, 500_000_000))))
	assert.Equal(t, "1709251200", string(appendEpochSeconds(nil, time.Unix(1709251200, 0))))

	rng := rand.New(rand.NewPCG(1, 2))
	lo, hi := time.Date(1930, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano(), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	for range 5000 {
		ts := time.Unix(0, lo+rng.Int64N(hi-lo))
		require.Equal(t, wireOfficialEpochSeconds(ts), string(appendEpochSeconds(nil, ts)), "time %v (%d ns)", ts, ts.UnixNano())
	}
}

// wireJSONStringCases are tricky strings for the JSON string encoder.
var wireJSONStringCases = []string{
	"",
	"plain",
	`quote " and backslash \ and slash /`,
	"\\\"",
	"new\nline\rreturn\ttab",
	"\x00\x01\x07\x08\x0b\x0c\x1b\x1f",
	"\x7f del",
	"<script>&amp;</script>",
	"line sep \u2028 para sep \u2029",
	"é ü ß 日本語 🙂 \U0010FFFF",
	"\uFFFD literal replacement char",
	"\xff",
	"\xff\xfe two invalid bytes",
	"a\xc3",             // truncated 2-byte sequence at end
	"\xe2\x82 trunc",    // truncated 3-byte sequence
	"\xed\xa0\x80",      // UTF-16 surrogate encoded in UTF-8 (invalid)
	"\xc0\xaf overlong", // overlong encoding of '/'
	"\xf4\x90\x80\x80",  // above U+10FFFF
	"mixed \x80 é \xbf \u2028 \" \x05",
	strings.Repeat("long \u2029 ", 100),
}

// wireValidUTF8PerByte replaces every byte of invalid UTF-8 with U+FFFD, as
// encoding/json and the official SDK's encoder do (strings.ToValidUTF8
// folds a run of invalid bytes into one U+FFFD, which they do not).
func wireValidUTF8PerByte(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func wireOfficialJSONString(s string) string {
	enc := smithyjson.NewEncoder()
	enc.Value.String(s)
	return enc.String()
}

// wireCheckJSONString checks appendJSONString(s) against three oracles.
func wireCheckJSONString(t *testing.T, s string) {
	t.Helper()
	got := appendJSONString(nil, s)
	require.True(t, json.Valid(got), "invalid JSON %q for input %q", got, s)
	require.True(t, utf8.Valid(got), "output is not valid UTF-8: %q", got)

	var decoded string
	require.NoError(t, json.Unmarshal(got, &decoded))

	// Oracle 1: encoding/json round trip (it escapes <>& differently, so
	// compare decoded values, not bytes).
	stdBytes, err := json.Marshal(s)
	require.NoError(t, err)
	var stdDecoded string
	require.NoError(t, json.Unmarshal(stdBytes, &stdDecoded))
	require.Equal(t, stdDecoded, decoded, "input %q", s)

	// Oracle 2: per-byte replacement of invalid UTF-8.
	require.Equal(t, wireValidUTF8PerByte(s), decoded, "input %q", s)
	if utf8.ValidString(s) {
		require.Equal(t, s, decoded, "valid input must round-trip unchanged")
		require.Equal(t, strings.ToValidUTF8(s, "\uFFFD"), decoded)
	}

	// Oracle 3: byte-exact with the official SDK's JSON encoder.
	require.Equal(t, wireOfficialJSONString(s), string(got), "input %q", s)

	// No raw control characters, U+2028 or U+2029 in the output.
	for _, r := range string(got) {
		require.False(t, r < 0x20 || r == '\u2028' || r == '\u2029', "unescaped %U in %q", r, got)
	}
}

func TestBody_AppendJSONStringOracle(t *testing.T) {
	t.Parallel()
	for i, s := range wireJSONStringCases {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			wireCheckJSONString(t, s)
		})
	}

	// Pin a few exact encodings.
	exact := map[string]string{
		`a"b\c`:                `"a\"b\\c"`,
		"\n\r\t\x00\x1f":       `"\n\r\t\u0000\u001f"`,
		"\b\f":                 `"\u0008\u000c"`,
		"\u2028\u2029":         `"\u2028\u2029"`,
		"<>&":                  `"<>&"`,
		"\xff\xfe":             `"\ufffd\ufffd"`,
		"é日🙂":                  `"é日🙂"`,
		"tail\\":               `"tail\\"`,
		"x\x7fy":               "\"x\x7fy\"",
		"arn:aws:devicefarm:a": `"arn:aws:devicefarm:a"`,
	}
	for in, want := range exact {
		assert.Equal(t, want, string(appendJSONString(nil, in)), "input %q", in)
	}
	// It appends, keeping the existing buffer.
	assert.Equal(t, `x"y"`, string(appendJSONString([]byte("x"), "y")))
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range wireJSONStringCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendJSONString(nil, s)
		if !json.Valid(got) {
			t.Fatalf("invalid JSON %q for input %q", got, s)
		}
		var decoded string
		if err := json.Unmarshal(got, &decoded); err != nil {
			t.Fatalf("unmarshal %q: %v", got, err)
		}
		// strings.ToValidUTF8 folds a run of invalid bytes into one U+FFFD;
		// the encoder (like encoding/json and the official SDK) replaces
		// each invalid byte, so compare per byte, and with ToValidUTF8 when
		// the two agree (no adjacent invalid bytes).
		if want := wireValidUTF8PerByte(s); decoded != want {
			t.Fatalf("round trip of %q: got %q, want %q", s, decoded, want)
		}
		if utf8.ValidString(s) && decoded != strings.ToValidUTF8(s, "\uFFFD") {
			t.Fatalf("round trip of valid %q: got %q", s, decoded)
		}
		if want := wireOfficialJSONString(s); string(got) != want {
			t.Fatalf("encoding of %q: got %q, official SDK %q", s, got, want)
		}
	})
}

// errWireTest is returned by wireRecordingHTTPClient when it has no
// transport to forward to.
var errWireTest = errors.New("test: unexpected network I/O")

// wireRecordingHTTPClient is an HTTPClient that records requests and
// forwards them to next (or fails when next is nil).
type wireRecordingHTTPClient struct {
	next HTTPClient
	mu   sync.Mutex
	reqs []*http.Request
}

func (c *wireRecordingHTTPClient) Do(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.reqs = append(c.reqs, r)
	c.mu.Unlock()
	if c.next == nil {
		return nil, errWireTest
	}
	return c.next.Do(r)
}

func (c *wireRecordingHTTPClient) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.reqs)
}

// Timestamps before 1678-09-21 or after 2262-04-11 cannot use UnixNano; the
// rule stays "milliseconds truncated toward zero" (spec §1, json_encode.go).
// 1678-12-31 is still inside the UnixNano range, so the official SDK's
// arithmetic is the oracle there.
func TestBody_EpochSecondsTruncateTowardZeroAtRangeEdges(t *testing.T) {
	t.Parallel()
	inRange := time.Date(1678, 12, 31, 0, 0, 0, 500_500, time.UTC)
	assert.Equal(t, wireOfficialEpochSeconds(inRange), string(appendEpochSeconds(nil, inRange)))
	// -11676096000 s + 0.0005005 s truncated toward zero to milliseconds.
	assert.Equal(t, "-11676095999.999", string(appendEpochSeconds(nil, time.Date(1600, 1, 1, 0, 0, 0, 500_500, time.UTC))))
}
