package serve

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/wiresession"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// serveTest is serve's handler (control API and fake service) on an
// httptest server, built from a serve command line as runServe builds it.
type serveTest struct {
	fake *devicefarmtest.Server
	url  string
	http *http.Client
}

// newServeTest starts serve's handler for the serve flags args (with
// --epoch testNow unless given), closed at the end of the test.
func newServeTest(t testing.TB, args ...string) *serveTest {
	t.Helper()
	o, err := NewOptions(args, testNow)
	require.NoError(t, err)
	fake, initial, err := newServeFake(o)
	require.NoError(t, err)
	ts := httptest.NewUnstartedServer(nil)
	ts.Config.Handler = serveHandler(fake, &controlAPI{fake: fake, initial: initial, limits: o.limits}, newRequestGuard(ts.Listener.Addr().(*net.TCPAddr)))
	ts.Start()
	t.Cleanup(func() {
		fake.Close() // first: releases hung handlers
		ts.Close()
	})
	return &serveTest{fake: fake, url: ts.URL, http: ts.Client()}
}

// client returns a devicefarm client for the served fake, with the fake's
// credentials, no retry backoff and optFns applied last.
func (st *serveTest) client(optFns ...func(*devicefarm.Options)) *devicefarm.Client {
	return devicefarm.New(devicefarm.Options{
		Region:       st.fake.Options().Region,
		BaseEndpoint: st.url,
		Credentials:  st.fake.Credentials(),
		HTTPClient:   st.http,
		Retryer:      noBackoff(),
	}, optFns...)
}

// controlResponse is a control API answer, decoded.
type controlResponse struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

// control sends a control request and decodes the answer, checking what
// every answer must be: JSON, an object, one line, no raw control
// characters, and {"error":...} exactly when the status is not 200.
func (st *serveTest) control(t testing.TB, method, path, body string) controlResponse {
	t.Helper()
	req, err := http.NewRequest(method, st.url+path, strings.NewReader(body))
	require.NoError(t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := st.http.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	requireControlAnswer(t, resp.StatusCode, resp.Header, raw)
	r := controlResponse{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	require.NoError(t, json.Unmarshal(raw, &r.body))
	return r
}

// requireControlAnswer checks the form every control answer has.
func requireControlAnswer(t testing.TB, status int, header http.Header, raw []byte) {
	t.Helper()
	require.Equal(t, "application/json", header.Get("Content-Type"), "%s", raw)
	var body map[string]any
	require.NoError(t, json.Unmarshal(raw, &body), "%q", raw)
	require.Equal(t, strings.Count(string(raw), "\n"), 1, "one line: %q", raw)
	require.False(t, strings.ContainsFunc(strings.TrimSuffix(string(raw), "\n"), unicode.IsControl), "raw control characters: %q", raw)
	msg, isErr := body["error"].(string)
	if status == http.StatusOK {
		require.False(t, isErr, "%s", raw)
		return
	}
	require.True(t, isErr, "status %d without an error message: %s", status, raw)
	require.NotEmpty(t, msg)
	require.False(t, strings.ContainsFunc(msg, unicode.IsControl), "%q", msg)
}

// sessionsOf returns the testGridSessions of a control answer.
func (r controlResponse) sessions(t testing.TB) []devicefarm.TestGridSession {
	t.Helper()
	list, ok := r.body["testGridSessions"].([]any)
	require.True(t, ok, "%s", r.raw)
	out := make([]devicefarm.TestGridSession, len(list))
	for i, v := range list {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		out[i], err = decodeSession(b, true)
		require.NoError(t, err)
	}
	return out
}

// testProjectSessions are the sessions of testProject that a serve started
// with --project testProject --sessions n --seed seed holds.
func testProjectSessions(n int, seed int64) []devicefarm.TestGridSession {
	return devicefarmtest.GenerateSessions(testProject, n, seed, testNow.Truncate(time.Second))
}

// wireJSON is s in the service's wire shape.
func wireJSON(t testing.TB, s devicefarm.TestGridSession) string {
	t.Helper()
	b, err := json.Marshal(wiresession.JSON(&s))
	require.NoError(t, err)
	return string(b)
}

// staticCreds provides one fixed set of credentials.
func staticCreds(id, secret, token string) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token}, nil
	})
}

// The shared test helpers (clitest) under the names this package's tests
// use.

func TestMain(m *testing.M) { clitest.Main(m) }

const testProject = clitest.Project

var (
	testNow        = clitest.Now
	noBackoff      = clitest.NoBackoff
	testgridBinary = clitest.Binary
	cleanEnv       = clitest.CleanEnv
	ids            = clitest.IDs
)

type (
	syncBuffer = clitest.SyncBuffer
)

// run runs a "testgrid serve" command line as the dispatcher does.
var run = clitest.Subcommand("serve", Run)

// result is what one in-process run produced.
type result struct {
	code           int
	stdout, stderr string
}

// runTestgrid runs a "testgrid serve" command line in-process with ctx, args and e.
func runTestgrid(ctx context.Context, e cmdutil.Env, args ...string) result {
	r := clitest.Run(ctx, run, e, args...)
	return result{code: r.Code, stdout: r.Stdout, stderr: r.Stderr}
}
