package devicefarmtest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Match selects the requests an injected Fault fails. Its zero value
// matches the next request of any operation and any project.
type Match struct {
	// Operation is the operation name, such as "ListTestGridSessions", in
	// any case, with or without the "DeviceFarm_20150623." prefix; "" for
	// any operation.
	Operation string
	// ProjectArn keeps the requests about this project: those whose
	// projectArn is this ARN, and those whose sessionArn names one of its
	// sessions. "" for any project (and for requests with none, such as
	// ListTestGridProjects).
	ProjectArn string
	// Nth is the matching request that fails first, counted from 1 since
	// Inject: 3 lets two matching requests through and fails the third.
	// 0 means 1, the next one.
	Nth int
	// Times is how many matching requests fail, from the Nth on. 0 means 1.
	Times int
}

// Injection is a fault armed by Inject. Its methods are safe for
// concurrent use.
type Injection struct {
	fault Fault
	match Match     // normalised: Operation canonical, Nth and Times at least 1
	q     *injector // its mu guards seen and fired
	seen  int       // matching requests offered to it
	fired int
}

// Fault returns the fault injected.
func (in *Injection) Fault() Fault { return in.fault }

// Match returns what the fault matches, with Operation in its canonical
// spelling and Nth and Times at least 1.
func (in *Injection) Match() Match { return in.match }

// injector holds the armed faults in the order they were armed.
type injector struct {
	mu    sync.Mutex
	armed []*Injection
}

// Fired returns how many requests the fault has failed so far.
func (in *Injection) Fired() int {
	in.q.mu.Lock()
	defer in.q.mu.Unlock()
	return in.fired
}

// Pending returns how many requests the fault will still fail.
func (in *Injection) Pending() int {
	in.q.mu.Lock()
	defer in.q.mu.Unlock()
	return in.match.Times - in.fired
}

// Inject arms fault f for the requests m matches, and returns the
// Injection, which tells how often it fired. Faults armed earlier come
// first: a request is offered to the armed faults in the order they were
// armed, and the first one due takes it; the others do not count it. So
// Inject(Match{Times: 1}, a) then Inject(Match{Times: 2}, b) fails the next
// three requests with a, b and b, whatever they are.
//
// Aim faults at a project (Match.ProjectArn) so that tests sharing one
// Server never take each other's: Match{Operation: "ListTestGridSessions",
// ProjectArn: p, Nth: 3} fails the third page request of project p only.
//
// Faults are taken per HTTP request, not per client call: a call that the
// client retries takes one fault per attempt, so Match{Times: 2} with
// Throttling is two throttled attempts, of one call or of two. A request
// takes a fault only after it passed the protocol and signature checks, so
// rejected requests never count. Requests for artifacts and to the test
// grid URL are not service operations and never take one.
//
// Inject panics if m.Operation names no operation the fake serves, or if
// Nth or Times is negative.
func (s *Server) Inject(m Match, f Fault) *Injection {
	if m.Operation != "" {
		op, ok := CanonicalOperation(m.Operation)
		if !ok {
			panic(fmt.Sprintf("devicefarmtest: Inject: unknown operation %q (one of %s)", m.Operation, strings.Join(OperationNames(), ", ")))
		}
		m.Operation = op
	}
	if m.Nth < 0 || m.Times < 0 {
		panic(fmt.Sprintf("devicefarmtest: Inject: Nth (%d) and Times (%d) must not be negative", m.Nth, m.Times))
	}
	m.Nth, m.Times = max(m.Nth, 1), max(m.Times, 1)
	in := &Injection{fault: f, match: m, q: &s.faults}
	s.faults.mu.Lock()
	s.faults.armed = append(s.faults.armed, in)
	s.faults.mu.Unlock()
	return in
}

// take returns the fault a request of operation op takes, if one is due,
// and counts the request for the faults it matches. projectOf returns the
// project the request is about; it is called only when a fault is aimed
// at a project, and at most once.
func (q *injector) take(op string, projectOf func() string) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	project, known := "", false
	for i, in := range q.armed {
		m := &in.match
		if m.Operation != "" && m.Operation != op {
			continue
		}
		if m.ProjectArn != "" {
			if !known {
				project, known = projectOf(), true
			}
			if m.ProjectArn != project {
				continue
			}
		}
		in.seen++
		if in.seen < m.Nth {
			continue
		}
		in.fired++
		if in.fired == m.Times {
			q.armed = slices.Delete(q.armed, i, i+1)
		}
		return in.fault, true
	}
	return Fault{}, false
}

// PendingFaults returns the injected faults that will still fail requests
// (those that never fired included), in the order they were armed.
func (s *Server) PendingFaults() []*Injection {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return slices.Clone(s.faults.armed)
}

// ClearFaults disarms every injected fault. ClearFaults(projectArn)
// disarms only those aimed at that project (Match.ProjectArn), so that a
// test sharing the Server cleans up after itself.
func (s *Server) ClearFaults(projectArn ...string) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if len(projectArn) == 0 {
		s.faults.armed = nil
		return
	}
	s.faults.armed = slices.DeleteFunc(s.faults.armed, func(in *Injection) bool {
		return slices.Contains(projectArn, in.match.ProjectArn)
	})
}
