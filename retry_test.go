package devicefarm

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Whether a failure is retried depends on the status and the error code,
// not on the error's type: an InternalServiceException is retried with a
// 5xx status and not with a 400.
func TestRetry_Retryability(t *testing.T) {
	const iseBody = `{"__type":"InternalServiceException","Message":"Internal error"}`
	tests := []struct {
		name      string
		first     retryStep
		wantCalls int // 2: retried and then succeeded; 1: not retried
		wantCode  string
	}{
		{name: "500", first: retryStep{status: 500, body: `{"message":"x"}`}, wantCalls: 2},
		{name: "500 InternalServiceException", first: retryStep{status: 500, body: iseBody}, wantCalls: 2},
		{name: "502 InternalServiceException", first: retryStep{status: 502, body: iseBody}, wantCalls: 2},
		{name: "503 InternalServiceException", first: retryStep{status: 503, body: iseBody}, wantCalls: 2},
		{name: "504 InternalServiceException", first: retryStep{status: 504, body: iseBody}, wantCalls: 2},
		{name: "400 InternalServiceException", first: retryStep{status: 400, body: iseBody}, wantCalls: 1, wantCode: CodeInternalServiceException},
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
			out, err := c.ListTestGridSessions(context.Background(), testInput())
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
	_, err := c.ListTestGridSessions(context.Background(), testInput())
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
		_, err := c.ListTestGridSessions(context.Background(), testInput())
		require.Error(t, err)
		reqs := ts.Requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, "attempt=1; max=1", reqs[0].Header.Get("Amz-Sdk-Request"))
		oe := requireOperationError(t, err)
		assert.Equal(t, 1, oe)
	})

	t.Run("per-call optFn applies to that call only", func(t *testing.T) {
		ts, c := newTestServer(t, retryScript(unavailable))
		_, err := c.ListTestGridSessions(context.Background(), testInput(), func(o *Options) { o.RetryMaxAttempts = 5 })
		require.Error(t, err)
		oe := requireOperationError(t, err)
		assert.Equal(t, 5, oe)
		reqs := ts.Requests()
		require.Len(t, reqs, 5)
		assert.Equal(t, "attempt=5; max=5", reqs[4].Header.Get("Amz-Sdk-Request"))

		_, err = c.ListTestGridSessions(context.Background(), testInput())
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
			out, err := c.ListTestGridSessions(context.Background(), testInput())
			require.NoError(t, err)
			assert.Equal(t, "rid-ok", out.RequestID)
			assert.Len(t, out.TestGridSessions, 1)
			assert.Len(t, ts.Requests(), 2)
		})
	}

	t.Run("every attempt dropped", func(t *testing.T) {
		ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) { abortMidBody(t)(w) })
		_, err := c.ListTestGridSessions(context.Background(), testInput())
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
	out, err := c.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err, "a connection closed before any response is retried, as the official SDK does")
	assert.Equal(t, "rid-ok", out.RequestID)
	assert.Len(t, ts.Requests(), 2)
}

// TestRetry_HonoursRetryAfterHeader: the client waits the header's 30 ms
// before retrying, where the zero-delay retryer alone would retry at once.
// The wait is recorded, not timed.
func TestRetry_HonoursRetryAfterHeader(t *testing.T) {
	var slept []time.Duration
	ts, c := newTestServer(t, retryScript(
		retryStep{status: 503, body: `{"message":"busy"}`, headers: []string{"X-Amz-Retry-After", "30"}},
		retryStep{status: 200, body: retryOKBody},
	), func(o *Options) {
		o.sleep = func(_ context.Context, d time.Duration) error {
			slept = append(slept, d)
			return nil
		}
	})

	_, err := c.ListTestGridSessions(context.Background(), testInput())
	require.NoError(t, err)
	require.Len(t, ts.Requests(), 2)
	assert.Equal(t, []time.Duration{30 * time.Millisecond}, slept)
}

func TestContext_CanceledBeforeCall(t *testing.T) {
	ts, c := newTestServer(t, retryScript(ok200))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out, err := c.ListTestGridSessions(ctx, testInput())
	assert.Nil(t, out)
	require.ErrorIs(t, err, context.Canceled)
	oe := requireOperationError(t, err)
	assert.Equal(t, 0, oe)
	assert.Empty(t, ts.Requests())
}

func TestContext_DeadlineWhileServerSlow(t *testing.T) {
	arrived := make(chan struct{}, 1)
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		arrived <- struct{}{}
		<-r.Context().Done() // the client gives up when its deadline passes
	})

	ctx := newExpiringContext()
	done := callAsync(ctx, c)
	awaitSignal(t, arrived, "the request never reached the server")
	ctx.expire()
	err := awaitCall(t, done, "the call did not return when its deadline passed")
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
		// The first 503 came back and the retryer chose a delay.
		awaitSignal(t, started, "the client never asked for a backoff delay")
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
		ctx := newExpiringContext()
		done := callAsync(ctx, c)
		awaitSignal(t, started, "the client never asked for a backoff delay")
		ctx.expire()
		err := awaitCall(t, done, "the call did not return when its deadline passed during the backoff sleep")
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
	_, err := c.ListTestGridSessions(context.Background(), testInput())
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
				_, err = c.ListTestGridSessions(context.Background(), testInput())
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
