package devicefarm

import (
	"cmp"
	"context"
	"errors"
	"iter"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Watcher defaults. At the default interval a poll sends two requests
// (ACTIVE sessions, then new ones) when each fits one page of 1000, so a
// project with up to 1000 ACTIVE sessions costs 2 × 120 = 240 requests an
// hour; a session that leaves ACTIVE unseen between two polls costs one more.
const (
	// DefaultWatchInterval is the time between the starts of two polls.
	DefaultWatchInterval = 30 * time.Second
	// DefaultWatchOverlap is how far before the newest creation time seen
	// each poll looks again, for sessions that become visible late.
	DefaultWatchOverlap = 10 * time.Minute
	// DefaultWatchLookups is the number of single-session look-ups a poll
	// makes, at most, for ACTIVE sessions that left the ACTIVE listing.
	DefaultWatchLookups = 10
	// maxWatchBackoff caps the wait after polls that failed in a row.
	maxWatchBackoff = 5 * time.Minute
	// watchPageSize is the maxResult of every watcher request.
	watchPageSize = maxMaxResult
)

// SessionEventType says what a SessionEvent reports.
type SessionEventType string

// The two events of a session's life.
const (
	// SessionStarted: the session was seen for the first time.
	SessionStarted SessionEventType = "started"
	// SessionEnded: the session was seen CLOSED or ERRORED (any status but
	// ACTIVE) for the first time.
	SessionEnded SessionEventType = "ended"
)

// SessionEvent is one change a SessionWatcher saw.
type SessionEvent struct {
	// Type is SessionStarted or SessionEnded.
	Type SessionEventType
	// Session is the session as listed when the change was seen.
	Session TestGridSession
	// Time is Session.Created for SessionStarted and Session.Ended for
	// SessionEnded (zero if the service sent no end time).
	Time time.Time
}

// SessionWatcherOptions tune a SessionWatcher. Zero values take the
// defaults; negative ones are refused with a *ValidationError.
type SessionWatcherOptions struct {
	// Interval is the time between the starts of two polls
	// (DefaultWatchInterval). After a poll that failed, the wait doubles
	// for each failure in a row, up to 5 minutes.
	Interval time.Duration
	// Overlap is how far before the newest creation time seen each poll
	// lists again (DefaultWatchOverlap): sessions that become visible later
	// than this after their creation are reported only if still ACTIVE.
	Overlap time.Duration
	// Lookups bounds the single-session look-ups of one poll
	// (DefaultWatchLookups); the rest wait for the next poll.
	Lookups int
	// ResumeToken continues the watch a SessionWatcher.ResumeToken
	// described, for the same project: no event is repeated or missed.
	ResumeToken string
	// Sleep waits d between polls, or returns ctx's error once ctx is done.
	// Nil uses a timer; tests give a simulated clock.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the local clock, read once to place the start of a new watch
	// (adjusted by the clock skew a *Client measured). Nil is time.Now.
	Now func() time.Time
}

// A SessionWatcher reports the sessions of one test grid project as they
// start and end, by polling ListTestGridSessions. See Events.
type SessionWatcher struct {
	client  ListTestGridSessionsAPIClient
	params  ListTestGridSessionsInput
	options SessionWatcherOptions
	err     error // an invalid input, option or resume token
	inUse   atomic.Bool

	mu    sync.Mutex // guards state, which ResumeToken reads
	state watchState
}

// watchState is what a watch knows; times are the service's.
type watchState struct {
	begun     bool                 // from and watermark are set
	from      time.Time            // sessions created after it are covered
	watermark time.Time            // the newest Created seen, at least from
	active    map[string]time.Time // started, not ended: Arn → Created
	ended     map[string]time.Time // ended, Created within the overlap window
	overlap   time.Duration        // SessionWatcherOptions.Overlap
}

// NewSessionWatcher returns a watcher of the project in.ProjectArn. A new
// watch (no ResumeToken) reports every session ACTIVE when it starts and
// every session created after that (or after in.CreationTimeAfter, when
// set); in.CreationTimeBefore, when set, ends the sessions it covers. It
// reports sessions of every status: in.Status, the end-time filters,
// MaxResult and NextToken must be zero. Errors in in or the options are
// returned by the first Events loop.
func NewSessionWatcher(client ListTestGridSessionsAPIClient, in *ListTestGridSessionsInput, optFns ...func(*SessionWatcherOptions)) *SessionWatcher {
	w := &SessionWatcher{client: client}
	if in != nil {
		w.params = *in
	}
	for _, fn := range optFns {
		fn(&w.options)
	}
	w.state.active = make(map[string]time.Time)
	w.state.ended = make(map[string]time.Time)
	w.err = w.init()
	return w
}

func (w *SessionWatcher) init() error {
	if c, ok := w.client.(*Client); w.client == nil || ok && c == nil {
		return errWatcherNilClient
	}
	p, o := &w.params, &w.options
	if err := p.Validate(); err != nil {
		return err
	}
	switch {
	case p.Status != "":
		return &ValidationError{Field: "Status", Rule: "a watcher reports sessions of every status; filter its events instead"}
	case !p.EndTimeAfter.IsZero() || !p.EndTimeBefore.IsZero():
		return &ValidationError{Field: "EndTimeAfter", Rule: "a watcher cannot filter by end time; filter its events instead"}
	case p.MaxResult != 0 || p.NextToken != "":
		return &ValidationError{Field: "NextToken", Rule: "a watcher pages by itself; leave MaxResult and NextToken zero (use SessionWatcherOptions.ResumeToken to resume)"}
	case o.Interval < 0:
		return &ValidationError{Field: "Interval", Rule: "must not be negative"}
	case o.Overlap < 0:
		return &ValidationError{Field: "Overlap", Rule: "must not be negative"}
	case o.Lookups < 0:
		return &ValidationError{Field: "Lookups", Rule: "must not be negative"}
	}
	o.Interval = cmp.Or(o.Interval, DefaultWatchInterval)
	o.Overlap = cmp.Or(o.Overlap, DefaultWatchOverlap)
	o.Lookups = cmp.Or(o.Lookups, DefaultWatchLookups)
	w.state.overlap = o.Overlap
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ResumeToken != "" {
		return w.state.decode(o.ResumeToken, p.ProjectArn)
	}
	return nil
}

// ResumeToken describes where the watch is: a later watcher given it (in
// SessionWatcherOptions.ResumeToken) reports what this one has not. It
// grows with the sessions still ACTIVE. It is safe to call while an Events
// loop runs, and empty before the first poll of a new watch.
func (w *SessionWatcher) ResumeToken() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.state.begun {
		return w.options.ResumeToken
	}
	return w.state.encode(w.params.ProjectArn)
}

