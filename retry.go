package devicefarm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/smithy-go"
)

// The retry decisions themselves are Options.Retryer's (aws-sdk-go-v2's
// standard retryer by default); this file holds what the call adds around
// them: how an error is shown to the retryer, the service's Retry-After
// hint, and the context, which always wins.

// maxRetryAfterExtra bounds how far X-Amz-Retry-After may stretch the
// retryer's delay.
const maxRetryAfterExtra = 5 * time.Second

// retryView returns the error as the retryer should see it. aws-sdk-go-v2's
// retryer treats a 429 as throttling only when the error is not a modelled
// one, which it recognises by *smithy.GenericAPIError; our *APIError plays
// that role, so it is shown to the retryer as a GenericAPIError with the
// same code and status.
func retryView(err error) error {
	var ae *APIError
	if !errors.As(err, &ae) {
		return err
	}
	return &unmodeledError{
		generic: &smithy.GenericAPIError{Code: ae.Code, Message: ae.Message, Fault: ae.Fault},
		status:  ae.StatusCode,
	}
}

type unmodeledError struct {
	generic *smithy.GenericAPIError
	status  int
}

func (e *unmodeledError) Error() string       { return e.generic.Error() }
func (e *unmodeledError) Unwrap() error       { return e.generic }
func (e *unmodeledError) HTTPStatusCode() int { return e.status }

// adjustForRetryAfter applies the X-Amz-Retry-After header (milliseconds),
// clamped to [delay, delay+5s], as aws-sdk-go-v2 does.
func adjustForRetryAfter(delay time.Duration, h http.Header) time.Duration {
	v := h.Get("X-Amz-Retry-After")
	if v == "" {
		return delay
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil || ms < 0 {
		return delay
	}
	return min(max(time.Duration(ms)*time.Millisecond, delay), delay+maxRetryAfterExtra)
}

// canceled returns the context's error, naming the last attempt's failure
// when an earlier attempt failed on its own. An attempt the context cut
// short (its connection error is only a symptom) is not named.
func canceled(ctxErr, last error) error {
	if last == nil {
		return ctxErr
	}
	return fmt.Errorf("%w (last attempt: %w)", ctxErr, last)
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func nopRelease(error) error { return nil }
