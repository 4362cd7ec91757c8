package devicefarmtest

import (
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// GuardRequestBodies returns an HTTP client that sends every request
// through c, with the request's body behind a plain io.ReadCloser. Give it
// to aws-sdk-go-v2's own clients (and any other smithy-go client) that
// call this fake, or testgrid serve, as their HTTPClient:
//
//	client := official.New(official.Options{ /* ... */ }, func(o *official.Options) {
//		o.HTTPClient = devicefarmtest.GuardRequestBodies(o.HTTPClient)
//	})
//
// It works around a race in smithy-go (aws-sdk-go-v2 issues 1825 and
// 2737) that a fake on loopback, answering within microseconds, sets off:
// once the response's header has arrived, smithy-go closes the request
// body, whose WriteTo method then returns io.EOF. If net/http is still
// making sure the body holds nothing past Content-Length, it takes that
// io.EOF for a broken request and closes the connection, and the client
// fails with "deserialization failed, failed to decode response body,
// read tcp ...: use of closed network connection" on a 200 (or retries
// it, so a test counting requests sees one more). Under -race it hit about
// 1 or 2 calls in 100 on this fake (bench/compat's TestGuardRequestBodies). Behind
// a plain io.ReadCloser, a closed body reads as io.EOF, which net/http
// takes for the body's end.
//
// This package's own Client (Server.Client, and devicefarm.New in
// general) does not need it. c must not be nil.
func GuardRequestBodies(c aws.HTTPClient) aws.HTTPClient {
	if c == nil {
		panic("devicefarmtest.GuardRequestBodies: nil HTTP client")
	}
	return guardedClient{c}
}

// guardedClient is GuardRequestBodies' client.
type guardedClient struct{ c aws.HTTPClient }

// Do sends a shallow copy of req whose Body has no method but Read and
// Close; req itself is left as it was.
func (g guardedClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return g.c.Do(req)
	}
	r := req.WithContext(req.Context())
	r.Body = plainBody{req.Body}
	return g.c.Do(r)
}

// plainBody hides every method of a request body but Read and Close (in
// particular io.WriterTo).
type plainBody struct{ io.ReadCloser }
