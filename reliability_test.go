package devicefarm_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// The fault matrix: every way the network and the service can misbehave,
// run against devicefarmtest with canary credentials. RELIABILITY.md lists
// the same rows; TestReliabilityDocListsEveryRow keeps the two in step.

// Canary credentials: no error string, %+v, debug log line or panic text may
// contain them (or their first 12 bytes, so a cut-off copy counts too).
const (
	canaryAccessKey = "AKIACANARYRELIABLE01"
	canarySecret    = "CANARYSECRET/reliability/000000000000000001"
	canaryToken     = "CANARYTOKEN-reliability-000000000000000000000001"

	matrixProject  = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:00000000-0000-4000-8000-00000000cafe"
	matrixSessions = 12
	matrixPageSize = 5

	// defaultCallTimeout bounds every matrix call that sets no deadline of
	// its own, so a regression fails instead of hanging CI.
	defaultCallTimeout = 30 * time.Second
)

// want is the outcome a user gets from one matrix row.
type want struct {
	ok          bool   // no error
	as          any    // errors.As target, e.g. new(*devicefarm.DecodeError)
	is          error  // errors.Is target
	code        string // smithy.APIError code
	status      int    // HTTP status carried by the error
	msg         string // substring of err.Error()
	maxAttempts bool   // wrapped in *retry.MaxAttemptsError
}

// matrixEnv is what a row's call works with.
type matrixEnv struct {
	srv    *devicefarmtest.Server
	client *devicefarm.Client
}

type matrixRow struct {
	name     string
	server   func(*devicefarmtest.Options)
	client   func(*devicefarm.Options)
	faults   []devicefarmtest.Fault
	latency  time.Duration
	deadline deadlineCue
	// stall says when the stall timers of the first stalls attempts fire:
	// the stall guard's countdowns never elapse by themselves in the
	// matrix, so a healthy attempt can never be taken for a stalled one.
	stall  stallCue
	stalls int
	// call runs the user's code; nil makes one ListTestGridSessions call
	// for the first page and checks it.
	call func(ctx context.Context, t *testing.T, env matrixEnv) error
	// requests is how many HTTP requests the server saw; for a single call
	// that is also devicefarm.Attempts of its error.
	requests int
	// timedOut marks a row whose attempts end on the caller's
	// http.Client.Timeout, a wall-clock timer that can end an attempt
	// before the server has logged it on a loaded machine: the server then
	// sees at most requests, and Attempts still counts every one sent.
	timedOut bool
	want     want
}

func matrixInput() *devicefarm.ListTestGridSessionsInput {
	return &devicefarm.ListTestGridSessionsInput{ProjectArn: matrixProject, MaxResult: matrixPageSize}
}

// firstPage is the default call: one page, checked against the fake's data.
func firstPage(ctx context.Context, t *testing.T, env matrixEnv) error {
	out, err := env.client.ListTestGridSessions(ctx, matrixInput())
	if err == nil {
		assert.Equal(t, env.srv.Sessions(matrixProject)[:matrixPageSize], out.TestGridSessions)
		assert.NotEmpty(t, out.NextToken)
	}
	return err
}

// walk pages through the whole listing, running between(env, requests)
// after each page with the number of requests made so far, and checks that
// exactly the first n sessions of the fake's listing arrived, in order.
func walk(n int, between func(env matrixEnv, requests int)) func(ctx context.Context, t *testing.T, env matrixEnv) error {
	return func(ctx context.Context, t *testing.T, env matrixEnv) error {
		p := devicefarm.NewListTestGridSessionsPaginator(env.client, matrixInput())
		var got []devicefarm.TestGridSession
		var err error
		for page, pageErr := range p.Pages(ctx) {
			if pageErr != nil {
				err = pageErr
				break
			}
			got = append(got, page.TestGridSessions...)
			if between != nil {
				between(env, len(env.srv.Requests()))
			}
		}
		assert.Equal(t, env.srv.Sessions(matrixProject)[:n], got, "sessions arrive once each, in order, none lost")
		return err
	}
}

