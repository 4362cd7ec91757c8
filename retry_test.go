package devicefarm

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const retryOKBody = `{"testGridSessions":[{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/s1","status":"ACTIVE"}]}`

// retryStep is one scripted response.
type retryStep struct {
	status  int
	body    string
	headers []string // name, value pairs
}

// retryScript answers request n (1-based) with steps[n-1], repeating the
// last step once the script runs out. Each response carries the request ID
// "rid-n".
func retryScript(steps ...retryStep) func(w http.ResponseWriter, r *http.Request, body []byte) {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request, body []byte) {
		i := int(n.Add(1))
		s := steps[min(i, len(steps))-1]
		headers := append([]string{"X-Amzn-RequestId", fmt.Sprintf("rid-%d", i)}, s.headers...)
		respond(w, s.status, []byte(s.body), headers...)
	}
}

var (
	ok200       = retryStep{status: 200, body: retryOKBody}
	unavailable = retryStep{status: 503, body: `{"message":"service unavailable"}`}
)

func retryInput() *ListTestGridSessionsInput {
	return &ListTestGridSessionsInput{ProjectArn: testProjectArn}
}

// abortMidBody writes the status line, headers and a part of the body
// announced with a larger Content-Length, then drops the connection.
func abortMidBody(t testing.TB) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Errorf("response writer cannot hijack")
			return
		}
		conn, buf, err := hj.Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 500\r\nX-Amzn-RequestId: rid-partial\r\n\r\n{\"testGridSessions\":[{\"arn\":")
		_ = buf.Flush()
	}
}

func TestRetry_503ThenSuccess(t *testing.T) {
	ts, c := newTestServer(t, retryScript(unavailable, ok200))
	out, err := c.ListTestGridSessions(context.Background(), retryInput())
	require.NoError(t, err)
	require.Len(t, out.TestGridSessions, 1)
	assert.Equal(t, "s1", out.TestGridSessions[0].ID())
	assert.Equal(t, "rid-2", out.RequestID)

	reqs := ts.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "attempt=1; max=3", reqs[0].Header.Get("Amz-Sdk-Request"))
	assert.Equal(t, "attempt=2; max=3", reqs[1].Header.Get("Amz-Sdk-Request"))
	id := reqs[0].Header.Get("Amz-Sdk-Invocation-Id")
	assert.Len(t, id, 36)
	assert.Equal(t, id, reqs[1].Header.Get("Amz-Sdk-Invocation-Id"), "all attempts of a call share the invocation ID")
	assert.Equal(t, reqs[0].Body, reqs[1].Body)
}

