// Package devicefarm is a small, fast client for one AWS API call:
// DeviceFarm ListTestGridSessions, which lists the Selenium test grid
// sessions of a TestGridProject.
//
// It speaks the service's awsJson1.1 protocol directly, signs with
// aws-sdk-go-v2's SigV4 signer and retries with its standard retryer, and
// depends on nothing else: no generated middleware stack, no endpoint rule
// engine.
//
// # Authentication
//
// Options.Credentials takes any aws.CredentialsProvider. The easiest way to
// get environment variables, shared config profiles, SSO and instance roles
// is aws-sdk-go-v2's config package:
//
//	cfg, err := config.LoadDefaultConfig(ctx)
//	client := devicefarm.NewFromConfig(cfg)
//
// Credentials, signatures and session tokens never appear in errors or logs.
//
// # Region and endpoint
//
// DeviceFarm is served only from us-west-2, the default Region. Any other
// region fails fast with an error that says so, unless BaseEndpoint points the
// client elsewhere (a local fake, for example). NewFromConfig reads the
// endpoint settings as the official client does (AWS_ENDPOINT_URL_DEVICE_FARM,
// the shared config's services section, AWS_ENDPOINT_URL, and their
// precedence). Plain http:// endpoints are accepted only on loopback hosts,
// whatever their source, and redirects are never followed.
//
// # Pagination
//
// ListTestGridSessions returns one page. NewListTestGridSessionsPaginator
// follows nextToken, with HasMorePages/NextPage or with the Pages and
// Sessions iterators:
//
//	p := devicefarm.NewListTestGridSessionsPaginator(client, &devicefarm.ListTestGridSessionsInput{ProjectArn: arn})
//	for s, err := range p.Sessions(ctx) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(s.Arn, s.Status)
//	}
//
// After a break, ranging again resumes exactly where the loop stopped. A
// nextToken that the service already sent in the same walk (a repeat or a
// cycle) ends the walk with ErrRepeatedNextToken, after the page that
// carried it, instead of looping forever.
//
// # Watching
//
// NewSessionWatcher reports the sessions of a project as they start and
// end, polling ListTestGridSessions: one SessionStarted and one
// SessionEnded event per session, in that order, once per watch, resumable
// with ResumeToken. At DefaultWatchInterval it sends 240 requests an hour
// while the project has at most 1000 ACTIVE sessions:
//
//	w := devicefarm.NewSessionWatcher(client, &devicefarm.ListTestGridSessionsInput{ProjectArn: arn})
//	for ev, err := range w.Events(ctx) {
//		if errors.Is(err, context.Canceled) {
//			break
//		}
//		if err != nil {
//			continue // the poll is tried again after a growing wait
//		}
//		fmt.Println(ev.Type, ev.Session.ID(), ev.Session.Status)
//	}
//
// # Errors
//
// Errors follow aws-sdk-go-v2's chain. Every error a call returns is a
// *smithy.OperationError (ServiceID "Device Farm", OperationName
// "ListTestGridSessions"); Attempts(err) gives the number of HTTP requests
// sent, 0 when the call failed before sending one (invalid input or
// options, credentials, signing).
// An error that arrived with a response wraps an *awshttp.ResponseError
// (aws/transport/http: the request ID) around a *smithyhttp.ResponseError
// (smithy-go/transport/http: the HTTP status) around the cause, and
// exhausted retries add a *retry.MaxAttemptsError outside it, as the
// official client's do. The causes:
//   - *ValidationError: the input broke a model constraint, or an option
//     was negative where that has no meaning; nothing was sent.
//   - *NotFoundException, *ArgumentException, *InternalServiceException: the
//     three errors the service models for this call.
//   - *APIError: any other service error code (ThrottlingException,
//     AccessDeniedException, ...), or an unparseable error response.
//   - *DecodeError: a 2xx response whose body could not be decoded.
//   - *RedirectError: a redirect, which is never followed.
//   - *ConnectionError: no response arrived, its body was cut off, or
//     nothing arrived for Options.StallTimeout (ErrStalled).
//   - context errors, when the context ended first.
//
// All service errors implement smithy.APIError. When the context is canceled
// or its deadline passes, the error satisfies errors.Is(err,
// context.Canceled) or errors.Is(err, context.DeadlineExceeded) and still
// names the last attempt's failure. Messages are one line and never hold a
// credential, signature or session token.
//
// # Observability
//
// Options.TracerProvider and Options.MeterProvider take smithy-go's
// providers and receive the official client's spans ("Device
// Farm.ListTestGridSessions", "RetryLoop", "Attempt") and metrics
// (client.call.duration, client.call.attempts, client.call.errors,
// client.call.attempt_duration). Unset, they cost nothing.
//
// # Retries
//
// By default aws-sdk-go-v2's standard retryer makes up to 3 attempts:
// throttling codes, HTTP 500/502/503/504, unmodelled 429s and connection
// failures are retried with jittered exponential backoff; 4xx client faults
// are not. Every attempt is signed afresh. Set Options.RetryMaxAttempts, or
// supply any aws.Retryer in Options.Retryer. A retry refused by the
// retryer's client-side token bucket yields ErrRetryQuotaExceeded.
//
// # Logging
//
// Options.Logger receives one debug record per HTTP attempt with operation,
// attempt, status, request ID, latency, error and retry delay. A
// *slog.Logger fits it (the Logger interface is its DebugContext method), so
// the package itself does not link log/slog.
//
// # Concurrency
//
// A Client is safe for concurrent use and should be reused. A paginator
// belongs to one goroutine: concurrent use is detected and reported with
// ErrPaginatorInUse.
//
// # Testing
//
// Package github.com/testgridkit/devicefarm/devicefarmtest is a fake
// DeviceFarm for tests, in the manner of net/http/httptest: a loopback
// server that checks each request's protocol and SigV4 signature, serves
// seeded sessions with real pagination tokens, and injects faults
// (throttling, 5xx, dropped connections, stalls) on demand. Its Client
// method returns a Client pointed at it:
//
//	srv := devicefarmtest.NewServer()
//	defer srv.Close()
//	srv.Seed(projectArn, 25, 1)
//	client := srv.Client()
package devicefarm
