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

const (
	projectArn  = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"
	projectArn2 = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:0f0e0d0c-0b0a-4908-8706-050403020100"
	listTarget  = "DeviceFarm_20150623.ListTestGridSessions"
	jsonType    = "application/x-amz-json-1.1"
)

// epoch is a fixed anchor for seeded data.
var epoch = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// newServer starts a server with Epoch = epoch, closed at the end of the test.
func newServer(t testing.TB, optFns ...func(*devicefarmtest.Options)) *devicefarmtest.Server {
	t.Helper()
	fns := append([]func(*devicefarmtest.Options){func(o *devicefarmtest.Options) { o.Epoch = epoch }}, optFns...)
	s := devicefarmtest.NewServer(fns...)
	t.Cleanup(s.Close)
	return s
}

// fixedClock returns an Options function that sets the server's clock to at.
func fixedClock(at time.Time) func(*devicefarmtest.Options) {
	return func(o *devicefarmtest.Options) { o.Now = func() time.Time { return at } }
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
	req := newRawRequest(t, s, body)
	sign(t, req, body, serverCreds(t, s), "devicefarm", s.Options().Region, s.Options().Now())
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

func flatten(pages [][]devicefarm.TestGridSession) []devicefarm.TestGridSession {
	var all []devicefarm.TestGridSession
	for _, p := range pages {
		all = append(all, p...)
	}
	return all
}

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

var ctx = context.Background()
