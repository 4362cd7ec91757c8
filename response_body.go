package devicefarm

import (
	"fmt"
	"io"
	"net/http"
	"sync"
)

// A response body is read whole, at most Options.MaxResponseBytes of it,
// into a buffer that a Client recycles between calls.

// maxPooledBody is the largest response buffer kept for reuse; a buffer
// grown past it by an unusually large page is left to the garbage collector.
const maxPooledBody = 1 << 20

// bodyBuffer holds one response body while it is decoded. Decoding copies out
// everything the result keeps, so the buffer can serve later calls.
type bodyBuffer struct{ b []byte }

// bodyBufferPool recycles response buffers among a Client's calls, so a
// page's bytes are not allocated afresh for every call.
type bodyBufferPool struct{ pool sync.Pool }

func (p *bodyBufferPool) get() *bodyBuffer {
	if bb, ok := p.pool.Get().(*bodyBuffer); ok {
		return bb
	}
	return &bodyBuffer{}
}

func (p *bodyBufferPool) put(bb *bodyBuffer) {
	if cap(bb.b) > maxPooledBody {
		return
	}
	bb.b = bb.b[:0]
	p.pool.Put(bb)
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
