package devicefarm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"

	"github.com/testgridkit/devicefarm/internal/uuid"
)

const (
	signingName = "devicefarm"

	// skewThreshold: a signature error is retried as a clock-skew error when
	// the newly measured skew differs from the applied one by more than this.
	skewThreshold = 4 * time.Minute
	// maxSkewRoundTrip: a response that took longer than this to arrive
	// says nothing reliable about the server's clock.
	maxSkewRoundTrip = 15 * time.Minute
	// maxRetryAfterExtra bounds how far X-Amz-Retry-After may stretch the
	// retryer's delay.
	maxRetryAfterExtra = 5 * time.Second
)

// clockSkewCodes are the error codes that may mean the request was signed
// with a wrong clock (aws-sdk-go-v2 aws/retry).
var clockSkewCodes = map[string]struct{}{
	"InvalidSignatureException": {},
	"SignatureDoesNotMatch":     {},
	"AuthFailure":               {},
	"RequestTimeTooSkewed":      {},
	"AccessDeniedException":     {},
}

// attemptResult is what one HTTP attempt produced.
type attemptResult struct {
	out       *ListTestGridSessionsOutput
	err       error
	status    int
	requestID string
	header    http.Header
	skew      time.Duration // candidate clock skew from the Date header
	hasSkew   bool
}

// invoke runs the retry loop for one operation call.
func (c *Client) invoke(ctx context.Context, in *ListTestGridSessionsInput, optFns []func(*Options)) (*ListTestGridSessionsOutput, error) {
	if ctx == nil {
		return nil, operationError(0, errors.New("nil Context"))
	}
	o, r := c.options, c.resolved
	if len(optFns) > 0 {
		o = o.Copy()
		for _, fn := range optFns {
			fn(&o)
		}
		setDefaults(&o)
		r = resolveFrom(o, c.resolved)
	}
	if r.err != nil {
		return nil, operationError(0, r.err)
	}

	ctx, endOperation := r.telemetry.startOperation(ctx)
	body := in.appendBody(make([]byte, 0, 256))
	sum := sha256.Sum256(body)
	call := &callState{
		options:      &o,
		resolved:     r,
		body:         body,
		payloadHash:  hex.EncodeToString(sum[:]),
		invocationID: newInvocationID(),
		maxAttempts:  r.retryer.MaxAttempts(),
	}
	if !o.DisableClockSkewCorrection {
		call.skew = time.Duration(c.skew.Load())
	}

	out, attempts, err := c.retryLoop(ctx, call)
	if call.learnedSkew {
		c.skew.Store(int64(call.skew))
	}
	if endOperation != nil {
		endOperation(err)
	}
	if err != nil {
		return nil, operationError(attempts, err)
	}
	return out, nil
}

// callState is the per-call data shared by all attempts.
type callState struct {
	options      *Options
	resolved     *resolvedOptions
	body         []byte
	payloadHash  string
	invocationID string
	maxAttempts  int
	skew         time.Duration // applied to the next attempt's signing time
	learnedSkew  bool
}

func (c *Client) retryLoop(ctx context.Context, call *callState) (*ListTestGridSessionsOutput, int, error) {
	retryer := call.resolved.retryer
	logger := call.options.Logger
	tel := call.resolved.telemetry
	if loopCtx, endLoop := tel.startRetryLoop(ctx); endLoop != nil {
		ctx = loopCtx
		defer endLoop()
	}
	releaseRetry := nopRelease
	var lastErr error
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, attempt - 1, canceled(err, lastErr)
		}
		releaseAttempt := nopRelease
		if attempt == 1 {
			releaseAttempt = retryer.GetInitialToken()
		}
		appliedSkew := call.skew
		start := time.Now()
		attemptCtx, endAttempt := tel.startAttempt(ctx, attempt)
		res := c.attempt(attemptCtx, call, attempt)
		latency := time.Since(start)
		if endAttempt != nil {
			endAttempt(res.err)
		}
		_ = releaseRetry(res.err)
		_ = releaseAttempt(res.err)
		if res.hasSkew {
			call.skew, call.learnedSkew = res.skew, true
		}

		err := res.err
		if err == nil {
			logAttempt(ctx, logger, call, attempt, &res, latency, -1)
			return res.out, attempt, nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			logAttempt(ctx, logger, call, attempt, &res, latency, -1)
			if !errors.Is(err, ctxErr) {
				lastErr = err // the attempt failed on its own as the context ended
			}
			return nil, attempt, canceled(ctxErr, lastErr)
		}

		view := retryView(err)
		if res.hasSkew && isClockSkewCode(err) && absDuration(appliedSkew-res.skew) > skewThreshold {
			view = &clockSkewError{err: view}
		}
		if !retryer.IsErrorRetryable(view) {
			logAttempt(ctx, logger, call, attempt, &res, latency, -1)
			return nil, attempt, err
		}
		if call.maxAttempts > 0 && attempt >= call.maxAttempts {
			logAttempt(ctx, logger, call, attempt, &res, latency, -1)
			return nil, attempt, &retry.MaxAttemptsError{Attempt: attempt, Err: err}
		}
		rel, tokenErr := retryer.GetRetryToken(ctx, view)
		if tokenErr != nil {
			logAttempt(ctx, logger, call, attempt, &res, latency, -1)
			return nil, attempt, fmt.Errorf("%w; %w: %w", err, ErrRetryQuotaExceeded, tokenErr)
		}
		releaseRetry = rel
		delay, delayErr := retryer.RetryDelay(attempt, view)
		if delayErr != nil {
			logAttempt(ctx, logger, call, attempt, &res, latency, -1)
			return nil, attempt, fmt.Errorf("%w; retry delay: %w", err, delayErr)
		}
		delay = adjustForRetryAfter(delay, res.header)
		logAttempt(ctx, logger, call, attempt, &res, latency, delay)
		lastErr = err
		if err := sleep(ctx, delay); err != nil {
			return nil, attempt, canceled(err, lastErr)
		}
	}
}

