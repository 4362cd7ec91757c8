package serve

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
)

// rawRequest sends a request to st with the given headers (and Host, when
// host is not empty) and returns the status, headers and body.
func (st *serveTest) rawRequest(t *testing.T, method, path, body, host string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, st.url+path, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := st.http.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(raw)
}

// TestServeControlRequiresJSONContentType: a web page can POST text/plain
// or a form without a CORS preflight, never application/json.
func TestServeControlRequiresJSONContentType(t *testing.T) {
	t.Parallel()
	st := newServeTest(t, "--project", testProject, "--sessions", "3")
	faults := `{"faults":[{"preset":"Throttling"}]}`
	for _, ct := range []string{"", "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "application/json;;"} {
		for _, path := range []string{"/_testgrid/faults", "/_testgrid/reset"} {
			headers := map[string]string{}
			if ct != "" {
				headers["Content-Type"] = ct
			}
			status, header, raw := st.rawRequest(t, http.MethodPost, path, faults, "", headers)
			assert.Equal(t, http.StatusUnsupportedMediaType, status, "%q: %s", ct, raw)
			requireControlAnswer(t, status, header, []byte(raw))
			assert.Contains(t, raw, "Content-Type must be application/json", ct)
		}
	}
	assert.Empty(t, st.fake.PendingFaults(), "nothing queued")

	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON"} {
		status, _, raw := st.rawRequest(t, http.MethodPost, "/_testgrid/faults", faults, "", map[string]string{"Content-Type": ct})
		assert.Equal(t, http.StatusOK, status, "%q: %s", ct, raw)
	}
	assert.Equal(t, 3, pendingCount(st.fake))
	status, _, raw := st.rawRequest(t, http.MethodGet, "/_testgrid/faults", "", "", nil)
	assert.Equal(t, http.StatusOK, status, "a GET needs no Content-Type: %s", raw)
}

// TestServeRefusesCrossOrigin: a request a browser sends for a page that
// is not served from a loopback host carries its Origin; it is refused,
// on the control API and on the service.
func TestServeRefusesCrossOrigin(t *testing.T) {
	t.Parallel()
	st := newServeTest(t, "--project", testProject, "--sessions", "3")
	jsonCT := map[string]string{"Content-Type": "application/json"}
	for _, origin := range []string{"https://evil.example", "http://evil.example:8080", "null", "http://127.0.0.1.evil.example", "http://localhost.evil.example", "file://"} {
		for _, req := range []struct{ method, path, body string }{
			{http.MethodPost, "/_testgrid/faults", `{"faults":[{"preset":"Throttling"}]}`},
			{http.MethodPost, "/_testgrid/reset", ""},
			{http.MethodGet, "/_testgrid/requests", ""},
		} {
			headers := map[string]string{"Origin": origin, "Content-Type": "application/json"}
			status, header, raw := st.rawRequest(t, req.method, req.path, req.body, "", headers)
			assert.Equal(t, http.StatusForbidden, status, "%s %s from %s: %s", req.method, req.path, origin, raw)
			requireControlAnswer(t, status, header, []byte(raw))
			assert.Contains(t, raw, "cross-origin request refused: Origin")
		}
		status, header, raw := st.rawRequest(t, http.MethodPost, "/", `{"projectArn":"`+testProject+`"}`, "", map[string]string{
			"Origin": origin, "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "DeviceFarm_20150623.ListTestGridSessions",
		})
		assert.Equal(t, http.StatusForbidden, status, raw)
		assert.Equal(t, "AccessDeniedException", header.Get("X-Amzn-ErrorType"))
		var body struct{ Type, Message string }
		require.NoError(t, json.Unmarshal([]byte(raw), &body), raw)
		assert.Contains(t, body.Message, "cross-origin request refused")
	}
	assert.Empty(t, st.fake.PendingFaults(), "nothing queued")
	assert.Empty(t, st.fake.Requests(), "refused before the fake: not in the request log")

	// Pages served from loopback (a local dev server) are let through.
	for _, origin := range []string{"http://localhost:3000", "http://127.0.0.1:5173", "http://[::1]:8000", "https://LOCALHOST"} {
		status, _, raw := st.rawRequest(t, http.MethodPost, "/_testgrid/reset", "", "", map[string]string{"Origin": origin, "Content-Type": "application/json"})
		assert.Equal(t, http.StatusOK, status, "%s: %s", origin, raw)
	}
	status, _, raw := st.rawRequest(t, http.MethodGet, "/_testgrid/health", "", "", jsonCT)
	assert.Equal(t, http.StatusOK, status, raw)
}

