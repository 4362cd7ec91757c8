package devicefarm

import "sync"

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
