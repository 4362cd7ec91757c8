package compat_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	official "github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

const (
	// project is the project the tests seed; unknownProject is never added.
	project        = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"
	unknownProject = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:00000000-0000-4000-8000-000000000000"

	// maxAttempts is the attempt budget both clients get in fault tests.
	maxAttempts = 3
)

// newRetryer returns aws-sdk-go-v2's standard retryer with zero backoff and
// no client-side retry quota, so fault tests are fast and independent of
// each other. Each client gets its own.
func newRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		o.RateLimiter = ratelimit.None
	})
}

// officialFor returns the official client pointed at srv, with the
// server's credentials and newRetryer.
func officialFor(srv *devicefarmtest.Server, optFns ...func(*official.Options)) *official.Client {
	return official.New(official.Options{
		Region:       "us-west-2",
		Credentials:  srv.Credentials(),
		BaseEndpoint: aws.String(srv.URL),
		Retryer:      newRetryer(),
	}, optFns...)
}

// oursFor returns our client pointed at srv, configured like officialFor.
func oursFor(srv *devicefarmtest.Server, optFns ...func(*devicefarm.Options)) *devicefarm.Client {
	return devicefarm.New(devicefarm.Options{
		Region:       "us-west-2",
		Credentials:  srv.Credentials(),
		BaseEndpoint: srv.URL,
		Retryer:      newRetryer(),
	}, optFns...)
}

// newServer starts a devicefarmtest server with project seeded, closed at
// the end of the test.
func newServer(t *testing.T) *devicefarmtest.Server {
	t.Helper()
	srv := devicefarmtest.NewServer()
	t.Cleanup(srv.Close)
	srv.Seed(project, 10, 1)
	return srv
}

// sentRequest is what recordingTransport saw of one request.
type sentRequest struct {
	// endpoint is scheme://host of the request URL.
	endpoint string
	// scope is the credential scope of the SigV4 Authorization header:
	// "REGION/SERVICE", e.g. "us-west-2/devicefarm".
	scope string
	// userAgent is the User-Agent header.
	userAgent string
}

// recordingTransport is an http.RoundTripper that never dials: it records
// each request's endpoint and signing scope, and answers an empty page (or
// err, when set). Tests use it wherever a client might resolve a real AWS
// host, so nothing ever leaves the process.
type recordingTransport struct {
	mu   sync.Mutex
	sent []sentRequest
	err  error
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	rt.mu.Lock()
	rt.sent = append(rt.sent, sentRequest{
		endpoint:  req.URL.Scheme + "://" + req.URL.Host,
		scope:     credentialScope(req.Header.Get("Authorization")),
		userAgent: req.Header.Get("User-Agent"),
	})
	err := rt.err
	rt.mu.Unlock()
	if err != nil {
		return nil, err
	}
	const body = `{"testGridSessions":[]}`
	return &http.Response{
		Status:     "200 OK",
		StatusCode: http.StatusOK,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header: http.Header{
			"Content-Type":     {"application/x-amz-json-1.1"},
			"X-Amzn-Requestid": {"recorded-0001"},
		},
		ContentLength: int64(len(body)),
		Body:          io.NopCloser(strings.NewReader(body)),
		Request:       req,
	}, nil
}

// requests returns a copy of what was sent so far.
func (rt *recordingTransport) requests() []sentRequest {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]sentRequest(nil), rt.sent...)
}

// credentialScope extracts "REGION/SERVICE" from a SigV4 Authorization
// header ("AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, ...").
func credentialScope(auth string) string {
	_, cred, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return ""
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return ""
	}
	return parts[2] + "/" + parts[3]
}

// listOfficial makes one official call for project, its HTTP client
// wrapped by guardBodies.
func listOfficial(ctx context.Context, c *official.Client, projectArn string, optFns ...func(*official.Options)) error {
	_, err := c.ListTestGridSessions(ctx, &official.ListTestGridSessionsInput{ProjectArn: aws.String(projectArn)},
		append([]func(*official.Options){guardBodies}, optFns...)...)
	return err
}

// guardBodies is the per-call option that wraps the official client's
// HTTP client in devicefarmtest.GuardRequestBodies, so that smithy-go's
// request-body race with a fake on loopback (see its doc) neither fails a
// call nor adds an attempt to the ones a test counts.
func guardBodies(o *official.Options) {
	o.HTTPClient = devicefarmtest.GuardRequestBodies(o.HTTPClient)
}

// listOurs makes one call of ours for project.
func listOurs(ctx context.Context, c *devicefarm.Client, projectArn string, optFns ...func(*devicefarm.Options)) error {
	_, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}, optFns...)
	return err
}
