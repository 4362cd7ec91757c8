package devicefarmtest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/testgridkit/devicefarm"
)

// Sessions that move with the fake's clock (Options.Now): EndSession ends
// an ACTIVE session now, and AddSessionsVisibleAt adds sessions that the
// service shows only from a given time on, as the real service shows some
// sessions minutes after their creation. A test that drives Options.Now
// runs hours of a grid's life in milliseconds, with no sleeps.

// ErrSessionNotActive is returned by EndSession for a session that has
// already ended.
var ErrSessionNotActive = errors.New("devicefarmtest: the session is not ACTIVE")

// pendingSession is a session added by AddSessionsVisibleAt that the
// service does not show yet.
type pendingSession struct {
	visible int64 // Unix milliseconds
	meta    Project
	session devicefarm.TestGridSession
}

// EndSession ends the ACTIVE session sessionArn with status (CLOSED or
// ERRORED) at the fake's current time (Options.Now): Ended is now and
// BillingMinutes is its duration in minutes rounded up to the hundredth,
// as GenerateSessions computes it (zero when its creation time is after
// now). It returns the session as stored. A session added by
// AddSessionsVisibleAt can be ended before it becomes visible.
func (s *Server) EndSession(sessionArn string, status devicefarm.TestGridSessionStatus) (devicefarm.TestGridSession, error) {
	if status != devicefarm.TestGridSessionStatusClosed && status != devicefarm.TestGridSessionStatusErrored {
		return devicefarm.TestGridSession{}, fmt.Errorf("devicefarmtest: a session ends CLOSED or ERRORED, not %q", status)
	}
	now := truncMillis(s.opts.Now())
	s.revealDue()
	st := &s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	var ss *devicefarm.TestGridSession
	if p := st.projects[st.sessionProject[sessionArn]]; p != nil {
		if i, ok := p.index[sessionArn]; ok {
			ss = &p.sessions[i]
		}
	}
	if ss == nil {
		i := slices.IndexFunc(st.pending, func(ps pendingSession) bool { return ps.session.Arn == sessionArn })
		if i < 0 {
			return devicefarm.TestGridSession{}, ErrNoSession
		}
		ss = &st.pending[i].session
	}
	if ss.Status != devicefarm.TestGridSessionStatusActive {
		return *ss, ErrSessionNotActive
	}
	ss.Status, ss.Ended = status, now
	ss.BillingMinutes = billingMinutes(max(0, now.UnixMilli()-unixMillis(ss.Created)))
	if ss.Created.IsZero() {
		ss.BillingMinutes = 0
	}
	return *ss, nil
}

// AddSessionsVisibleAt adds sessions to a project as AddSessions does
// (registering the project now), but the service shows them only from
// visible on, by Options.Now: until then they are in no listing, count or
// look-up, and Sessions does not report them. Their creation time may be
// long before visible, as a session the real service lists late. With
// visible not after now, it is AddSessions. A session whose Arn is
// already stored is replaced when it becomes visible.
func (s *Server) AddSessionsVisibleAt(projectArn string, visible time.Time, sessions ...devicefarm.TestGridSession) {
	meta := s.defaultProject(projectArn)
	if !visible.After(s.opts.Now()) {
		s.store.add(meta, sessions)
		return
	}
	norm := s.store.normalize(projectArn, sessions)
	st := &s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	st.projectLocked(meta)
	at := visible.UnixMilli()
	for _, ss := range norm {
		st.pending = append(st.pending, pendingSession{visible: at, meta: meta, session: ss})
	}
	slices.SortStableFunc(st.pending, func(a, b pendingSession) int { return cmp.Compare(a.visible, b.visible) })
}

// revealDue adds to their projects the pending sessions whose time has
// come, dropping those of projects deleted since. It is called before
// each request is answered and by the Go API's readers.
func (s *Server) revealDue() {
	now := s.opts.Now().UnixMilli()
	st := &s.store
	st.mu.RLock()
	due := len(st.pending) > 0 && st.pending[0].visible <= now
	st.mu.RUnlock()
	if !due {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	n := 0
	for ; n < len(st.pending) && st.pending[n].visible <= now; n++ {
		if ps := st.pending[n]; st.projects[ps.meta.Arn] != nil {
			st.insertLocked(ps.meta, []devicefarm.TestGridSession{ps.session})
		}
	}
	st.pending = slices.Delete(st.pending, 0, n)
}

// PendingSessions returns how many sessions added by AddSessionsVisibleAt
// are not visible yet.
func (s *Server) PendingSessions() int {
	s.revealDue()
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	return len(s.store.pending)
}