// breakAndResume ranges Sessions, breaks after n sessions, and ranges the
// same paginator again: together the two loops must yield every session
// once, in order, and fetch no page twice.
func breakAndResume(n int) func(ctx context.Context, t *testing.T, env matrixEnv) error {
	return func(ctx context.Context, t *testing.T, env matrixEnv) error {
		p := devicefarm.NewListTestGridSessionsPaginator(env.client, matrixInput())
		var got []devicefarm.TestGridSession
		for s, err := range p.Sessions(ctx) {
			if err != nil {
				return err
			}
			got = append(got, s)
			if len(got) == n {
				break
			}
		}
		for s, err := range p.Sessions(ctx) {
			if err != nil {
				return err
			}
			got = append(got, s)
		}
		assert.Equal(t, env.srv.Sessions(matrixProject), got, "sessions arrive once each, in order, none lost")
		return nil
	}
}

// rangeFinished walks to the end, then ranges the finished paginator
// again, as a polling loop that reuses one would: that range yields
// ErrNoMorePages instead of silently nothing.
func rangeFinished(ctx context.Context, t *testing.T, env matrixEnv) error {
	p := devicefarm.NewListTestGridSessionsPaginator(env.client, matrixInput())
	n := 0
	for _, err := range p.Sessions(ctx) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, matrixSessions, n)
	for _, err := range p.Sessions(ctx) {
		return err
	}
	return errors.New("ranging a finished paginator yielded nothing")
}

