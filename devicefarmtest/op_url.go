package devicefarmtest

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"time"
)

// CreateTestGridUrl, and the two kinds of URL the fake hands out and
// answers itself, unsigned: test grid URLs and artifact URLs.

// URL paths the server answers besides service calls. Service calls never
// use them: the SDKs send every call to "/".
const (
	gridPathPrefix     = "/_grid/"
	artifactPathPrefix = "/_artifacts/"
)

// Model constraints of CreateTestGridUrl (TestGridUrlExpiresInSecondsInput).
const (
	minURLExpiresSeconds = 60
	maxURLExpiresSeconds = 86400
)

// gridURL is a test grid URL issued by CreateTestGridUrl.
type gridURL struct {
	projectArn string
	expires    time.Time
}

// createTestGridURL returns a URL on the server, BASE/_grid/TOKEN with a
// random 256-bit TOKEN, and its expiry, Now plus expiresInSeconds.
func (s *Server) createTestGridURL(c *call) ([]byte, *apiError) {
	m, e := decodeMembers(c.body)
	if e != nil {
		return nil, e
	}
	arn, e := m.str("projectArn")
	if e != nil {
		return nil, e
	}
	secs, e := m.integer("expiresInSeconds")
	if e != nil {
		return nil, e
	}
	var v violations
	v.arn("projectArn", arn, true)
	v.count("expiresInSeconds", secs, minURLExpiresSeconds, maxURLExpiresSeconds, true)
	if e := v.err(); e != nil {
		return nil, e
	}
	var tok [32]byte
	_, _ = rand.Read(tok[:])
	token := base64.RawURLEncoding.EncodeToString(tok[:])
	now := s.opts.Now()
	expires := truncMillis(now.Add(time.Duration(*secs) * time.Second))

	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if s.store.projects[*arn] == nil {
		return nil, projectNotFound(*arn)
	}
	for t, g := range s.store.grids {
		if !now.Before(g.expires) {
			delete(s.store.grids, t)
		}
	}
	s.store.grids[token] = gridURL{projectArn: *arn, expires: expires}
	return appendURLResult(nil, c.baseURL()+gridPathPrefix+token, expires), nil
}

// serveArtifact answers a GET of an artifact's URL, BASE/_artifacts/ID/FILENAME,
// with its content; an unknown ID is a 404.
func (s *Server) serveArtifact(rw *responder) {
	id, _, _ := strings.Cut(strings.TrimPrefix(rw.r.URL.Path, artifactPathPrefix), "/")
	s.store.mu.RLock()
	a := s.store.artifacts[id]
	s.store.mu.RUnlock()
	if a == nil {
		rw.send(http.StatusNotFound, "", "text/plain; charset=utf-8", []byte("NoSuchKey: the artifact does not exist\n"))
		return
	}
	// The content is the test's: a browser opening it must not run it as
	// a page of the server's origin.
	h := rw.w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	rw.send(http.StatusOK, "", a.ContentType, a.Data) // stored once, never changed
}