// ActiveSessions returns the number of sessions the watch has reported
// started and not yet ended, those a ResumeToken carried included. It is
// safe to call while an Events loop runs.
func (w *SessionWatcher) ActiveSessions() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.state.active)
}

// Events polls until ctx ends or the loop breaks, yielding each session's
// SessionStarted, then its SessionEnded, once per watch (a session first
// seen ended yields both). Events of one session come in that order;
// sessions come in the order they are seen. Never more than one request is
// in flight; each request goes through the client's retryer.
//
// A poll that fails yields its error and, if the loop goes on, is tried
// again after a growing wait; nothing is lost or repeated. When ctx ends,
// its error is yielded and the loop ends. A watcher serves one loop at a
// time: a second concurrent loop yields ErrWatcherInUse.
func (w *SessionWatcher) Events(ctx context.Context) iter.Seq2[SessionEvent, error] {
	return func(yield func(SessionEvent, error) bool) {
		if w.err != nil {
			yield(SessionEvent{}, w.err)
			return
		}
		if !w.inUse.CompareAndSwap(false, true) {
			yield(SessionEvent{}, ErrWatcherInUse)
			return
		}
		defer w.inUse.Store(false)
		emit := func(ev SessionEvent) bool { return yield(ev, nil) }
		for failures := 0; ; {
			stopped, err := w.poll(ctx, emit)
			if stopped {
				return
			}
			wait := w.options.Interval
			if err != nil {
				if ctx.Err() != nil { // the poll failed because ctx ended
					yield(SessionEvent{}, ctx.Err())
					return
				}
				if !yield(SessionEvent{}, err) {
					return
				}
				failures++
				wait = backoff(wait, failures)
			} else {
				failures = 0
			}
			if err := w.options.Sleep(ctx, wait); err != nil {
				yield(SessionEvent{}, err)
				return
			}
		}
	}
}

// backoff doubles interval for each failure in a row, up to maxWatchBackoff
// (or interval, when that is longer).
func backoff(interval time.Duration, failures int) time.Duration {
	d := interval
	for range min(failures, 16) {
		if d >= maxWatchBackoff {
			break
		}
		d *= 2
	}
	return max(interval, min(d, maxWatchBackoff))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// sortedByCreated returns the sessions of m (Arn → Created), oldest first.
func sortedByCreated(m map[string]time.Time) []string {
	arns := make([]string, 0, len(m))
	for arn := range m {
		arns = append(arns, arn)
	}
	slices.SortFunc(arns, func(a, b string) int {
		return cmp.Or(m[a].Compare(m[b]), cmp.Compare(a, b))
	})
	return arns
}

var errWatcherNilClient = errors.New("devicefarm: session watcher has a nil client: create one with devicefarm.New or devicefarm.NewFromConfig")