// sharedPaginator ranges one paginator from n goroutines at once, which is
// misuse: every goroutine either gets sessions or ErrPaginatorInUse (or
// ErrNoMorePages if it starts after the walk), and no session is yielded
// twice or lost.
func sharedPaginator(n int) func(ctx context.Context, t *testing.T, env matrixEnv) error {
	return func(ctx context.Context, t *testing.T, env matrixEnv) error {
		p := devicefarm.NewListTestGridSessionsPaginator(env.client, matrixInput())
		var (
			mu   sync.Mutex
			got  = map[string]int{}
			errs []error
			wg   sync.WaitGroup
		)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for s, err := range p.Sessions(ctx) {
					mu.Lock()
					if err != nil {
						errs = append(errs, err)
					} else {
						got[s.Arn]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if !errors.Is(err, devicefarm.ErrPaginatorInUse) && !errors.Is(err, devicefarm.ErrNoMorePages) {
				return err
			}
		}
		assert.Len(t, got, matrixSessions, "no session lost")
		for arn, times := range got {
			assert.Equal(t, 1, times, "session %s yielded once", arn)
		}
		return nil
	}
}

// burst queues n copies of f.
func burst(n int, f devicefarmtest.Fault) []devicefarmtest.Fault {
	faults := make([]devicefarmtest.Fault, n)
	for i := range faults {
		faults[i] = f
	}
	return faults
}

func html(status int) devicefarmtest.Fault {
	return devicefarmtest.Fault{Kind: devicefarmtest.FaultHTML, Status: status}
}

func gatewayTimeout() devicefarmtest.Fault {
	return devicefarmtest.Fault{Kind: devicefarmtest.FaultError, Status: http.StatusGatewayTimeout, Code: "GatewayTimeoutException", Message: "Gateway Timeout"}
}

// clientTimeout gives the fake's own HTTP client a Timeout, as a user who
// sets http.Client.Timeout instead of a context deadline would.
func clientTimeout(d time.Duration) func(*devicefarm.Options) {
	return func(o *devicefarm.Options) {
		hc := *o.HTTPClient.(*http.Client)
		hc.Timeout = d
		o.HTTPClient = &hc
	}
}

// stallAfter sets Options.StallTimeout.
func stallAfter(d time.Duration) func(*devicefarm.Options) {
	return func(o *devicefarm.Options) { o.StallTimeout = d }
}

func serverClock(offset time.Duration) func(*devicefarmtest.Options) {
	return func(o *devicefarmtest.Options) { o.Now = func() time.Time { return time.Now().Add(offset) } }
}

// twoCalls makes two calls on one client: the first must take the given
// number of attempts, the second one attempt (what the client learned
// sticks).
func twoCalls(firstAttempts int) func(ctx context.Context, t *testing.T, env matrixEnv) error {
	return func(ctx context.Context, t *testing.T, env matrixEnv) error {
		if err := firstPage(ctx, t, env); err != nil {
			return err
		}
		assert.Len(t, env.srv.Requests(), firstAttempts, "first call")
		return firstPage(ctx, t, env)
	}
}

func matrixRows() []matrixRow {
	throttle, unavailable, internal := devicefarmtest.Throttling(), devicefarmtest.ServiceUnavailable(), devicefarmtest.InternalError()
	resetBefore := devicefarmtest.Fault{Kind: devicefarmtest.FaultCloseBeforeResponse}
	resetDuring := devicefarmtest.Fault{Kind: devicefarmtest.FaultCloseMidBody}
	hang := devicefarmtest.Fault{Kind: devicefarmtest.FaultHang}
	stallMidBody := devicefarmtest.Fault{Kind: devicefarmtest.FaultStallMidBody}
	return []matrixRow{
		// Throttling.
		{name: "throttling burst shorter than the retry budget", faults: burst(2, throttle), requests: 3, want: want{ok: true}},
		{name: "throttling burst longer than the retry budget", faults: burst(5, throttle), requests: 3,
			want: want{as: new(*devicefarm.APIError), code: "ThrottlingException", status: 400, msg: "exceeded maximum number of attempts, 3,", maxAttempts: true}},
		{name: "sustained throttling drains the client-side retry quota", faults: burst(1000, throttle),
			call: func(ctx context.Context, t *testing.T, env matrixEnv) error {
				for i := 0; i < 100; i++ {
					if _, err := env.client.ListTestGridSessions(ctx, matrixInput()); errors.Is(err, devicefarm.ErrRetryQuotaExceeded) {
						assert.Equal(t, 50, i, "500 tokens at 5 per throttled retry: 50 calls of 2 retries")
						return err
					}
				}
				return nil
			},
			requests: 50*3 + 1,
			want:     want{is: devicefarm.ErrRetryQuotaExceeded, code: "ThrottlingException", msg: "client-side retry quota exhausted"}},

		// 5xx, transient and persistent.
		{name: "500 InternalServiceException once", faults: []devicefarmtest.Fault{internal}, requests: 2, want: want{ok: true}},
		{name: "500 InternalServiceException persistent", faults: burst(3, internal), requests: 3,
			want: want{as: new(*devicefarm.InternalServiceException), code: "InternalServiceException", status: 500, msg: "Internal error (injected fault)", maxAttempts: true}},
		{name: "502 proxy HTML page once", faults: []devicefarmtest.Fault{html(502)}, requests: 2, want: want{ok: true}},
		{name: "502 proxy HTML page persistent", faults: burst(3, html(502)), requests: 3,
			want: want{as: new(*devicefarm.APIError), code: devicefarm.CodeUnknownError, status: 502, msg: "non-JSON error response: <html> <head><title>502 Bad Gateway</title>", maxAttempts: true}},
		{name: "503 ServiceUnavailable once", faults: []devicefarmtest.Fault{unavailable}, requests: 2, want: want{ok: true}},
		{name: "503 ServiceUnavailable persistent", faults: burst(3, unavailable), requests: 3,
			want: want{as: new(*devicefarm.APIError), code: "ServiceUnavailableException", status: 503, maxAttempts: true}},
		{name: "504 gateway timeout once", faults: []devicefarmtest.Fault{gatewayTimeout()}, requests: 2, want: want{ok: true}},
		{name: "504 gateway timeout persistent", faults: burst(3, gatewayTimeout()), requests: 3,
			want: want{as: new(*devicefarm.APIError), code: "GatewayTimeoutException", status: 504, maxAttempts: true}},

		// Connections.
		{name: "connection reset before the response once", faults: []devicefarmtest.Fault{resetBefore}, requests: 2, want: want{ok: true}},
		{name: "connection reset before the response persistent", faults: burst(3, resetBefore), requests: 3,
			want: want{as: new(*url.Error), msg: "connection error: no response", maxAttempts: true}},
		{name: "connection reset during the body once", faults: []devicefarmtest.Fault{resetDuring}, requests: 2, want: want{ok: true}},
		{name: "connection reset during the body persistent", faults: burst(3, resetDuring), requests: 3,
			want: want{is: io.ErrUnexpectedEOF, status: 200, msg: "StatusCode: 200, RequestID: ", maxAttempts: true}},

		// Bodies.
		{name: "truncated JSON", faults: []devicefarmtest.Fault{{Kind: devicefarmtest.FaultTruncatedBody}}, requests: 1,
			want: want{as: new(*devicefarm.DecodeError), status: 200, msg: "StatusCode: 200, RequestID: "}},
		{name: "malformed JSON", faults: []devicefarmtest.Fault{{Kind: devicefarmtest.FaultMalformedBody}}, requests: 1,
			want: want{as: new(*devicefarm.DecodeError), status: 200, msg: `body starts "this is not JSON`}},
		{name: "HTML page with status 200", faults: []devicefarmtest.Fault{html(200)}, requests: 1,
			want: want{as: new(*devicefarm.DecodeError), status: 200, msg: "response is not a JSON object"}},
		{name: "HTML error page with status 403", faults: []devicefarmtest.Fault{html(403)}, requests: 1,
			want: want{as: new(*devicefarm.APIError), code: devicefarm.CodeUnknownError, status: 403, msg: "403 Forbidden"}},
		{name: "body over the size cap", faults: []devicefarmtest.Fault{{Kind: devicefarmtest.FaultOversizedBody, Size: 1 << 20}},
			client: func(o *devicefarm.Options) { o.MaxResponseBytes = 64 << 10 }, requests: 1,
			want: want{is: devicefarm.ErrResponseTooLarge, msg: "Content-Length 1048576 exceeds MaxResponseBytes 65536"}},

		// Time.
		{name: "server slower than the caller's deadline", latency: time.Minute, deadline: deadlineAtServer, requests: 1,
			want: want{is: context.DeadlineExceeded, msg: "ListTestGridSessions, context deadline exceeded"}},
		{name: "server never answers, context deadline", faults: []devicefarmtest.Fault{hang}, deadline: deadlineAtServer, requests: 1,
			want: want{is: context.DeadlineExceeded, msg: "ListTestGridSessions, context deadline exceeded"}},
		{name: "server never answers, http.Client.Timeout", faults: burst(3, hang), client: clientTimeout(200 * time.Millisecond), requests: 3, timedOut: true,
			want: want{as: new(*devicefarm.ConnectionError), msg: "Client.Timeout exceeded", maxAttempts: true}},
		{name: "server never answers, no deadline", faults: burst(3, hang), client: stallAfter(200 * time.Millisecond), requests: 3,
			stall: stallAtServer, stalls: 3,
			want: want{is: devicefarm.ErrStalled, as: new(*devicefarm.ConnectionError), msg: "connection error: no response: the server sent nothing within Options.StallTimeout (nothing for 200ms)", maxAttempts: true}},
		{name: "server stalls mid-body once", faults: []devicefarmtest.Fault{stallMidBody}, client: stallAfter(200 * time.Millisecond), requests: 2,
			stall: stallAfterHeader, stalls: 1, want: want{ok: true}},
		{name: "server stalls mid-body persistent", faults: burst(3, stallMidBody), client: stallAfter(200 * time.Millisecond), requests: 3,
			stall: stallAfterHeader, stalls: 3,
			want: want{is: devicefarm.ErrStalled, status: 200, msg: "connection error: response body cut off: the server sent nothing", maxAttempts: true}},
		{name: "deadline expires during retry backoff", faults: []devicefarmtest.Fault{throttle},
			deadline: deadlineInBackoff, requests: 1,
			want: want{is: context.DeadlineExceeded, code: "ThrottlingException", msg: "context deadline exceeded (last attempt: https response error StatusCode: 400, RequestID: "}},
		{name: "clock skew: server clock 1h ahead", server: serverClock(time.Hour), call: twoCalls(2), requests: 3, want: want{ok: true}},
		{name: "clock skew: server clock 1h behind", server: serverClock(-time.Hour), call: twoCalls(2), requests: 3, want: want{ok: true}},

		// Pagination.
		{name: "repeated nextToken", call: walk(2*matrixPageSize, func(env matrixEnv, requests int) {
			if requests == 1 {
				env.srv.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultRepeatToken})
			}
		}), requests: 2, want: want{as: new(*devicefarm.RepeatedNextTokenError), is: devicefarm.ErrRepeatedNextToken, msg: "page 2"}},
		{name: "empty page with a token, first page", faults: []devicefarmtest.Fault{{Kind: devicefarmtest.FaultEmptyPage}}, call: walk(matrixSessions, nil),
			requests: 4, want: want{ok: true}},
		{name: "empty pages with tokens, mid-walk", call: walk(matrixSessions, func(env matrixEnv, requests int) {
			if requests == 1 {
				env.srv.Inject(devicefarmtest.Match{Times: 2}, devicefarmtest.Fault{Kind: devicefarmtest.FaultEmptyPage})
			}
		}), requests: 5, want: want{ok: true}},
		{name: "break, then range the same paginator again", call: breakAndResume(7), requests: 3, want: want{ok: true}},
		{name: "range a finished paginator", call: rangeFinished, requests: 3, want: want{is: devicefarm.ErrNoMorePages, msg: "no more pages"}},
		{name: "one paginator ranged by 8 goroutines", call: sharedPaginator(8), requests: 3, want: want{ok: true}},

		// Service errors that must not be retried.
		{name: "access denied", faults: []devicefarmtest.Fault{devicefarmtest.AccessDenied()}, requests: 1,
			want: want{as: new(*devicefarm.APIError), code: "AccessDeniedException", status: 400, msg: "not authorized"}},
		{name: "unknown project", call: func(ctx context.Context, t *testing.T, env matrixEnv) error {
			_, err := env.client.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: matrixProject + "0"})
			return err
		}, requests: 1, want: want{as: new(*devicefarm.NotFoundException), code: "NotFoundException", status: 400, msg: "was not found"}},
		{name: "forged nextToken", call: func(ctx context.Context, t *testing.T, env matrixEnv) error {
			in := matrixInput()
			in.NextToken = "bm90IGEgcmVhbCB0b2tlbg"
			_, err := env.client.ListTestGridSessions(ctx, in)
			return err
		}, requests: 1, want: want{as: new(*devicefarm.ArgumentException), code: "ArgumentException", status: 400, msg: "Invalid nextToken"}},
		{name: "wrong secret key", client: func(o *devicefarm.Options) {
			o.Credentials = staticCredentials(canaryAccessKey, "WRONGSECRET/reliability/00000000000000001", canaryToken)
		}, requests: 1, want: want{as: new(*devicefarm.APIError), code: "InvalidSignatureException", status: 403, msg: "signature"}},
	}
}

