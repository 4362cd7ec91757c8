package devicefarmtest

import (
	"net/http"
	"slices"
	"sync"
	"time"
)

// Request is one HTTP request the server received, as Requests reports it.
type Request struct {
	// Time is when the request arrived, by Options.Now.
	Time time.Time
	// Method and Path are the request line's method and URL path.
	Method, Path string
	// Target is the X-Amz-Target header.
	Target string
	// Header holds all request headers, Authorization included.
	Header http.Header
	// Body is the request body (at most MaxRequestBytes of it).
	Body []byte

	// RequestID is the x-amzn-RequestId the server assigned (and sent, when
	// it sent a response).
	RequestID string
	// StatusCode is the HTTP status sent, or 0 while the request is being
	// handled and when no response was sent (a dropped connection, a
	// request canceled during Latency or a Fault.Delay, FaultHang).
	StatusCode int
	// ErrorCode is the error code sent (X-Amzn-ErrorType), "" on success
	// and for faults that send no error code.
	ErrorCode string
	// Fault is the injected fault this request consumed, nil if none.
	Fault *Fault
}

// clone returns a deep copy of r.
func (r *Request) clone() Request {
	c := *r
	c.Header = r.Header.Clone()
	c.Body = slices.Clone(r.Body)
	if r.Fault != nil {
		f := *r.Fault
		c.Fault = &f
	}
	return c
}

// requestLog records requests in arrival order. Entries are updated in place
// (under mu) when the outcome is known, before the response is written, so
// a client that has its answer sees it recorded.
type requestLog struct {
	mu    sync.Mutex
	reqs  []*Request
	limit int // Options.RequestLogLimit: keep at most this many if > 0
}

func (l *requestLog) add(r *Request) {
	l.mu.Lock()
	l.reqs = append(l.reqs, r)
	if l.limit > 0 && len(l.reqs) >= 2*l.limit {
		// Drop the oldest in batches, so that adding stays O(1) amortized.
		l.reqs = append(l.reqs[:0:0], l.reqs[len(l.reqs)-l.limit:]...)
	}
	l.mu.Unlock()
}

func (l *requestLog) update(r *Request, fn func(*Request)) {
	l.mu.Lock()
	fn(r)
	l.mu.Unlock()
}

// Requests returns a copy of the requests received since the server started
// or ResetRequests was last called, in arrival order, rejected ones included
// (only the most recent Options.RequestLogLimit when that is set).
func (s *Server) Requests() []Request {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	reqs := s.log.reqs
	if s.log.limit > 0 && len(reqs) > s.log.limit {
		reqs = reqs[len(reqs)-s.log.limit:]
	}
	out := make([]Request, len(reqs))
	for i, r := range reqs {
		out[i] = r.clone()
	}
	return out
}

// ResetRequests forgets the requests recorded so far.
func (s *Server) ResetRequests() {
	s.log.mu.Lock()
	s.log.reqs = nil
	s.log.mu.Unlock()
}
