package devicefarmtest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// This file holds the package's test helpers, for every test file.

const (
	projectArn  = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"
	projectArn2 = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:0f0e0d0c-0b0a-4908-8706-050403020100"
	listTarget  = "DeviceFarm_20150623.ListTestGridSessions"
	jsonType    = "application/x-amz-json-1.1"

	active  = devicefarm.TestGridSessionStatusActive
	closed  = devicefarm.TestGridSessionStatusClosed
	errored = devicefarm.TestGridSessionStatusErrored

	// canarySecret and canaryToken are credentials that no response may
	// contain.
	canarySecret = "CANARYSECRET/0000000000000000000000000001"
	canaryToken  = "CANARYTOKEN0000000000000000000000000000001"
)

var (
	ctx = context.Background()

	// epoch is a fixed anchor for seeded data.
	epoch = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

	emptyPage   = devicefarmtest.Fault{Kind: devicefarmtest.FaultEmptyPage}
	repeatToken = devicefarmtest.Fault{Kind: devicefarmtest.FaultRepeatToken}
)

// newServer starts a server with Epoch = epoch, closed at the end of the test.
func newServer(t testing.TB, optFns ...func(*devicefarmtest.Options)) *devicefarmtest.Server {
	t.Helper()
	fns := append([]func(*devicefarmtest.Options){func(o *devicefarmtest.Options) { o.Epoch = epoch }}, optFns...)
	s := devicefarmtest.NewServer(fns...)
	t.Cleanup(s.Close)
	return s
}

// seededServer returns a server holding 5 sessions of projectArn, and an
// input that lists them.
func seededServer(t *testing.T, optFns ...func(*devicefarmtest.Options)) (*devicefarmtest.Server, *devicefarm.ListTestGridSessionsInput) {
	s := newServer(t, optFns...)
	s.Seed(projectArn, 5, 1)
	return s, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}
}

// fixedClock returns an Options function that sets the server's clock to at.
func fixedClock(at time.Time) func(*devicefarmtest.Options) {
	return func(o *devicefarmtest.Options) { o.Now = func() time.Time { return at } }
}

// oneAttempt is a client option: no retries.
func oneAttempt(o *devicefarm.Options) { o.RetryMaxAttempts = 1 }

// withCreds is a client option: sign with these credentials.
func withCreds(id, secret, token string) func(*devicefarm.Options) {
	return func(o *devicefarm.Options) {
		o.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token}, nil
		})
	}
}

// rawResponse is a response read in full.
type rawResponse struct {
	Status  int
	Header  http.Header
	Body    []byte
	Code    string // X-Amzn-ErrorType
	Type    string // body __type
	Message string // body message
}

// httpClient returns a plain HTTP client whose idle connections are closed
// at the end of the test.
func httpClient(t testing.TB) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// newRawRequest builds an unsigned ListTestGridSessions request to s.
func newRawRequest(t testing.TB, s *devicefarmtest.Server, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", jsonType)
	req.Header.Set("X-Amz-Target", listTarget)
	return req
}

// sign signs req (whose body is body) as the aws-sdk-go-v2 signer does.
func sign(t testing.TB, req *http.Request, body string, creds aws.Credentials, service, region string, at time.Time) {
	t.Helper()
	sum := sha256.Sum256([]byte(body))
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, region, at))
}

// serverCreds returns the credentials s accepts.
func serverCreds(t testing.TB, s *devicefarmtest.Server) aws.Credentials {
	t.Helper()
	c, err := s.Credentials().Retrieve(context.Background())
	require.NoError(t, err)
	return c
}

// signedRequest builds a request to s signed with its own credentials at
// the server's current time.
func signedRequest(t testing.TB, s *devicefarmtest.Server, body string) *http.Request {
	t.Helper()
	return signedWith(t, s, body, serverCreds(t, s), "devicefarm", s.Options().Region, s.Options().Now())
}

// signedWith builds a request to s signed with creds for service and
// region at time at.
func signedWith(t testing.TB, s *devicefarmtest.Server, body string, creds aws.Credentials, service, region string, at time.Time) *http.Request {
	t.Helper()
	req := newRawRequest(t, s, body)
	sign(t, req, body, creds, service, region, at)
	return req
}

