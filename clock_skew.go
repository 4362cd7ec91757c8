package devicefarm

import (
	"errors"
	"net/http"
	"time"

	"github.com/aws/smithy-go"
)

// Clock skew, as aws-sdk-go-v2 handles it: each response's Date header
// measures the offset between the server's clock and ours; the offset is
// applied to the next attempt's signing time and kept on the Client for
// later calls; and a signature error is retried once the measured offset
// shows that a wrong clock explains it.

const (
	// skewThreshold: a signature error is retried as a clock-skew error when
	// the newly measured skew differs from the applied one by more than this.
	skewThreshold = 4 * time.Minute
	// maxSkewRoundTrip: a response that took longer than this to arrive
	// says nothing reliable about the server's clock.
	maxSkewRoundTrip = 15 * time.Minute
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

// skewExplains reports whether err, an attempt signed with the applied
// skew, is a signature error that the newly measured skew explains.
func skewExplains(err error, applied, measured time.Duration) bool {
	return isClockSkewCode(err) && absDuration(applied-measured) > skewThreshold
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

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