func TestRetry_Retryability(t *testing.T) {
	tests := []struct {
		name      string
		first     retryStep
		wantCalls int // 2: retried and then succeeded; 1: not retried
		wantCode  string
	}{
		{name: "500", first: retryStep{status: 500, body: `{"message":"x"}`}, wantCalls: 2},
		{name: "500 InternalServiceException", first: retryStep{status: 500, body: `{"__type":"InternalServiceException","Message":"Internal error"}`}, wantCalls: 2},
		{name: "502 HTML", first: retryStep{status: 502, body: `<html>bad gateway</html>`, headers: []string{"Content-Type", "text/html"}}, wantCalls: 2},
		{name: "503", first: unavailable, wantCalls: 2},
		{name: "504 empty body", first: retryStep{status: 504}, wantCalls: 2},
		{name: "400 ThrottlingException", first: retryStep{status: 400, body: `{"__type":"ThrottlingException","message":"Rate exceeded"}`}, wantCalls: 2},
		{name: "400 ThrottlingException in header", first: retryStep{status: 400, body: `{"message":"Rate exceeded"}`, headers: []string{"X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/"}}, wantCalls: 2},
		{name: "429 unmodeled", first: retryStep{status: 429, body: `{"message":"slow down"}`}, wantCalls: 2},
		{name: "501", first: retryStep{status: 501, body: `{"message":"not implemented"}`}, wantCalls: 1, wantCode: CodeUnknownError},
		{name: "400 NotFoundException", first: retryStep{status: 400, body: `{"__type":"NotFoundException","message":"no project"}`}, wantCalls: 1, wantCode: CodeNotFoundException},
		{name: "400 ArgumentException", first: retryStep{status: 400, body: `{"__type":"ArgumentException","message":"bad"}`}, wantCalls: 1, wantCode: CodeArgumentException},
		{name: "429 modeled ArgumentException", first: retryStep{status: 429, body: `{"__type":"ArgumentException","message":"bad"}`}, wantCalls: 1, wantCode: CodeArgumentException},
		{name: "403 AccessDeniedException", first: retryStep{status: 403, body: `{"__type":"AccessDeniedException","message":"no"}`}, wantCalls: 1, wantCode: "AccessDeniedException"},
		{name: "200 undecodable body", first: retryStep{status: 200, body: `{"testGridSessions":7}`}, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, c := newTestServer(t, retryScript(tt.first, ok200))
			out, err := c.ListTestGridSessions(context.Background(), retryInput())
			assert.Len(t, ts.Requests(), tt.wantCalls)
			if tt.wantCalls == 2 {
				require.NoError(t, err)
				assert.Len(t, out.TestGridSessions, 1)
				return
			}
			require.Error(t, err)
			oe := requireOperationError(t, err)
			assert.Equal(t, 1, oe)
			var mae *retry.MaxAttemptsError
			assert.False(t, errors.As(err, &mae), "a non-retryable error is not a MaxAttemptsError")
			if tt.wantCode != "" {
				var ae interface{ ErrorCode() string }
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, tt.wantCode, ae.ErrorCode())
			}
		})
	}
}

func TestRetry_ExhaustsMaxAttempts(t *testing.T) {
	ts, c := newTestServer(t, retryScript(unavailable))
	_, err := c.ListTestGridSessions(context.Background(), retryInput())
	require.Error(t, err)
	assert.Len(t, ts.Requests(), 3)

	var mae *retry.MaxAttemptsError
	require.ErrorAs(t, err, &mae)
	assert.Equal(t, 3, mae.Attempt)
	oe := requireOperationError(t, err)
	assert.Equal(t, 3, oe)
	var ae *APIError
	require.ErrorAs(t, err, &ae, "the last attempt's error stays reachable")
	assert.Equal(t, 503, ae.StatusCode)
	assert.Equal(t, "rid-3", ae.RequestID)
	assert.Contains(t, err.Error(), "exceeded maximum number of attempts, 3,")
	assert.Contains(t, err.Error(), "503")
}

func TestRetry_RetryMaxAttempts(t *testing.T) {
	t.Run("1 disables retries", func(t *testing.T) {
		ts, c := newTestServer(t, retryScript(unavailable), func(o *Options) { o.RetryMaxAttempts = 1 })
		_, err := c.ListTestGridSessions(context.Background(), retryInput())
		require.Error(t, err)
		reqs := ts.Requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, "attempt=1; max=1", reqs[0].Header.Get("Amz-Sdk-Request"))
		oe := requireOperationError(t, err)
		assert.Equal(t, 1, oe)
	})

	t.Run("per-call optFn applies to that call only", func(t *testing.T) {
		ts, c := newTestServer(t, retryScript(unavailable))
		_, err := c.ListTestGridSessions(context.Background(), retryInput(), func(o *Options) { o.RetryMaxAttempts = 5 })
		require.Error(t, err)
		oe := requireOperationError(t, err)
		assert.Equal(t, 5, oe)
		reqs := ts.Requests()
		require.Len(t, reqs, 5)
		assert.Equal(t, "attempt=5; max=5", reqs[4].Header.Get("Amz-Sdk-Request"))

		_, err = c.ListTestGridSessions(context.Background(), retryInput())
		assert.Equal(t, 3, requireOperationError(t, err))
		reqs = ts.Requests()
		require.Len(t, reqs, 8)
		assert.Equal(t, "attempt=3; max=3", reqs[7].Header.Get("Amz-Sdk-Request"))
		assert.Equal(t, 0, c.Options().RetryMaxAttempts, "a per-call optFn must not change the client")
	})
}