// do sends req and reads the whole response.
func do(t testing.TB, req *http.Request) rawResponse {
	t.Helper()
	resp, err := httpClient(t).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	r := rawResponse{Status: resp.StatusCode, Header: resp.Header, Body: body, Code: resp.Header.Get("X-Amzn-ErrorType")}
	if r.Status != http.StatusOK {
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		require.NoError(t, json.Unmarshal(body, &e), "error body %s", body)
		r.Type, r.Message = e.Type, e.Message
	}
	return r
}

// call sends body to s, signed.
func call(t testing.TB, s *devicefarmtest.Server, body string) rawResponse {
	t.Helper()
	return do(t, signedRequest(t, s, body))
}

// requireError checks an error response's status, code (header and body)
// and that its message contains each of msgs.
func requireError(t testing.TB, r rawResponse, status int, code string, msgs ...string) {
	t.Helper()
	require.Equal(t, status, r.Status, "body %s", r.Body)
	require.Equal(t, code, r.Code)
	require.Equal(t, code, r.Type)
	require.Equal(t, jsonType, r.Header.Get("Content-Type"))
	require.NotEmpty(t, r.Header.Get("X-Amzn-RequestId"))
	for _, m := range msgs {
		require.Contains(t, r.Message, m)
	}
}

// apiError returns the smithy.APIError inside err.
func apiError(t testing.TB, err error) smithy.APIError {
	t.Helper()
	require.Error(t, err)
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "no smithy.APIError in %v", err)
	return ae
}

// attempts returns the number of HTTP attempts of the last call s
// received: the requests that share its Amz-Sdk-Invocation-Id.
func attempts(t testing.TB, s *devicefarmtest.Server) int {
	t.Helper()
	reqs := s.Requests()
	require.NotEmpty(t, reqs)
	id := reqs[len(reqs)-1].Header.Get("Amz-Sdk-Invocation-Id")
	require.NotEmpty(t, id, "the last request has no Amz-Sdk-Invocation-Id")
	n := 0
	for _, r := range reqs {
		if r.Header.Get("Amz-Sdk-Invocation-Id") == id {
			n++
		}
	}
	return n
}

// walk lists every page of in with page size limit (0: server default).
func walk(t testing.TB, c *devicefarm.Client, in devicefarm.ListTestGridSessionsInput, limit int32) [][]devicefarm.TestGridSession {
	t.Helper()
	p := devicefarm.NewListTestGridSessionsPaginator(c, &in, func(o *devicefarm.ListTestGridSessionsPaginatorOptions) { o.Limit = limit })
	var pages [][]devicefarm.TestGridSession
	for page, err := range p.Pages(context.Background()) {
		require.NoError(t, err)
		pages = append(pages, page.TestGridSessions)
	}
	return pages
}

// flatten joins pages.
func flatten(pages [][]devicefarm.TestGridSession) []devicefarm.TestGridSession {
	var all []devicefarm.TestGridSession
	for _, p := range pages {
		all = append(all, p...)
	}
	return all
}

// ids returns the sessions' IDs.
func ids(sessions []devicefarm.TestGridSession) []string {
	out := make([]string, len(sessions))
	for i, s := range sessions {
		out[i] = s.ID()
	}
	return out
}

// session builds a session of projectArn with the given ID.
func session(id string, status devicefarm.TestGridSessionStatus, created, ended time.Time) devicefarm.TestGridSession {
	s := devicefarm.TestGridSession{
		Arn:                "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/" + id,
		Status:             status,
		Created:            created,
		Ended:              ended,
		SeleniumProperties: `{"browserName":"chrome"}`,
	}
	if !ended.IsZero() {
		s.BillingMinutes = ended.Sub(created).Minutes()
	}
	return s
}

