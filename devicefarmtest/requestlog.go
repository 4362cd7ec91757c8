package devicefarmtest

import (
	"net/http"
	"slices"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Request is one HTTP request the server received, as Requests reports it.
type Request struct {
	// Time is when the request arrived, by Options.Now.
	Time time.Time
	// Method and Path are the request line's method and URL path.
	Method, Path string
	// Target is the X-Amz-Target header.
	Target string
	// Header holds all request headers, Authorization included; for a
	// rejected request (see Rejected), only the few that identify an
	// attempt (see RejectedHeaders), each value cut to RejectedExcerptBytes.
	Header http.Header
	// Body is the request body (at most MaxRequestBytes of it); nil for a
	// rejected request (see Rejected).
	Body []byte
	// HeaderSize and BodySize are the sizes in bytes of the headers (names
	// and values) and of the body read, kept when Header and Body are not.
	HeaderSize, BodySize int
	// Rejected reports a request refused before any operation ran (a
	// protocol error, a bad signature, a body over MaxRequestBytes). The log
	// keeps no body for it, only Excerpt, and only RejectedHeaders.
	Rejected bool
	// Excerpt is, for a rejected request, the start of its body (at most
	// RejectedExcerptBytes) with control and non-printable characters
	// replaced by '?'; "" otherwise.
	Excerpt string

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

// RejectedExcerptBytes is the most of a rejected request's body the
// request log keeps (see Request.Excerpt).
const RejectedExcerptBytes = 64

// RejectedHeaders are the headers the request log keeps for a rejected
// request: none carries a secret.
var RejectedHeaders = []string{"Amz-Sdk-Invocation-Id", "Amz-Sdk-Request", "Content-Type", "Content-Length", "User-Agent", "X-Amz-Target"}

// requestOverhead is what the request log counts for an entry besides its
// headers and body, so that a flood of empty requests is bounded too.
const requestOverhead = 256

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

// size is what r counts against Options.RequestLogBytes.
func (r *Request) size() int {
	return requestOverhead + len(r.Method) + len(r.Path) + len(r.Target) + len(r.Excerpt) + len(r.Body) + headerSize(r.Header)
}

func headerSize(h http.Header) int {
	n := 0
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// scrubExcerpt returns the start of body, at most RejectedExcerptBytes,
// valid UTF-8 with every control, format (bidi) or non-printable
// character replaced by '?'.
func scrubExcerpt(body []byte) string {
	b := body[:min(len(body), RejectedExcerptBytes)]
	if len(body) > len(b) {
		// Leave room for a rune the limit cuts: decoding stops before it.
		b = body[:min(len(body), RejectedExcerptBytes+utf8.UTFMax-1)]
	}
	out := make([]rune, 0, len(b))
	size := 0
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if size+n > RejectedExcerptBytes {
			break
		}
		if r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ' {
			r = '?'
		}
		out = append(out, r)
		size += n
		b = b[n:]
	}
	return string(out)
}

// requestLog records requests in arrival order. Entries are updated in place
// (under mu) when the outcome is known, before the response is written, so
// a client that has its answer sees it recorded. It holds at most limit
// entries (if > 0) and about maxBytes bytes (if > 0), dropping the oldest.
type requestLog struct {
	mu       sync.Mutex
	reqs     []*Request // reqs[head:] are kept
	head     int
	sizes    map[*Request]int // what each kept entry counts now
	bytes    int              // sum of sizes
	limit    int              // Options.RequestLogLimit
	maxBytes int              // Options.RequestLogBytes
}

func (l *requestLog) add(r *Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sizes == nil {
		l.sizes = make(map[*Request]int)
	}
	// Counted in full, and trimmed for, once its outcome is known (see
	// update): a rejected request's body is never counted.
	l.reqs = append(l.reqs, r)
	l.sizes[r] = requestOverhead
	l.bytes += requestOverhead
	l.trimLocked()
}

// trimLocked drops the oldest entries over the bounds; l.mu must be held.
// The newest entry is always kept.
func (l *requestLog) trimLocked() {
	for len(l.reqs)-l.head > 1 && (l.limit > 0 && len(l.reqs)-l.head > l.limit || l.maxBytes > 0 && l.bytes > l.maxBytes) {
		old := l.reqs[l.head]
		l.bytes -= l.sizes[old]
		delete(l.sizes, old)
		l.reqs[l.head] = nil
		l.head++
	}
	if l.head > 64 && l.head >= len(l.reqs)/2 {
		// Compact, so that adding stays O(1) amortized.
		l.reqs = append(l.reqs[:0:0], l.reqs[l.head:]...)
		l.head = 0
	}
}

func (l *requestLog) update(r *Request, fn func(*Request)) {
	l.mu.Lock()
	fn(r)
	if old, ok := l.sizes[r]; ok {
		n := r.size()
		l.sizes[r] = n
		l.bytes += n - old
		l.trimLocked()
	}
	l.mu.Unlock()
}

// reject marks r rejected: its headers and body are replaced by their sizes
// and a short scrubbed excerpt of the body.
func (l *requestLog) reject(r *Request) {
	l.update(r, func(r *Request) {
		r.Rejected = true
		r.Excerpt = scrubExcerpt(r.Body)
		kept := http.Header{}
		for _, k := range RejectedHeaders {
			for _, v := range r.Header.Values(k) {
				kept.Add(k, scrubExcerpt([]byte(v)))
			}
		}
		r.Header, r.Body = kept, nil
	})
}

// Requests returns a copy of the requests received since the server started
// or ResetRequests was last called, in arrival order, rejected ones included
// (only the most recent, as Options.RequestLogLimit and
// Options.RequestLogBytes bound them).
func (s *Server) Requests() []Request {
	return s.LastRequests(-1)
}

// LastRequests returns a copy of the n most recent requests Requests
// reports (all of them when n < 0), in arrival order.
func (s *Server) LastRequests(n int) []Request {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	reqs := s.log.reqs[s.log.head:]
	if n >= 0 && len(reqs) > n {
		reqs = reqs[len(reqs)-n:]
	}
	out := make([]Request, len(reqs))
	for i, r := range reqs {
		out[i] = r.clone()
	}
	return out
}

// RequestCount returns how many requests Requests would report, in
// constant time.
func (s *Server) RequestCount() int {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return len(s.log.reqs) - s.log.head
}

// ResetRequests forgets the requests recorded so far.
func (s *Server) ResetRequests() {
	s.log.mu.Lock()
	s.log.reqs, s.log.head, s.log.sizes, s.log.bytes = nil, 0, nil, 0
	s.log.mu.Unlock()
}