// staticCredentials holds the key, secret and token in a plain struct value
// (valueProvider), the shape most likely to print them if a client or its
// Options were formatted deeply.
func staticCredentials(key, secret, token string) aws.CredentialsProvider {
	return valueProvider{aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: token}}
}

// TestFaultMatrix runs each row on a fresh fake and client (retried faults
// share the client-side retry quota, so rows must not share a client), with
// canary credentials and a debug logger, and checks the error the user
// gets, the requests made, the deadline, goroutines and secrets.
func TestFaultMatrix(t *testing.T) {
	// Not parallel: goleak compares the goroutines before and after each row.
	for _, row := range matrixRows() {
		t.Run(row.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			srv := devicefarmtest.NewServer(func(o *devicefarmtest.Options) {
				o.AccessKeyID, o.SecretAccessKey, o.SessionToken = canaryAccessKey, canarySecret, canaryToken
				if row.server != nil {
					row.server(o)
				}
			})
			defer srv.Close() // before goleak's check: deferred calls run last-in first-out
			srv.Seed(matrixProject, matrixSessions, 1)
			srv.SetLatency(row.latency)
			for _, f := range row.faults {
				srv.Inject(devicefarmtest.Match{}, f)
			}
			var logs devicefarm.SyncBuffer
			backoffChosen := make(chan struct{}, 1)
			stallCues := devicefarm.NewStallCues()
			client := srv.Client(stallCues.Option, func(o *devicefarm.Options) {
				if row.deadline == deadlineInBackoff {
					o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
						so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) {
							select {
							case backoffChosen <- struct{}{}:
							default:
							}
							return time.Minute, nil
						})
					})
				}
				o.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				o.Credentials = staticCredentials(canaryAccessKey, canarySecret, canaryToken)
			}, func(o *devicefarm.Options) {
				if row.client != nil {
					row.client(o)
				}
			})
			call := row.call
			if call == nil {
				call = firstPage
			}
			ctx, cancel := context.WithTimeout(context.Background(), defaultCallTimeout)
			defer cancel()
			if row.deadline != noDeadline {
				expiring, expire := devicefarm.NewExpiringContext()
				ctx = expiring
				cued := make(chan struct{})
				defer func() { <-cued }() // before goleak's check
				go func() {
					defer close(cued)
					defer expire()
					awaitCue(srv, row.deadline, backoffChosen)
				}()
			}
			if row.stall != noStall {
				fired := make(chan struct{})
				defer func() { <-fired }() // before goleak's check
				go func() {
					defer close(fired)
					fireStalls(srv, stallCues, row.stall, row.stalls)
				}()
			}
			start := time.Now()
			panicText, err := callRecovering(func() error { return call(ctx, t, matrixEnv{srv: srv, client: client}) })
			elapsed := time.Since(start)
			t.Logf("after %v, %d requests: %v", elapsed.Round(time.Millisecond), len(srv.Requests()), err)

			assert.Empty(t, panicText, "the call panicked")
			checkWant(t, row.want, err)
			if row.timedOut {
				assert.LessOrEqual(t, len(srv.Requests()), row.requests, "HTTP requests")
			} else {
				assert.Len(t, srv.Requests(), row.requests, "HTTP requests")
			}
			var oe *smithy.OperationError
			if row.call == nil && errors.As(err, &oe) {
				assert.Equal(t, row.requests, devicefarm.Attempts(err), "devicefarm.Attempts")
			}
			requireNoCanary(t, err, logs.String(), panicText, fmt.Sprintf("%+v", client), fmt.Sprintf("%+v", client.Options()))
		})
	}
}