// attempt sends one signed request and reads its response.
func (c *Client) attempt(ctx context.Context, call *callState, attempt int) attemptResult {
	o, r := call.options, call.resolved
	// The attempt's own context lets the stall guard abandon it without
	// touching the caller's.
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, r.url, bytes.NewReader(call.body))
	if err != nil {
		return attemptResult{err: fmt.Errorf("build request: %w", err)}
	}
	h := req.Header
	h["Content-Type"] = []string{"application/x-amz-json-1.1"}
	h["X-Amz-Target"] = []string{targetHeader}
	h["User-Agent"] = []string{r.userAgent}
	h["Amz-Sdk-Invocation-Id"] = []string{call.invocationID}
	h["Amz-Sdk-Request"] = []string{sdkRequestHeader(ctx, attempt, call.maxAttempts, call.skew)}

	creds, err := o.Credentials.Retrieve(ctx)
	if err != nil {
		return attemptResult{err: fmt.Errorf("retrieve credentials: %w", err)}
	}
	if !creds.HasKeys() {
		return attemptResult{err: errors.New("the credentials provider returned no access key or secret")}
	}
	signingTime := o.now().Add(call.skew)
	if err := c.signer.SignHTTP(ctx, creds, req, call.payloadHash, signingName, r.signingRegion, signingTime); err != nil {
		return attemptResult{err: fmt.Errorf("sign request: %w", err)}
	}

	// Whatever the server or a proxy sends back may quote the request,
	// credentials included: every text taken from the response is scrubbed.
	sec := newSecrets(creds, req.Header.Get("Authorization"))
	sent := o.now()
	guard := startStallGuard(o.StallTimeout, cancel)
	defer guard.stop()
	resp, err := r.httpClient.Do(req)
	if err != nil {
		return attemptResult{err: &ConnectionError{Err: sec.wrap(guard.explain(err))}}
	}
	defer resp.Body.Close()
	res := attemptResult{status: resp.StatusCode, requestID: sec.scrub(requestIDFrom(resp.Header)), header: resp.Header}
	if !o.DisableClockSkewCorrection {
		res.skew, res.hasSkew = candidateSkew(resp.Header, sent, o.now())
	}
	if redirect := redirectOf(req, resp); redirect != nil {
		redirect.Location = sec.scrub(redirect.Location)
		res.err = responseError(resp, res.requestID, &sec, redirect)
		return res
	}

	buf := c.bodyBuffers.get()
	defer c.bodyBuffers.put(buf)
	guard.progress()
	data, err := readBody(resp, o.MaxResponseBytes, buf, guard)
	switch {
	case errors.Is(err, ErrResponseTooLarge):
		res.err = err
	case err != nil:
		res.err = &ConnectionError{StatusCode: resp.StatusCode, RequestID: res.requestID, Err: sec.wrap(guard.explain(err))}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		clean, _ := sec.scrubBytes(data)
		res.err = parseErrorResponse(resp.StatusCode, resp.Header, res.requestID, clean)
		sec.scrubError(res.err)
	default:
		out := &ListTestGridSessionsOutput{RequestID: res.requestID}
		if err := decodeOutput(data, out); err != nil {
			res.err = decodeError(resp.StatusCode, res.requestID, data, err, &sec)
		} else {
			res.out = out
		}
	}
	if res.err != nil {
		res.err = responseError(resp, res.requestID, &sec, res.err)
	}
	return res
}

