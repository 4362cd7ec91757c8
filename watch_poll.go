package devicefarm

import (
	"context"
	"time"
)

// One poll of a SessionWatcher, built on ListTestGridSessions alone:
//
//  1. the ACTIVE sessions (any creation time in the watch's bounds): an
//     ACTIVE session not known yet is started; a known ACTIVE session
//     missing from this listing has left ACTIVE;
//  2. the sessions created after watermark − overlap (every status): new
//     ones are started, and ended too when no longer ACTIVE;
//  3. for each known ACTIVE session seen in neither listing as ACTIVE, a
//     look-up of the sessions created in its very millisecond (at most
//     Lookups of them, oldest first), to see how it ended.
//
// State changes as each event is emitted, so a poll that fails part-way
// leaves a state the next poll continues from: listings are in ascending
// Created order, so the watermark never passes a session not yet listed.

// poll runs one poll, emitting events. stopped is true when emit returned
// false (the caller's loop ended).
func (w *SessionWatcher) poll(ctx context.Context, emit func(SessionEvent) bool) (stopped bool, err error) {
	stillActive := make(map[string]struct{})
	in := ListTestGridSessionsInput{
		ProjectArn:         w.params.ProjectArn,
		Status:             TestGridSessionStatusActive,
		CreationTimeAfter:  w.params.CreationTimeAfter,
		CreationTimeBefore: w.params.CreationTimeBefore,
	}
	stopped, err = w.list(ctx, in, func(s TestGridSession) bool {
		if s.Status == TestGridSessionStatusActive {
			stillActive[s.Arn] = struct{}{}
		}
		return w.see(s, emit)
	})
	if stopped || err != nil {
		return stopped, err
	}
	w.begin()

	in.Status = ""
	in.CreationTimeAfter = w.scanFrom()
	stopped, err = w.list(ctx, in, func(s TestGridSession) bool {
		if s.Status == TestGridSessionStatusActive {
			stillActive[s.Arn] = struct{}{}
		}
		w.advance(s.Created)
		return w.see(s, emit)
	})
	if stopped || err != nil {
		return stopped, err
	}

	w.mu.Lock()
	var missing []string
	for _, arn := range sortedByCreated(w.state.active) {
		if _, ok := stillActive[arn]; !ok && len(missing) < w.options.Lookups {
			missing = append(missing, arn)
		}
	}
	w.mu.Unlock()
	for _, arn := range missing {
		if stopped, err = w.lookUp(ctx, arn, emit); stopped || err != nil {
			return stopped, err
		}
	}
	w.prune()
	return false, nil
}

// lookUp lists the sessions created in the millisecond of the known ACTIVE
// session arn (the time bounds are exclusive), to see it end. A session
// not found is looked up again at the next poll.
func (w *SessionWatcher) lookUp(ctx context.Context, arn string, emit func(SessionEvent) bool) (bool, error) {
	w.mu.Lock()
	created := w.state.active[arn]
	w.mu.Unlock()
	ms := created.Truncate(time.Millisecond)
	in := ListTestGridSessionsInput{
		ProjectArn:         w.params.ProjectArn,
		CreationTimeAfter:  ms.Add(-time.Millisecond),
		CreationTimeBefore: ms.Add(time.Millisecond),
	}
	return w.list(ctx, in, func(s TestGridSession) bool {
		if s.Arn != arn {
			return true
		}
		return w.see(s, emit)
	})
}

// list pages through in, calling each for every session; it stops early,
// with stopped true, when each returns false.
func (w *SessionWatcher) list(ctx context.Context, in ListTestGridSessionsInput, each func(TestGridSession) bool) (stopped bool, err error) {
	in.MaxResult = watchPageSize
	p := NewListTestGridSessionsPaginator(w.client, &in)
	for s, err := range p.Sessions(ctx) {
		if err != nil {
			return false, err
		}
		if !each(s) {
			return true, nil
		}
	}
	return false, nil
}

// see records what listing s tells, emitting its events; it returns false
// when emit does.
func (w *SessionWatcher) see(s TestGridSession, emit func(SessionEvent) bool) bool {
	w.mu.Lock()
	st := &w.state
	if _, done := st.ended[s.Arn]; done {
		w.mu.Unlock()
		return true
	}
	_, known := st.active[s.Arn]
	ended := s.Status != TestGridSessionStatusActive
	var events []SessionEvent
	if !known {
		events = append(events, SessionEvent{Type: SessionStarted, Session: s, Time: s.Created})
	}
	switch {
	case ended:
		delete(st.active, s.Arn)
		if st.inWindow(s.Created) {
			st.ended[s.Arn] = s.Created
		}
		events = append(events, SessionEvent{Type: SessionEnded, Session: s, Time: s.Ended})
	case !known:
		st.active[s.Arn] = s.Created
	}
	w.mu.Unlock()
	for _, ev := range events {
		if !emit(ev) {
			return false
		}
	}
	return true
}

// begin places a new watch's start, once: in.CreationTimeAfter, or the
// service's clock now (the local clock plus the skew a *Client measured).
func (w *SessionWatcher) begin() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.state.begun {
		return
	}
	from := w.params.CreationTimeAfter
	if from.IsZero() {
		from = w.options.Now()
		if c, ok := w.client.(*Client); ok {
			from = from.Add(time.Duration(c.skew.Load()))
		}
	}
	from = from.Truncate(time.Millisecond)
	w.state.begun, w.state.from, w.state.watermark = true, from, from
}

// scanFrom is the exclusive lower bound of the new-sessions listing.
func (w *SessionWatcher) scanFrom() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.state.windowStart()
}

func (w *SessionWatcher) advance(created time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if created.After(w.state.watermark) {
		w.state.watermark = created
	}
}

// prune forgets ended sessions that the new-sessions listing can no longer
// return, so that memory is bounded by the ACTIVE sessions and the window.
func (w *SessionWatcher) prune() {
	w.mu.Lock()
	defer w.mu.Unlock()
	start := w.state.windowStart()
	for arn, created := range w.state.ended {
		if !created.After(start) {
			delete(w.state.ended, arn)
		}
	}
}

// windowStart is max(from, watermark − overlap): the new-sessions listing
// returns sessions created strictly after it.
func (st *watchState) windowStart() time.Time {
	return later(st.from, st.watermark.Add(-st.overlap))
}

// inWindow reports whether a session created then can be listed again by
// the new-sessions listing.
func (st *watchState) inWindow(created time.Time) bool {
	return !st.begun || created.After(st.windowStart())
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