// valueProvider is an aws.CredentialsProvider that is a struct value.
type valueProvider struct{ creds aws.Credentials }

func (p valueProvider) Retrieve(context.Context) (aws.Credentials, error) { return p.creds, nil }

// checkWant holds err to w.
func checkWant(t *testing.T, w want, err error) {
	t.Helper()
	if w.ok {
		require.NoError(t, err)
		return
	}
	require.Error(t, err)
	if w.as != nil {
		assert.ErrorAs(t, err, w.as)
	}
	if w.is != nil {
		assert.ErrorIs(t, err, w.is)
	}
	if w.code != "" {
		var ae smithy.APIError
		if assert.ErrorAs(t, err, &ae) {
			assert.Equal(t, w.code, ae.ErrorCode())
		}
	}
	if w.status != 0 {
		var hs interface{ HTTPStatusCode() int }
		if assert.ErrorAs(t, err, &hs) {
			assert.Equal(t, w.status, hs.HTTPStatusCode())
		}
	}
	if w.msg != "" {
		assert.Contains(t, err.Error(), w.msg)
	}
	var mae *retry.MaxAttemptsError
	assert.Equal(t, w.maxAttempts, errors.As(err, &mae), "wrapped in *retry.MaxAttemptsError")
	assert.NotContains(t, err.Error(), "\n", "one line")
}

// callRecovering runs fn and returns the text of its panic, if any, and its
// error.
func callRecovering(fn func() error) (panicText string, err error) {
	defer func() {
		if r := recover(); r != nil {
			panicText = fmt.Sprint(r)
		}
	}()
	return "", fn()
}

// requireNoCanary fails if any canary credential (or its first 12 bytes)
// appears in err's text, its %+v or %#v, the logs, or a panic text.
func requireNoCanary(t *testing.T, err error, texts ...string) {
	t.Helper()
	if err != nil {
		texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}
	for _, text := range texts {
		for _, canary := range []string{canaryAccessKey, canarySecret, canaryToken} {
			require.NotContains(t, text, canary[:12], "a credential leaked")
		}
	}
}

// TestReliabilityDocListsEveryRow keeps RELIABILITY.md's matrix table in
// step with the rows above.
func TestReliabilityDocListsEveryRow(t *testing.T) {
	doc, err := os.ReadFile("RELIABILITY.md")
	require.NoError(t, err)
	for _, row := range matrixRows() {
		assert.Contains(t, string(doc), "| "+row.name+" |", "RELIABILITY.md has no row for %q", row.name)
	}
}