// maxLocationLen bounds a redirect's location in an error.
const maxLocationLen = 256

// redirectOf returns the error for a response that redirects (a 3xx with a
// Location), or for one that the HTTPClient obtained by following a
// redirect; nil otherwise.
func redirectOf(req *http.Request, resp *http.Response) *RedirectError {
	if final := resp.Request; final != nil && final != req && final.Response != nil && final.URL != nil {
		return &RedirectError{StatusCode: resp.StatusCode, Location: boundedLine(final.URL.Redacted(), maxLocationLen), Followed: true}
	}
	if resp.StatusCode < 300 || resp.StatusCode > 399 {
		return nil
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil
	}
	if u, err := url.Parse(loc); err == nil {
		loc = u.Redacted()
	}
	return &RedirectError{StatusCode: resp.StatusCode, Location: boundedLine(loc, maxLocationLen)}
}

// decodeError builds the error for a 2xx body that did not decode. Its
// excerpt and message come from the body with secrets scrubbed, so that no
// cut can leave part of one: when scrubbing changed the body, the message is
// that of decoding the scrubbed body.
func decodeError(status int, requestID string, data []byte, err error, sec *secrets) *DecodeError {
	clean, changed := sec.scrubBytes(data)
	if changed {
		if cleanErr := decodeOutput(clean, &ListTestGridSessionsOutput{}); cleanErr != nil {
			err = cleanErr
		}
	}
	return &DecodeError{StatusCode: status, RequestID: requestID, Snippet: sec.scrub(snippet(clean, errorExcerptBytes)), Err: sec.wrap(err)}
}

// readBody reads at most limit bytes of the body into buf, which it grows
// as needed, and returns the bytes read. Each read that brings bytes tells
// guard of the progress.
func readBody(resp *http.Response, limit int64, buf *bodyBuffer, guard *stallGuard) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: Content-Length %d exceeds MaxResponseBytes %d", ErrResponseTooLarge, resp.ContentLength, limit)
	}
	want := int64(4096)
	if resp.ContentLength >= 0 {
		want = resp.ContentLength + 1 // +1 so the final Read sees EOF without growing
	}
	b := buf.b[:0]
	if want = min(want, limit+1); int64(cap(b)) < want {
		b = make([]byte, 0, want)
	}
	r := io.LimitedReader{R: resp.Body, N: limit + 1}
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if n > 0 {
			guard.progress()
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			buf.b = b
			return nil, err
		}
	}
	buf.b = b
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than MaxResponseBytes (%d) received", ErrResponseTooLarge, limit)
	}
	return b, nil
}

// sdkRequestHeader renders Amz-Sdk-Request: "attempt=N; max=M", plus
// "; ttl=..." when ctx has a deadline and a positive clock skew is known.
func sdkRequestHeader(ctx context.Context, attempt, maxAttempts int, skew time.Duration) string {
	v := "attempt=" + strconv.Itoa(attempt)
	if maxAttempts != 0 {
		v += "; max=" + strconv.Itoa(maxAttempts)
	}
	if deadline, ok := ctx.Deadline(); ok && skew > 0 {
		v += "; ttl=" + deadline.Add(skew).UTC().Format("20060102T150405Z")
	}
	return v
}

// candidateSkew measures server time minus local time from the Date header,
// unless the response may be cached (Age) or was too slow to tell.
func candidateSkew(h http.Header, sent, received time.Time) (time.Duration, bool) {
	date := h.Get("Date")
	if date == "" || h.Get("Age") != "" || received.Sub(sent) > maxSkewRoundTrip {
		return 0, false
	}
	server, err := http.ParseTime(date)
	if err != nil {
		return 0, false
	}
	return server.Sub(received), true
}

func isClockSkewCode(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	_, ok := clockSkewCodes[ae.ErrorCode()]
	return ok
}

// clockSkewError marks a signature error as retryable after the clock skew
// was corrected.
type clockSkewError struct{ err error }

func (e *clockSkewError) Error() string        { return "probable clock skew: " + e.err.Error() }
func (e *clockSkewError) Unwrap() error        { return e.err }
func (e *clockSkewError) RetryableError() bool { return true }

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

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// newInvocationID returns a random UUIDv4, shared by all attempts of a call.
func newInvocationID() string { return uuid.New() }