// filterFixture adds, in scrambled order, sessions whose listing order is
// a, b, c, d, e (b and c share a creation time and sort by ARN).
func filterFixture(s *devicefarmtest.Server) {
	t0 := epoch
	s.AddSessions(projectArn,
		session("e", closed, t0.Add(3*time.Second), t0.Add(40*time.Second)),
		session("c", errored, t0.Add(time.Second), t0.Add(20*time.Second)),
		session("a", closed, t0, t0.Add(10*time.Second)),
		session("d", closed, t0.Add(2500*time.Millisecond), t0.Add(30001*time.Millisecond)),
		session("b", active, t0.Add(time.Second), time.Time{}),
	)
}

// statuses returns the status codes s recorded.
func statuses(s *devicefarmtest.Server) []int {
	var out []int
	for _, r := range s.Requests() {
		out = append(out, r.StatusCode)
	}
	return out
}

// page is a decoded 200 response body.
type page struct {
	Sessions  []json.RawMessage `json:"testGridSessions"`
	NextToken string            `json:"nextToken"`
}

// callPage sends body to s, signed, and decodes the 200 response.
func callPage(t *testing.T, s *devicefarmtest.Server, body string) page {
	t.Helper()
	r := call(t, s, body)
	require.Equal(t, http.StatusOK, r.Status, "body %s", r.Body)
	var p page
	require.NoError(t, json.Unmarshal(r.Body, &p), "body %s", r.Body)
	require.NotNil(t, p.Sessions, "testGridSessions is always sent: %s", r.Body)
	return p
}

// listBody returns a request body for projectArn with maxResult 5, the
// nextToken if not empty, and the members extra.
func listBody(nextToken string, extra ...string) string {
	b := `{"projectArn":"` + projectArn + `","maxResult":5`
	if nextToken != "" {
		b += `,"nextToken":"` + nextToken + `"`
	}
	for _, e := range extra {
		b += "," + e
	}
	return b + "}"
}

// requestTokens returns the nextToken of each recorded request ("" if none).
func requestTokens(t *testing.T, s *devicefarmtest.Server) []string {
	t.Helper()
	var out []string
	for _, r := range s.Requests() {
		var in struct {
			NextToken string `json:"nextToken"`
		}
		require.NoError(t, json.Unmarshal(r.Body, &in))
		out = append(out, in.NextToken)
	}
	return out
}

// firstPage returns the first page of in with page size 5, which must have
// a nextToken.
func firstPage(t *testing.T, c *devicefarm.Client, in devicefarm.ListTestGridSessionsInput) *devicefarm.ListTestGridSessionsOutput {
	t.Helper()
	in.MaxResult = 5
	out, err := c.ListTestGridSessions(ctx, &in)
	require.NoError(t, err)
	require.NotEmpty(t, out.NextToken)
	return out
}

// callOp sends body to operation op of s (such as "GetTestGridProject"),
// signed.
func callOp(t testing.TB, s *devicefarmtest.Server, op, body string) rawResponse {
	t.Helper()
	req := newRawRequest(t, s, body)
	req.Header.Set("X-Amz-Target", "DeviceFarm_20150623."+op)
	sign(t, req, body, serverCreds(t, s), "devicefarm", s.Options().Region, s.Options().Now())
	return do(t, req)
}

// callJSON calls op and decodes its 200 response into a generic value.
func callJSON(t testing.TB, s *devicefarmtest.Server, op, body string) map[string]any {
	t.Helper()
	r := callOp(t, s, op, body)
	require.Equal(t, http.StatusOK, r.Status, "%s: %s", op, r.Body)
	var out map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &out))
	return out
}

// walkOp follows a list operation's nextTokens from the request whose
// members are members (a JSON object's inside, without braces), and
// returns member key of each item of every page, in order.
func walkOp(t testing.TB, s *devicefarmtest.Server, op, members, items, key string) []string {
	t.Helper()
	var got []string
	token := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 1000, "endless paging")
		body := `{` + members
		if token != "" {
			body += `,"nextToken":"` + token + `"`
		}
		out := callJSON(t, s, op, body+`}`)
		for _, it := range out[items].([]any) {
			got = append(got, it.(map[string]any)[key].(string))
		}
		next, ok := out["nextToken"].(string)
		if !ok {
			return got
		}
		token = next
	}
}
