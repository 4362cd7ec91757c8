package devicefarmtest

import (
	"fmt"
	"sync"
	"time"
)

// Device Farm's creation quotas (docs.aws.amazon.com/devicefarm/latest/testgrid/techref-limits.html),
// for Options.SessionCreateRate and Options.URLCreateRate. The fake applies
// neither unless asked: a suite's parallel tests must not fail on a quota.
const (
	// QuotaSessionCreateRate is Device Farm's "up to 5 sessions created
	// per second".
	QuotaSessionCreateRate = 5
	// QuotaURLCreateRate is Device Farm's "createTestGridUrl up to 10
	// calls per second".
	QuotaURLCreateRate = 10
)

// rateLimiter allows at most rate events in any one second of the
// server's clock (a sliding window: an event is allowed when fewer than
// rate were allowed in the second before it). Refused events do not count.
// A rate of zero or less allows everything. It holds the times of the
// events allowed in the last second, at most rate of them.
type rateLimiter struct {
	rate int
	mu   sync.Mutex
	last []time.Time // oldest first
}

// allow reports whether an event at now is within the rate, and counts it
// if so.
func (l *rateLimiter) allow(now time.Time) bool {
	if l.rate <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	i := 0
	for i < len(l.last) && now.Sub(l.last[i]) >= time.Second {
		i++
	}
	l.last = append(l.last[:0], l.last[i:]...)
	if len(l.last) >= l.rate {
		return false
	}
	l.last = append(l.last, now)
	return true
}

// allowURL applies Options.URLCreateRate to a CreateTestGridUrl call: past
// it, the call fails as a throttled AWS call does. The model lists no
// throttling error for CreateTestGridUrl (NotFoundException,
// ArgumentException, InternalServiceException); request-rate quotas are
// enforced with the unmodelled 400 ThrottlingException "Rate exceeded"
// that the Throttling preset sends, which both aws-sdk-go-v2 and botocore
// retry as a throttle. LimitExceededException, also a throttle code to
// the SDKs, is Device Farm's error for count limits such as the ACTIVE
// sessions.
func (s *Server) allowURL() *apiError {
	if s.urlRate.allow(s.opts.Now()) {
		return nil
	}
	f := Throttling()
	return &apiError{status: f.Status, code: f.Code,
		message: fmt.Sprintf("%s: CreateTestGridUrl is limited to %d calls per second", f.Message, s.opts.URLCreateRate)}
}

// sessionRateExceeded applies Options.SessionCreateRate to a new WebDriver
// session started at now: past it, it returns the message of the
// "session not created" error the session gets, naming the quota, as the
// ACTIVE-sessions quota does; within it, "".
func (s *Server) sessionRateExceeded(now time.Time) string {
	if s.sessionRate.allow(now) {
		return ""
	}
	return fmt.Sprintf("LimitExceededException: you may create up to %d sessions per second", s.opts.SessionCreateRate)
}