func TestRetry_ConnectionDroppedMidBody(t *testing.T) {
	tests := []struct {
		name string
		drop func(t *testing.T, w http.ResponseWriter)
	}{
		{name: "hijacked connection closed", drop: func(t *testing.T, w http.ResponseWriter) { abortMidBody(t)(w) }},
		{name: "handler aborted after headers", drop: func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Content-Length", "500")
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"testGridSessions":[`))
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				if n.Add(1) == 1 {
					tt.drop(t, w)
					return
				}
				respond(w, 200, []byte(retryOKBody), "X-Amzn-RequestId", "rid-ok")
			})
			out, err := c.ListTestGridSessions(context.Background(), retryInput())
			require.NoError(t, err)
			assert.Equal(t, "rid-ok", out.RequestID)
			assert.Len(t, out.TestGridSessions, 1)
			assert.Len(t, ts.Requests(), 2)
		})
	}

	t.Run("every attempt dropped", func(t *testing.T) {
		ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) { abortMidBody(t)(w) })
		_, err := c.ListTestGridSessions(context.Background(), retryInput())
		require.Error(t, err)
		assert.Len(t, ts.Requests(), 3)
		var mae *retry.MaxAttemptsError
		require.ErrorAs(t, err, &mae)
		assert.Contains(t, err.Error(), "unexpected EOF")
	})
}

func TestRetry_ConnectionClosedBeforeResponse(t *testing.T) {
	var n atomic.Int32
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if n.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close() // no status line at all
			}
			return
		}
		respond(w, 200, []byte(retryOKBody), "X-Amzn-RequestId", "rid-ok")
	})
	out, err := c.ListTestGridSessions(context.Background(), retryInput())
	require.NoError(t, err, "a connection closed before any response is retried, as the official SDK does")
	assert.Equal(t, "rid-ok", out.RequestID)
	assert.Len(t, ts.Requests(), 2)
}

func TestRetry_CertificateErrorIsNotRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	// The default transport does not trust the test server's certificate.
	c := New(Options{BaseEndpoint: srv.URL, Credentials: testCredentials(), Retryer: noDelayRetryer(3), HTTPClient: &http.Client{Transport: &http.Transport{}}})
	_, err := c.ListTestGridSessions(context.Background(), retryInput())
	var certErr *tls.CertificateVerificationError
	require.ErrorAs(t, err, &certErr)
	oe := requireOperationError(t, err)
	assert.Equal(t, 1, oe, "no retry can fix an untrusted certificate")
	assert.Zero(t, n.Load())
}

func TestRetry_ResponseTooLarge(t *testing.T) {
	body := retryOKBody
	limit := int64(len(body))
	tests := []struct {
		name    string
		limit   int64
		chunked bool
		wantErr bool
	}{
		{name: "Content-Length over the limit", limit: limit - 1, wantErr: true},
		{name: "chunked over the limit", limit: limit - 1, chunked: true, wantErr: true},
		{name: "Content-Length exactly the limit", limit: limit},
		{name: "chunked exactly the limit", limit: limit, chunked: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.Header().Set("X-Amzn-RequestId", "rid-big")
				if tt.chunked {
					w.WriteHeader(200)
					w.(http.Flusher).Flush() // headers out before the body: no Content-Length
				} else {
					w.Header().Set("Content-Length", fmt.Sprint(len(body)))
				}
				_, _ = w.Write([]byte(body))
			}, func(o *Options) { o.MaxResponseBytes = tt.limit })
			out, err := c.ListTestGridSessions(context.Background(), retryInput())
			require.Len(t, ts.Requests(), 1, "a too-large response must not be retried")
			if !tt.wantErr {
				require.NoError(t, err)
				assert.Len(t, out.TestGridSessions, 1)
				return
			}
			require.ErrorIs(t, err, ErrResponseTooLarge)
			oe := requireOperationError(t, err)
			assert.Equal(t, 1, oe)
			assert.Contains(t, err.Error(), "rid-big")
		})
	}
}

func TestRetry_HonoursRetryAfterHeader(t *testing.T) {
	var mu sync.Mutex
	var first, second time.Time
	var n atomic.Int32
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if n.Add(1) == 1 {
			mu.Lock()
			first = time.Now()
			mu.Unlock()
			respond(w, 503, []byte(`{"message":"busy"}`), "X-Amz-Retry-After", "30")
			return
		}
		mu.Lock()
		second = time.Now()
		mu.Unlock()
		respond(w, 200, []byte(retryOKBody))
	}) // noDelayRetryer: without the header the retry would follow at once

	_, err := c.ListTestGridSessions(context.Background(), retryInput())
	require.NoError(t, err)
	require.Len(t, ts.Requests(), 2)
	mu.Lock()
	defer mu.Unlock()
	assert.GreaterOrEqual(t, second.Sub(first), 30*time.Millisecond)
}

func TestContext_CanceledBeforeCall(t *testing.T) {
	ts, c := newTestServer(t, retryScript(ok200))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out, err := c.ListTestGridSessions(ctx, retryInput())
	assert.Nil(t, out)
	require.ErrorIs(t, err, context.Canceled)
	oe := requireOperationError(t, err)
	assert.Equal(t, 0, oe)
	assert.Empty(t, ts.Requests())
}

func TestContext_DeadlineWhileServerSlow(t *testing.T) {
	release := make(chan struct{})
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
		respond(w, 200, []byte(retryOKBody))
	})
	t.Cleanup(func() { close(release) }) // runs before the server's Close

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.ListTestGridSessions(ctx, retryInput())
	require.ErrorIs(t, err, context.DeadlineExceeded)
	oe := requireOperationError(t, err)
	assert.Equal(t, 1, oe)
	assert.Len(t, ts.Requests(), 1, "no attempt after the deadline")
}

func TestContext_DoneDuringBackoff(t *testing.T) {
	longBackoff := func(started chan<- struct{}) func(*Options) {
		return func(o *Options) {
			o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
				so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) {
					select {
					case started <- struct{}{}:
					default:
					}
					return 10 * time.Second, nil
				})
			})
		}
	}

	t.Run("canceled", func(t *testing.T) {
		started := make(chan struct{}, 1)
		ts, c := newTestServer(t, retryScript(unavailable), longBackoff(started))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()

		done := callAsync(ctx, c)
		select {
		case <-started: // the first 503 came back and the retryer chose a delay
		case <-time.After(5 * time.Second):
			t.Fatal("the client never asked for a backoff delay")
		}
		cancel()

		err := awaitCall(t, done, "the call did not return after its context was canceled during the backoff sleep")
		require.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "503", "the last attempt's failure must still be named")
		assert.Contains(t, err.Error(), "service unavailable")
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 503, ae.StatusCode)
		oe := requireOperationError(t, err)
		assert.Equal(t, 1, oe)
		assert.Len(t, ts.Requests(), 1)
	})

	t.Run("deadline", func(t *testing.T) {
		started := make(chan struct{}, 1)
		ts, c := newTestServer(t, retryScript(unavailable), longBackoff(started))
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		err := awaitCall(t, callAsync(ctx, c), "the call did not return when its deadline passed during the backoff sleep")
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "503")
		assert.Len(t, ts.Requests(), 1)
	})
}

func TestRetry_QuotaExceeded(t *testing.T) {
	tinyBucket := func(o *Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			so.RateLimiter = ratelimit.NewTokenRateLimit(1)
		})
	}
	ts, c := newTestServer(t, retryScript(unavailable), tinyBucket)
	_, err := c.ListTestGridSessions(context.Background(), retryInput())
	require.Error(t, err)
	assert.Len(t, ts.Requests(), 1, "no retry without a retry token")

	require.ErrorIs(t, err, ErrRetryQuotaExceeded)
	assert.Contains(t, err.Error(), "client-side")
	assert.Contains(t, err.Error(), "not a service error")
	var qe ratelimit.QuotaExceededError
	require.ErrorAs(t, err, &qe)
	assert.Equal(t, uint(1), qe.Available)
	assert.Equal(t, uint(14), qe.Requested)
	var ae *APIError
	require.ErrorAs(t, err, &ae, "the failure that wanted a retry stays reachable")
	assert.Equal(t, 503, ae.StatusCode)
	var mae *retry.MaxAttemptsError
	assert.False(t, errors.As(err, &mae))
	oe := requireOperationError(t, err)
	assert.Equal(t, 1, oe)
}

func TestRetry_QuotaCosts(t *testing.T) {
	throttled := retryStep{status: 400, body: `{"__type":"ThrottlingException","message":"Rate exceeded"}`}
	tooMany := retryStep{status: 429, body: `{"message":"slow down"}`}
	tests := []struct {
		name      string
		bucket    uint
		steps     []retryStep
		calls     int // calls made one after the other
		wantReqs  int
		wantQuota bool // the last call fails with ErrRetryQuotaExceeded
	}{
		// A retry costs 14 tokens, refunded when the retry succeeds.
		{name: "successful retries are refunded", bucket: 14, steps: []retryStep{unavailable, ok200, unavailable, ok200, unavailable, ok200}, calls: 3, wantReqs: 6},
		{name: "failed retry is not refunded", bucket: 14, steps: []retryStep{unavailable, unavailable, ok200}, calls: 1, wantReqs: 2, wantQuota: true},
		{name: "503 retry costs 14", bucket: 13, steps: []retryStep{unavailable, ok200}, calls: 1, wantReqs: 1, wantQuota: true},
		// A retry after a throttling error costs 5.
		{name: "ThrottlingException retry costs 5", bucket: 5, steps: []retryStep{throttled, ok200}, calls: 1, wantReqs: 2},
		{name: "unmodeled 429 retry costs 5", bucket: 5, steps: []retryStep{tooMany, ok200}, calls: 1, wantReqs: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, c := newTestServer(t, retryScript(tt.steps...), func(o *Options) {
				o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
					so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
					so.RateLimiter = ratelimit.NewTokenRateLimit(tt.bucket)
				})
			})
			var err error
			for i := range tt.calls {
				_, err = c.ListTestGridSessions(context.Background(), retryInput())
				if i < tt.calls-1 {
					require.NoError(t, err, "call %d", i+1)
				}
			}
			assert.Len(t, ts.Requests(), tt.wantReqs)
			if tt.wantQuota {
				assert.ErrorIs(t, err, ErrRetryQuotaExceeded)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

// skewServer is a server whose clock runs an hour ahead: it rejects a
// request signed more than 5 minutes away from its clock, and every
// response carries its own Date, plus extraHeaders.
func skewServer(t *testing.T, extraHeaders ...string) (*testServer, *Client) {
	serverNow := func() time.Time { return time.Now().Add(time.Hour) }
	return newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		headers := append([]string{"Date", serverNow().UTC().Format(http.TimeFormat)}, extraHeaders...)
		signed, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		if err != nil || absDuration(serverNow().Sub(signed)) > 5*time.Minute {
			respond(w, 403, []byte(`{"__type":"InvalidSignatureException","message":"Signature expired"}`), headers...)
			return
		}
		respond(w, 200, []byte(retryOKBody), headers...)
	})
}

func signingTimes(t *testing.T, reqs []recordedRequest) []time.Time {
	var ts []time.Time
	for _, r := range reqs {
		st, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		require.NoError(t, err)
		ts = append(ts, st)
	}
	return ts
}

func TestRetry_ClockSkewCorrection(t *testing.T) {
	ts, c := skewServer(t)

	_, err := c.ListTestGridSessions(context.Background(), retryInput())
	require.NoError(t, err)
	times := signingTimes(t, ts.Requests())
	require.Len(t, times, 2, "the skew error must be retried once")
	assert.InDelta(t, time.Hour.Seconds(), times[1].Sub(times[0]).Seconds(), 60, "the retry must be signed about an hour ahead")
	assert.InDelta(t, time.Hour.Seconds(), time.Duration(c.skew.Load()).Seconds(), 60, "the learned skew is stored on the client")

	_, err = c.ListTestGridSessions(context.Background(), retryInput())
	require.NoError(t, err)
	times = signingTimes(t, ts.Requests())
	require.Len(t, times, 3, "the next call's first attempt is already corrected")
	assert.InDelta(t, 0, times[2].Sub(times[1]).Seconds(), 60)
}

func TestRetry_ClockSkewStoredEvenWhenTheCallFails(t *testing.T) {
	// Without retries the skew error fails the call, but the skew it
	// revealed is kept for the client's next call.
	ts, c := skewServer(t)
	_, err := c.ListTestGridSessions(context.Background(), retryInput(), func(o *Options) { o.RetryMaxAttempts = 1 })
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "InvalidSignatureException", ae.Code)
	require.Len(t, ts.Requests(), 1)

	_, err = c.ListTestGridSessions(context.Background(), retryInput(), func(o *Options) { o.RetryMaxAttempts = 1 })
	require.NoError(t, err)
	times := signingTimes(t, ts.Requests())
	require.Len(t, times, 2)
	assert.InDelta(t, time.Hour.Seconds(), times[1].Sub(times[0]).Seconds(), 60)
}

func TestRetry_ClockSkewCorrectionDisabled(t *testing.T) {
	// As aws.Config.DisableClockSkewCorrection: the skew is neither learned
	// nor retried for.
	ts, c := skewServer(t)
	_, err := c.ListTestGridSessions(context.Background(), retryInput(), func(o *Options) { o.DisableClockSkewCorrection = true })
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "InvalidSignatureException", ae.Code)
	assert.Len(t, ts.Requests(), 1)
	assert.Equal(t, int64(0), c.skew.Load())
}

func TestRetry_ClockSkewIgnoresCachedResponses(t *testing.T) {
	// A response with an Age header may carry a stale Date: it says nothing
	// about the server's clock.
	ts, c := skewServer(t, "Age", "10")
	requireSignatureErrorNotRetried(t, ts, c)
	assert.Equal(t, int64(0), c.skew.Load())
}

func TestRetry_SignatureErrorWithoutSkewIsNotRetried(t *testing.T) {
	ts, c := newTestServer(t, retryScript(retryStep{status: 403, body: `{"__type":"InvalidSignatureException","message":"bad signature"}`}, ok200))
	requireSignatureErrorNotRetried(t, ts, c)
}

// requireSignatureErrorNotRetried makes one call with c and requires an
// InvalidSignatureException after a single request.
func requireSignatureErrorNotRetried(t *testing.T, ts *testServer, c *Client) {
	t.Helper()
	_, err := c.ListTestGridSessions(context.Background(), retryInput())
	require.Error(t, err)
	assert.Len(t, ts.Requests(), 1)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "InvalidSignatureException", ae.Code)
}

func TestClient_DefaultHTTPClientIsNotDefaultTransport(t *testing.T) {
	c := New(Options{Credentials: testCredentials()})
	hc, ok := c.resolved.httpClient.(*http.Client)
	require.True(t, ok)
	assert.NotSame(t, http.DefaultClient, hc)
	require.NotNil(t, hc.Transport, "a nil Transport means http.DefaultTransport")
	// Compare identities: a deep comparison would read the live transports.
	assert.True(t, hc.Transport != http.DefaultTransport, "the default client must not use http.DefaultTransport")
}

// TestRetry_NoGoroutineLeak runs a batch of calls through every path
// (success, retries, dropped connections, deadline, cancel during backoff)
// and checks the goroutine count returns to where it was once the server
// drops its connections.
func TestRetry_NoGoroutineLeak(t *testing.T) {
	release := make(chan struct{})
	var n atomic.Int32
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.Header.Get("X-Test-Mode") {
		case "slow":
			select {
			case <-r.Context().Done():
			case <-release:
			}
			respond(w, 200, []byte(retryOKBody))
		case "drop":
			if n.Add(1)%2 == 1 {
				abortMidBody(t)(w)
				return
			}
			respond(w, 200, []byte(retryOKBody))
		case "503":
			respond(w, 503, []byte(`{"message":"busy"}`))
		default:
			respond(w, 200, []byte(retryOKBody))
		}
	})
	t.Cleanup(func() { close(release) })
	modeHeader := func(mode string) func(*Options) {
		return func(o *Options) {
			o.HTTPClient = headerDoer{mode: mode, next: defaultHTTPClient}
		}
	}

	settle := func() {
		ts.CloseClientConnections()
		time.Sleep(20 * time.Millisecond)
	}
	_, err := c.ListTestGridSessions(context.Background(), retryInput())
	require.NoError(t, err)
	settle()
	before := runtime.NumGoroutine()

	for range 5 {
		_, err := c.ListTestGridSessions(context.Background(), retryInput())
		require.NoError(t, err)
		_, err = c.ListTestGridSessions(context.Background(), retryInput(), modeHeader("drop"))
		require.NoError(t, err)
		_, err = c.ListTestGridSessions(context.Background(), retryInput(), modeHeader("503"))
		require.Error(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, err = c.ListTestGridSessions(ctx, retryInput(), modeHeader("slow"))
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded)
		ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, err = c.ListTestGridSessions(ctx, retryInput(), modeHeader("503"), func(o *Options) {
			o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
				so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 10 * time.Second, nil })
			})
		})
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded)
	}

	// Poll from this goroutine (assert.Eventually would add goroutines of
	// its own to the count).
	after := runtime.NumGoroutine()
	for deadline := time.Now().Add(5 * time.Second); after > before && time.Now().Before(deadline); after = runtime.NumGoroutine() {
		ts.CloseClientConnections()
		time.Sleep(10 * time.Millisecond)
	}
	if after > before {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d before the batch, %d after:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

// headerDoer marks requests with X-Test-Mode (an unsigned header) so one
// server can script different behaviours per call.
type headerDoer struct {
	mode string
	next HTTPClient
}

func (d headerDoer) Do(r *http.Request) (*http.Response, error) {
	r.Header.Set("X-Test-Mode", d.mode)
	return d.next.Do(r)
}

// TestClient_ConcurrentCalls shares one Client between 32 goroutines, each
// listing its own project; half of them see a 503 first, so retries, the
// token bucket and the skew store are exercised concurrently too.
func TestClient_ConcurrentCalls(t *testing.T) {
	const workers = 32
	var seen sync.Map // project ARN -> *atomic.Int32
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		var req struct {
			ProjectArn string `json:"projectArn"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			t.Errorf("request body: %v", err)
		}
		v, _ := seen.LoadOrStore(req.ProjectArn, new(atomic.Int32))
		count := v.(*atomic.Int32).Add(1)
		if strings.HasSuffix(req.ProjectArn, "1") && count == 1 {
			respond(w, 503, []byte(`{"message":"busy"}`))
			return
		}
		arn, _ := json.Marshal(req.ProjectArn + "/session")
		respond(w, 200, []byte(`{"testGridSessions":[{"arn":`+string(arn)+`,"status":"ACTIVE"}]}`), "X-Amzn-RequestId", "rid-"+req.ProjectArn)
	})

	type result struct {
		out *ListTestGridSessionsOutput
		err error
	}
	results := make([]result, workers)
	projects := make([]string, workers)
	var wg sync.WaitGroup
	for i := range workers {
		projects[i] = fmt.Sprintf("%s-%02d", testProjectArn, i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: projects[i]})
			results[i] = result{out, err}
		}()
	}
	wg.Wait()

	for i, r := range results {
		require.NoError(t, r.err, "worker %d", i)
		require.Len(t, r.out.TestGridSessions, 1, "worker %d", i)
		assert.Equal(t, projects[i]+"/session", r.out.TestGridSessions[0].Arn, "worker %d", i)
		assert.Equal(t, "rid-"+projects[i], r.out.RequestID, "worker %d", i)
	}
	// 32 first attempts plus one retry for each of the 4 projects ending in 1.
	assert.Len(t, ts.Requests(), workers+4)
}

// callAsync makes one call on another goroutine and delivers its error.
func callAsync(ctx context.Context, c *Client) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := c.ListTestGridSessions(ctx, retryInput())
		done <- err
	}()
	return done
}

// awaitCall waits for a callAsync result, failing the test with msg after a
// generous safety timeout (a hang guard, not a timing assertion).
func awaitCall(t *testing.T, done <-chan error, msg string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal(msg)
		return nil
	}
}
