// Package devicefarmtest provides an in-process fake of AWS Device Farm's
// test grid API, for tests, in the manner of net/http/httptest: the ten
// test grid operations of DeviceFarm_20150623 (CreateTestGridProject,
// GetTestGridProject, ListTestGridProjects, UpdateTestGridProject,
// DeleteTestGridProject, CreateTestGridUrl, GetTestGridSession,
// ListTestGridSessions, ListTestGridSessionActions,
// ListTestGridSessionArtifacts; see OperationNames). ListTestGridSessions,
// the call this module's client makes, is described in most detail below.
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
//	}, func(o *official.Options) {
//		o.HTTPClient = devicefarmtest.GuardRequestBodies(o.HTTPClient)
//	})
//
// GuardRequestBodies keeps a race in smithy-go, which a server this fast
// sets off, from failing about 1 call in 100 (see its doc).
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
// AddProject registers a project (name, description, VPC configuration and
// creation time, with defaults), AddSessions stores sessions as given
// (times in UTC, truncated to the millisecond; a session with an Arn
// already stored replaces it, keeping its actions and artifacts), and
// AddActions and AddArtifacts give a session the commands and files
// ListTestGridSessionActions and ListTestGridSessionArtifacts list. Seed
// generates realistic, deterministic sessions in the 30 days before
// Server.Epoch (Options.Epoch, by default the start time; see
// GenerateSessions). Projects, Project, Sessions, Actions and Artifacts
// report what is stored; DeleteProject and ClearProjects forget it, and
// Replace swaps all of it for new data in one step (a reset).
//
// Time moves by Options.Now, which a test may drive to run hours of a
// grid's life in milliseconds: EndSession ends an ACTIVE session CLOSED or
// ERRORED now (its billing minutes computed as Seed's are), and
// AddSessionsVisibleAt adds sessions that the service lists only from a
// later time, as the real service lists some sessions minutes after their
// creation.
//
// Calling an operation on a project never added is a 400
// NotFoundException. The store is safe for concurrent writers and
// readers: listings stay consistent while sessions are added.
//
// Projects made by CreateTestGridProject get a random ARN in the server's
// region; they are listed in ascending Created order, ties broken by Arn.
// DeleteTestGridProject deletes a project with its sessions, actions,
// artifacts and test grid URLs, but refuses, with a 400
// CannotDeleteException, while one of its sessions is ACTIVE (the
// operation's documentation: "You cannot delete a project if it has active
// sessions"). GetTestGridSession finds a session by sessionArn, or by
// projectArn and sessionId (the part of the session ARN after the "/").
//
// CreateTestGridUrl returns a URL on the server itself, SERVER/_grid/TOKEN
// (TOKEN random, 256 bits), valid for expiresInSeconds by Options.Now
// (TestGridURL issues one from Go). The URL is a W3C WebDriver remote end:
// with Options.WebDriverURL set to a WebDriver server on loopback (such as
// chromedriver), each WebDriver session a client opens through it runs
// there and is recorded as a TestGridSession: ACTIVE while open, CLOSED
// once deleted, ERRORED when the browser does not start, crashes or the
// driver stops answering, when no command comes for Options.IdleTimeout,
// or when the server closes with it open; seleniumProperties holds the
// capabilities asked for, every command is an Action and the session's
// commands and responses (typed text scrubbed) its SELENIUM_LOG artifact.
// A session the driver cannot delete at its end (the driver died) has its
// browser's processes killed, on Linux, found by the session's profile
// directory in their command line; a program that runs the driver calls
// EndGridSessions when it exits, to end its sessions at once.
// Sessions run Chromium whatever browser is asked, with ChromiumArgs added
// and a fresh profile directory, removed afterwards; at most
// Options.MaxSessions at once. Device Farm's creation quotas are opt-in:
// Options.SessionCreateRate caps the sessions created and
// Options.URLCreateRate the CreateTestGridUrl calls in any one second of
// Options.Now (a "session not created" error and a 400 ThrottlingException
// past them; QuotaSessionCreateRate and QuotaURLCreateRate are the
// service's 5 and 10). Only loopback clients are served; a forged
// or expired token, an unknown session ID, a body that is not JSON and a
// grid without a driver get the WebDriver errors a client expects
// (unknown command, invalid session id, invalid argument, session not
// created). Artifacts are served by the server too, at the url
// ListTestGridSessionArtifacts returns (SERVER/_artifacts/ID/FILENAME, ID
// random): a plain GET, with no signature, as a presigned URL is fetched.
// Its type filter LOG keeps SELENIUM_LOG artifacts and VIDEO keeps VIDEO
// ones. Actions and artifacts are listed in the order added. SERVER is the
// scheme and Host the client called.
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
// application/x-amz-json-1.1, X-Amz-Target naming one of the operations
// served, a body of at most MaxRequestBytes); the SigV4 signature (the
// server's credentials, region and service, an X-Amz-Date within 5 minutes
// of Options.Now, so that clock-skew correction can be tested); then,
// unless an injected fault answers instead, the input (JSON members of the right types, else a 400
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
// Inject(m, f) arms fault f for the requests Match m selects: by
// operation, by project (a request's projectArn, or the project of its
// sessionArn), from the Nth matching request on, Times times. Aim each
// test's faults at its own project and tests that share one Server never
// take each other's: Match{Operation: "ListTestGridSessions", ProjectArn:
// p, Nth: 3} fails the third page request of project p only. A request is
// offered to the armed faults in the order they were armed, and the first
// one due takes it, so faults armed with a zero Match fail the next
// requests in turn. Faults are taken one per HTTP request that passed the
// protocol and signature checks, not one per client call: a call that its
// client retries sends several requests and takes several faults
// (Match{Times: 2} with Throttling makes one call of a 3-attempt client
// succeed on its third request; see the example of Inject). The Injection
// Inject returns tells how often it fired; PendingFaults lists those that
// will still fire (those that never did included) and ClearFaults disarms
// them, all or those aimed at a project.
//
// See FaultKind for what each kind sends: error responses (a preset for
// each of the service's errors: NotFound, Argument, InternalError,
// LimitExceeded, ServiceAccount, CannotDelete, Throttling,
// ServiceUnavailable, AccessDenied; Preset finds one by name or error code
// in any case), broken or oversized bodies, dropped connections, hangs, and
// two kinds that test a client's pagination loop (FaultEmptyPage,
// FaultRepeatToken; on the four list operations). SetLatency and
// Options.Latency delay every response. Waits (Latency, Fault.Delay,
// FaultHang, FaultStallMidBody) end when the request's context ends or the
// server is closed, and then drop the connection; Close never blocks on
// them.
//
// # Inspecting requests
//
// Requests returns every request received, in arrival order, rejected ones
// included: method, path, headers, body, the status and error code sent,
// its RequestID, and the Fault it took, if any. A request refused before
// any operation ran (protocol, signature, size) keeps only its sizes and a
// short scrubbed excerpt of its body. ResetRequests forgets them;
// Options.RequestLogLimit and Options.RequestLogBytes keep only the most
// recent; LastRequests and RequestCount read the end of the log cheaply.
package devicefarmtest
