package devicefarm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/testgridkit/devicefarm/internal/oneline"
)

// One call: invoke prepares it, retryLoop makes its attempts (retry.go
// decides around the retryer, clock_skew.go corrects the signing clock),
// and attempt sends one signed request (request_headers.go) and turns its
// response into a page (response.go) or an error (error_response.go,
// redirects.go).

// signingName is DeviceFarm's SigV4 service name.
const signingName = "devicefarm"

// attemptResult is what one HTTP attempt produced.
type attemptResult struct {
	out       *ListTestGridSessionsOutput
	err       error
	status    int
	requestID string
	header    http.Header
	skew      time.Duration // candidate clock skew from the Date header
	hasSkew   bool
	sent      bool // the request was handed to the HTTP client
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

// retryLoop makes the call's attempts. It returns the page, or the call's
// error, and how many requests were sent: an attempt that failed before
// sending (credentials, signing) is not counted. Every attempt is logged
// once, where the loop decides what follows it.
func (c *Client) retryLoop(ctx context.Context, call *callState) (*ListTestGridSessionsOutput, int, error) {
	tel := call.resolved.telemetry
	if loopCtx, endLoop := tel.startRetryLoop(ctx); endLoop != nil {
		ctx = loopCtx
		defer endLoop()
	}
	releaseRetry := nopRelease
	var lastErr error
	sent := 0
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, sent, canceled(err, lastErr)
		}
		releaseAttempt := nopRelease
		if attempt == 1 {
			releaseAttempt = call.resolved.retryer.GetInitialToken()
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
		if res.sent {
			sent++
		}
		if res.hasSkew {
			call.skew, call.learnedSkew = res.skew, true
		}

		next := call.next(ctx, attempt, &res, appliedSkew, lastErr)
		delay := time.Duration(-1)
		if next.retry {
			delay = next.delay
		}
		logAttempt(ctx, call.options.Logger, call, attempt, &res, latency, delay)
		if !next.retry {
			if next.err != nil {
				return nil, sent, next.err
			}
			return res.out, sent, nil
		}
		releaseRetry = next.release
		lastErr = res.err
		if err := call.options.sleep(ctx, next.delay); err != nil {
			return nil, sent, canceled(err, lastErr)
		}
	}
}

// nextStep is what follows an attempt: another after delay (retry true,
// holding release, the retry token to give back), or the end of the call
// with err (nil: the attempt succeeded).
type nextStep struct {
	retry   bool
	delay   time.Duration
	release func(error) error
	err     error
}

// next decides what follows attempt, which produced res; appliedSkew is
// the clock skew it was signed with and lastErr the previous attempt's
// error.
func (call *callState) next(ctx context.Context, attempt int, res *attemptResult, appliedSkew time.Duration, lastErr error) nextStep {
	err := res.err
	if err == nil {
		return nextStep{}
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		if !errors.Is(err, ctxErr) {
			lastErr = err // the attempt failed on its own as the context ended
		}
		return nextStep{err: canceled(ctxErr, lastErr)}
	}
	retryer := call.resolved.retryer
	view := retryView(err)
	if res.hasSkew && skewExplains(err, appliedSkew, res.skew) {
		view = &clockSkewError{err: view}
	}
	if !retryer.IsErrorRetryable(view) {
		return nextStep{err: err}
	}
	if call.maxAttempts > 0 && attempt >= call.maxAttempts {
		return nextStep{err: &retry.MaxAttemptsError{Attempt: attempt, Err: err}}
	}
	release, tokenErr := retryer.GetRetryToken(ctx, view)
	if tokenErr != nil {
		return nextStep{err: fmt.Errorf("%w; %w: %w", err, ErrRetryQuotaExceeded, tokenErr)}
	}
	delay, delayErr := retryer.RetryDelay(attempt, view)
	if delayErr != nil {
		return nextStep{err: fmt.Errorf("%w; retry delay: %w", err, delayErr)}
	}
	return nextStep{retry: true, delay: adjustForRetryAfter(delay, res.header), release: release}
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
	setRequestHeaders(ctx, req.Header, r.userAgent, call, attempt)

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
	guard := startStallGuard(o.StallTimeout, cancel, o.stallTimer)
	defer guard.stop()
	resp, err := r.httpClient.Do(req)
	if err != nil {
		return attemptResult{err: &ConnectionError{Err: sec.wrap(guard.explain(err))}, sent: true}
	}
	defer resp.Body.Close()
	// Texts from headers are scrubbed before they are cut to length, so that
	// no cut can leave part of a secret unrecognised.
	clean := sec.scrubHeader(resp.Header)
	res := attemptResult{status: resp.StatusCode, requestID: requestIDFrom(clean), header: resp.Header, sent: true}
	if !o.DisableClockSkewCorrection {
		res.skew, res.hasSkew = candidateSkew(resp.Header, sent, o.now())
	}
	if redirect := redirectOf(req, resp, clean, sec.scrub); redirect != nil {
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
		body, _ := sec.scrubBytes(data)
		res.err = parseErrorResponse(resp.StatusCode, clean, res.requestID, body)
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
	return &DecodeError{StatusCode: status, RequestID: requestID, Snippet: sec.scrub(oneline.Excerpt(clean, errorExcerptBytes)), Err: sec.wrap(err)}
}