// TestServeRefusesForeignHost: bound to loopback, serve answers only
// requests for a loopback host and its port, so that a page that rebinds
// its DNS name to 127.0.0.1 cannot read the request log.
func TestServeRefusesForeignHost(t *testing.T) {
	t.Parallel()
	st := newServeTest(t, "--project", testProject, "--sessions", "3")
	_, port, err := net.SplitHostPort(strings.TrimPrefix(st.url, "http://"))
	require.NoError(t, err)
	for _, host := range []string{"evil.example:" + port, "evil.example", "127.0.0.1:1", "localhost", "localhost.evil.example:" + port, "0.0.0.0:" + port, "10.0.0.1:" + port} {
		status, header, raw := st.rawRequest(t, http.MethodGet, "/_testgrid/requests", "", host, nil)
		assert.Equal(t, http.StatusForbidden, status, "%s: %s", host, raw)
		requireControlAnswer(t, status, header, []byte(raw))
		assert.Contains(t, raw, "Host header")
		assert.Contains(t, raw, "DNS rebinding")

		status, header, raw = st.rawRequest(t, http.MethodPost, "/", `{"projectArn":"`+testProject+`"}`, host, map[string]string{
			"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "DeviceFarm_20150623.ListTestGridSessions",
		})
		assert.Equal(t, http.StatusForbidden, status, "%s: %s", host, raw)
		assert.Equal(t, "AccessDeniedException", header.Get("X-Amzn-ErrorType"))
	}
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port, "127.0.0.2:" + port, "[::1]:" + port} {
		status, _, raw := st.rawRequest(t, http.MethodGet, "/_testgrid/health", "", host, nil)
		assert.Equal(t, http.StatusOK, status, "%s: %s", host, raw)
	}

	// SDK clients send the host of their endpoint: the loopback one.
	for _, endpoint := range []string{st.url, "http://localhost:" + port} {
		out, err := st.client(func(o *devicefarm.Options) { o.BaseEndpoint = endpoint }).
			ListTestGridSessions(t.Context(), &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject})
		require.NoError(t, err, endpoint)
		assert.Len(t, out.TestGridSessions, 3)
	}
}

func TestServeRequestGuardHosts(t *testing.T) {
	t.Parallel()
	loopback := newRequestGuard(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80})
	anyAddr := newRequestGuard(&net.TCPAddr{IP: net.IPv4zero, Port: 8080})
	for _, tt := range []struct {
		host          string
		loopbackOK    bool
		unspecifiedOK bool
	}{
		{"localhost", true, true}, // no port: 80
		{"localhost:80", true, true},
		{"[::1]", true, true},
		{"[::1]:80", true, true},
		{"127.9.9.9", true, true},
		{"localhost:8080", false, true},
		{"example.com", false, true},
		{"", false, true},
	} {
		r := httptest.NewRequest(http.MethodGet, "/_testgrid/health", nil)
		r.Host = tt.host
		assert.Equal(t, tt.loopbackOK, loopback.refusal(r) == "", "%q on loopback", tt.host)
		assert.Equal(t, tt.unspecifiedOK, anyAddr.refusal(r) == "", "%q on 0.0.0.0: Host is not checked", tt.host)
	}
}
