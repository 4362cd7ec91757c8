package devicefarmtest

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
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
// random 256-bit TOKEN, and its expiry, Now plus expiresInSeconds. Every
// call counts towards Options.URLCreateRate, checked first as the service
// throttles before it looks at the input.
func (s *Server) createTestGridURL(c *call) ([]byte, *apiError) {
	if e := s.allowURL(); e != nil {
		return nil, e
	}
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
	token, expires, e := s.issueGridToken(*arn, time.Duration(*secs)*time.Second)
	if e != nil {
		return nil, e
	}
	return appendURLResult(nil, c.baseURL()+gridPathPrefix+token, expires), nil
}

// issueGridToken stores a new test grid URL token of a project, valid for
// d from Now, and returns it with its expiry.
func (s *Server) issueGridToken(projectArn string, d time.Duration) (string, time.Time, *apiError) {
	var tok [32]byte
	_, _ = rand.Read(tok[:])
	token := base64.RawURLEncoding.EncodeToString(tok[:])
	now := s.opts.Now()
	expires := truncMillis(now.Add(d))

	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if s.store.projects[projectArn] == nil {
		return "", time.Time{}, projectNotFound(projectArn)
	}
	for t, g := range s.store.grids {
		if !now.Before(g.expires) {
			delete(s.store.grids, t)
		}
	}
	s.store.grids[token] = gridURL{projectArn: projectArn, expires: expires}
	return token, expires, nil
}

// TestGridURL returns a test grid URL of a project, valid for d, as
// CreateTestGridUrl returns one (with no bounds on d), on URL: for Go tests
// that drive WebDriver sessions without an SDK. It fails for a project
// never added, and panics if the server was not started.
func (s *Server) TestGridURL(projectArn string, d time.Duration) (string, error) {
	if s.srv == nil {
		panic("devicefarmtest: TestGridURL called on a Server that was not started")
	}
	token, _, e := s.issueGridToken(projectArn, d)
	if e != nil {
		return "", errors.New("devicefarmtest: " + e.message)
	}
	return s.URL + gridPathPrefix + token, nil
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
