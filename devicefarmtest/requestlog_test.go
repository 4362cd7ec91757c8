package devicefarmtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// Rejected requests keep their sizes and a scrubbed excerpt, never their
// body or a secret header, so that a flood of large refused requests
// cannot drive the log's memory up (issue 20, row 1).
func TestRequestLogRejectedKeepsNoBody(t *testing.T) {
	s := newServer(t)
	body := "\x1b]0;x\x07\u202eevil" + strings.Repeat("y", 1<<20-20)
	for range 5 {
		req := newRawRequest(t, s, body)
		req.Header.Set("Content-Type", "text/plain")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=secret")
		req.Header.Set("X-Big", strings.Repeat("h", 4000))
		requireError(t, do(t, req), http.StatusBadRequest, "SerializationException")
	}
	reqs := s.Requests()
	require.Len(t, reqs, 5)
	for _, r := range reqs {
		assert.True(t, r.Rejected)
		assert.Nil(t, r.Body)
		assert.Equal(t, len(body), r.BodySize)
		assert.Greater(t, r.HeaderSize, 4000)
		assert.Empty(t, r.Header.Get("Authorization"))
		assert.Empty(t, r.Header.Get("X-Big"))
		assert.Equal(t, "text/plain", r.Header.Get("Content-Type"))
		assert.Equal(t, http.StatusBadRequest, r.StatusCode)
		assert.LessOrEqual(t, len(r.Excerpt), devicefarmtest.RejectedExcerptBytes)
		assert.True(t, strings.HasPrefix(r.Excerpt, "?]0;x??evil"), "%q", r.Excerpt)
	}
	assert.Equal(t, 5, s.RequestCount())
}

// The log holds about RequestLogBytes: the oldest requests are dropped.
func TestRequestLogBytesBound(t *testing.T) {
	s := newServer(t, func(o *devicefarmtest.Options) { o.RequestLogBytes = 64 << 10 })
	body := listBody("", `"x":"`+strings.Repeat("z", 20<<10)+`"`)
	for range 10 {
		call(t, s, body)
	}
	reqs := s.Requests()
	total := 0
	for _, r := range reqs {
		total += len(r.Body)
		assert.False(t, r.Rejected)
	}
	assert.Less(t, len(reqs), 10, "the oldest were dropped")
	assert.NotEmpty(t, reqs)
	assert.LessOrEqual(t, total, 64<<10)
	assert.Equal(t, len(reqs), s.RequestCount())
	last := s.LastRequests(2)
	require.Len(t, last, 2)
	assert.Equal(t, reqs[len(reqs)-1].RequestID, last[1].RequestID)
	s.ResetRequests()
	assert.Zero(t, s.RequestCount())
}
