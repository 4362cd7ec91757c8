// Package devicefarmtest provides an in-process fake of the AWS DeviceFarm
// ListTestGridSessions API, for tests, in the manner of net/http/httptest.
//
// NewServer starts a loopback HTTP server that speaks awsJson1.1, verifies
// SigV4 signatures and serves sessions you add with AddSessions or generate
// with Seed. Server.Client returns a devicefarm.Client wired to it:
//
//	srv := devicefarmtest.NewServer()
//	defer srv.Close()
//	srv.Seed(projectArn, 200, 1)
//	client := srv.Client()
//
// Faults (error responses, broken bodies, dropped connections, hangs) can be
// queued with FailNext and InjectFaults; every request is recorded and
// returned by Requests. A Server is safe for concurrent use.
//
// NewUnstartedServer returns a server that does not listen, for mounting
// Handler on a server of your own (the testgrid command's "serve" does so
// to run the fake as a process for other languages' test suites).
//
// # Request handling
//
// Each request is handled in this order; the first failure answers it.
//
//  1. Recording (Requests) and Options.Latency / SetLatency.
//  2. Protocol: the method must be POST (else 400
//     UnknownOperationException); the body at most MaxRequestBytes (1 MiB,
//     else 413 RequestEntityTooLargeException); Content-Type
//     application/x-amz-json-1.1, parameters allowed (else 400
//     SerializationException); X-Amz-Target
//     DeviceFarm_20150623.ListTestGridSessions (else 400
//     UnknownOperationException). The URL path is not checked (it is
//     recorded, and it is part of the signature).
//  3. SigV4, see below.
//  4. Faults: the next queued fault, if any, replaces the response. So faults
//     behave like the service failing: rejected requests never consume one.
//     The pagination faults (FaultEmptyPage, FaultRepeatToken) go on with
//     steps 5 to 7, and a call failing them gets its normal error.
//  5. Input: the body must be a JSON object (an empty body counts as {});
//     member names are case-sensitive, unknown members are ignored and JSON
//     null means absent. A member of the wrong JSON type, or a non-integer
//     maxResult, is a 400 SerializationException. Then the model
//     constraints, all violations reported in one 400 ArgumentException
//     naming each member ("2 validation errors detected: Value '0' at
//     'maxResult' failed to satisfy constraint: ..."): projectArn required,
//     32 to 1011 characters, matching ^arn:aws:devicefarm:.+ (the model's
//     pattern); status ACTIVE, CLOSED or ERRORED; maxResult 1 to 1000;
//     nextToken 4 to 1024 characters; timestamps within years 1 to 9999.
//  6. nextToken (see Pagination): a bad token is a 400 ArgumentException.
//  7. Project: an unknown projectArn is a 400 NotFoundException.
//
// Responses carry Content-Type application/x-amz-json-1.1, a unique
// x-amzn-RequestId (a random UUID, also in Request.RequestID), a Date header
// from Options.Now and a Content-Length. Errors also carry X-Amzn-ErrorType
// CODE and the body {"__type":"CODE","message":"..."}. Request values quoted
// in messages are cut to 128 characters, with control characters and
// invalid UTF-8 escaped Go-style (\n, \x00, \xff).
//
// # Signatures
//
// The server signs a copy of the request (its signed headers only, at its
// X-Amz-Date) with aws-sdk-go-v2's SigV4 signer and the accepted key pair,
// and compares signatures. Failures, checked in this order:
//
//   - no Authorization header: 403 MissingAuthenticationTokenException
//     "Missing Authentication Token";
//   - an Authorization header that is not AWS4-HMAC-SHA256 with Credential,
//     SignedHeaders and Signature, no X-Amz-Date, or a malformed credential
//     or date: 400 IncompleteSignatureException;
//   - an unknown access key ID, or an X-Amz-Security-Token different from
//     Options.SessionToken (a token sent when none is configured included):
//     403 UnrecognizedClientException "The security token included in the
//     request is invalid.";
//   - a credential scope with another date than X-Amz-Date, another region
//     ("Credential should be scoped to a valid region, not 'eu-west-1'.
//     This endpoint expects 'us-west-2'."), another service
//     ("Credential should be scoped to correct service: 'devicefarm'.") or
//     another terminator than aws4_request: 403 InvalidSignatureException;
//   - an X-Amz-Date more than 5 minutes before or after Options.Now: 403
//     InvalidSignatureException "Signature expired: ... is now earlier than
//     ..." or "Signature not yet current: ... is still later than ...".
//     Together with the Date header this lets a client detect clock skew,
//     correct it and retry;
//   - any other mismatch (wrong secret, modified body or header): 403
//     InvalidSignatureException "The request signature we calculated does
//     not match the signature you provided. ...".
//
// With Options.AnyCredentials, any non-empty access key ID and any session
// token (or none) are accepted and the signature itself is not compared;
// every other check above still applies.
//
// Messages never include the secret key or the session token. The signer
// never signs User-Agent, X-Amzn-Trace-Id, Expect or Transfer-Encoding, so a
// request that signed one of them is refused.
//
// # Listing
//
// Sessions are listed in ascending Created order, ties broken by Arn
// (byte-wise). Time filters compare at millisecond precision (request
// timestamps are truncated toward zero to the millisecond, as the AWS SDKs
// send them) and all four bounds are exclusive: creationTimeAfter keeps
// sessions created strictly after it, creationTimeBefore strictly before,
// and likewise endTimeAfter and endTimeBefore for Ended; the end-time
// bounds exclude sessions that have not ended. status keeps sessions in that
// state. Bounds that exclude everything give an empty page, not an error.
//
// # Pagination
//
// A request without maxResult gets Options.DefaultPageSize sessions per
// page (default 50). A nextToken is sent only when more matching sessions
// follow, so the last page has none, and an empty result is
// {"testGridSessions":[]}.
//
// A nextToken is opaque: base64url of a payload and its HMAC-SHA256 (128
// bits) under a random key of the server. The payload binds the project and
// the filters (status and the four bounds, but not maxResult, which may
// change from page to page) and holds the keyset position of the last
// session returned (its Created and a hash of its Arn), or, for a token of
// FaultEmptyPage, possibly the start of the listing. The next page starts
// strictly after that position, so paging stays stable while sessions are
// added: nothing is skipped or repeated, and sessions added after the
// position appear on later pages. The payload also holds a serial number,
// so every token issued is a new string: the same request sent twice gets
// two different tokens, which resume at the same position. A forged,
// modified or truncated token, a token from another Server (a restarted one
// included), or a token used with another project or other filters is
// refused with 400 ArgumentException. Tokens do not expire, and may be used
// any number of times.
//
// # Faults
//
// FailNext(n, f) and InjectFaults append to one FIFO queue, consumed one
// fault per HTTP request that passed the protocol and signature checks. A
// fault is consumed per request, not per client call: a call that its
// client retries sends several requests and so consumes several faults
// (FailNext(2, Throttling()) makes one call of a 3-attempt client succeed
// on its third request; see the example of FailNext). Request.Fault tells
// which request took which fault.
//
// See FaultKind for what each kind sends; Throttling, ServiceUnavailable,
// InternalError and AccessDenied build common FaultError values. A
// FaultKind marshals to and from its name ("FaultHang") as text, for JSON
// forms of faults. Waits (Latency, Fault.Delay, FaultHang,
// FaultStallMidBody) end when the request's context ends or the server is
// closed, and then drop the connection without (completing) a response;
// Close releases them, so it never blocks on them.
//
// Two kinds test a client's pagination loop. FaultEmptyPage answers an
// empty page with a fresh nextToken for the position the call started at:
// a client that follows it loses and repeats nothing. FaultRepeatToken
// answers the normal page with the request's own nextToken, like a service
// stuck on a page; a call without a nextToken is answered normally, so
// queue it from the second page on. Both answer a call that fails its
// input, nextToken or project checks with the normal error.
//
// # Data
//
// AddSessions stores sessions as given (times in UTC, truncated to the
// millisecond; an existing Arn is replaced). Seed generates realistic,
// deterministic sessions anchored at Options.Epoch (see GenerateSessions):
// ended sessions spread over the 30 days before it, active ones started in
// its last 3 hours. Projects lists the projects and ClearProjects forgets
// them all, as ClearFaults and ResetRequests do for faults and requests.
// Responses render timestamps as epoch seconds with millisecond decimals
// and no exponent (1709294400.123, whole seconds without a fraction), omit
// ended for sessions that have not ended, and send billingMinutes as a JSON
// number.
package devicefarmtest
