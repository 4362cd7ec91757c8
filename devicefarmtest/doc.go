// Package devicefarmtest provides an in-process fake of the AWS DeviceFarm
// ListTestGridSessions API, for tests, in the manner of net/http/httptest.
//
// # Start it and point a client at it
//
// NewServer starts a server on a loopback address; Close it when done.
// Server.Client returns a devicefarm.Client wired to it (its URL, region,
// credentials and HTTP client, and a 3-attempt retryer without backoff
// delay):
//
//	srv := devicefarmtest.NewServer()
//	defer srv.Close()
//	srv.Seed(projectArn, 200, 1)
//	client := srv.Client()
//
// Any other client works with the server's URL, region and credentials;
// for aws-sdk-go-v2's own, imported as official
// ("github.com/aws/aws-sdk-go-v2/service/devicefarm"):
//
//	client := official.New(official.Options{
//		BaseEndpoint: aws.String(srv.URL),
//		Region:       srv.Options().Region, // DefaultRegion unless set
//		Credentials:  srv.Credentials(),
//	})
//
// Options.AnyCredentials accepts any key pair instead, for clients whose
// credentials you do not choose. A *Server is an http.Handler:
// NewUnstartedServer returns one that does not listen, to mount on a server
// of your own (see ServeHTTP), as the testgrid command's "serve" does to run
// the fake as a process for other languages' test suites. A Server is safe
// for concurrent use.
//
// # Data
//
// AddSessions stores sessions as given (times in UTC, truncated to the
// millisecond; a session with an Arn already stored replaces it), and
// AddProject registers a project with none. Seed generates realistic,
// deterministic sessions in the 30 days before Server.Epoch
// (Options.Epoch, by default the start time; see GenerateSessions).
// Sessions and Projects report what is stored and ClearProjects forgets
// it. Listing a project never added is a 400 NotFoundException.
//
// # Listing
//
// Sessions are listed in ascending Created order, ties broken by Arn
// (byte-wise). The four time bounds are exclusive: creationTimeAfter keeps
// sessions created strictly after it, and likewise creationTimeBefore,
// endTimeAfter and endTimeBefore; the end-time bounds drop sessions that
// have not ended. They compare at millisecond precision (request
// timestamps are truncated toward zero, as the AWS SDKs send them). status
// keeps the sessions in that state. Bounds that exclude everything give an
// empty page, not an error.
//
// A page holds at most maxResult sessions (1 to 1000), or
// Options.DefaultPageSize (default 50) when the request has none. A nextToken comes only when more
// matching sessions follow; an empty result is {"testGridSessions":[]}. A
// nextToken is opaque, never expires and may be used any number of times,
// with another maxResult too, but only with the Server that issued it and
// with the same project and filters: any other token is a 400
// ArgumentException. Paging is stable while sessions are added: nothing is
// skipped or repeated, and sessions added after the page's position appear
// on later pages.
//
// # Checks
//
// Each request is checked in turn, and a failure answered with an AWS
// error response: the protocol (POST, Content-Type
// application/x-amz-json-1.1, X-Amz-Target
// DeviceFarm_20150623.ListTestGridSessions, a body of at most
// MaxRequestBytes); the SigV4 signature (the server's credentials, region
// and service, an X-Amz-Date within 5 minutes of Options.Now, so that
// clock-skew correction can be tested); then, unless a queued fault
// answers instead, the input (JSON members of the right types, else a 400
// SerializationException; the constraints of the service's model, else
// one 400 ArgumentException naming every violation), the nextToken and
// the project. Error bodies are {"__type":"CODE","message":"..."} with
// X-Amzn-ErrorType CODE; their messages echo request values on one line,
// control characters and invalid UTF-8 escaped Go-style (\n, \x00, \xff).
// Every response carries a unique x-amzn-RequestId and a Date from
// Options.Now.
//
// # Faults
//
// FailNext(n, f) queues fault f for the next n requests, after the faults
// already queued; call it again for each different fault of a sequence.
// Faults are consumed one per HTTP request that passed the protocol and
// signature checks, not one per client call: a call that its client
// retries sends several requests and takes several faults
// (FailNext(2, Throttling()) makes one call of a 3-attempt client succeed
// on its third request; see the example of FailNext). PendingFaults counts
// what is left and ClearFaults drops it.
//
// See FaultKind for what each kind sends: error responses (Throttling,
// ServiceUnavailable, InternalError and AccessDenied build common ones),
// broken or oversized bodies, dropped connections, hangs, and two kinds
// that test a client's pagination loop (FaultEmptyPage, FaultRepeatToken).
// SetLatency and Options.Latency delay every response. Waits (Latency,
// Fault.Delay, FaultHang, FaultStallMidBody) end when the request's context
// ends or the server is closed, and then drop the connection; Close never
// blocks on them.
//
// # Inspecting requests
//
// Requests returns every request received, in arrival order, rejected ones
// included: method, path, headers, body, the status and error code sent,
// its RequestID, and the Fault it took, if any. ResetRequests forgets them,
// and Options.RequestLogLimit keeps only the most recent.
package devicefarmtest
