package devicefarmtest

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"
)

// Action is one command of a session (TestGridSessionAction), as
// ListTestGridSessionActions lists it.
type Action struct {
	// Action is the command, such as "POST /session/{id}/url".
	Action string
	// Started is when the session invoked it (UTC, millisecond precision).
	Started time.Time
	// Duration is how long it took in the browser; the wire carries whole
	// milliseconds.
	Duration time.Duration
	// StatusCode is the HTTP status code returned to the client, such as
	// "200".
	StatusCode string
	// RequestMethod is the HTTP method of the command, such as "POST".
	RequestMethod string
}

// ArtifactType is the type of a session's artifact.
type ArtifactType string

// Artifact types (TestGridSessionArtifactType).
const (
	ArtifactUnknown     ArtifactType = "UNKNOWN"
	ArtifactVideo       ArtifactType = "VIDEO"
	ArtifactSeleniumLog ArtifactType = "SELENIUM_LOG"
)

// Artifact is a file a session produced (TestGridSessionArtifact). The
// server serves Data itself, at the URL ListTestGridSessionArtifacts
// returns: a GET on the server, with no signature, whose path holds a
// random ID that nothing else reveals.
type Artifact struct {
	// Filename is the artifact's file name, such as "selenium.log".
	Filename string
	// Type is its type; "" is stored as ArtifactUnknown.
	Type ArtifactType
	// ContentType is the Content-Type it is served with; default
	// application/octet-stream.
	ContentType string
	// Data is its content.
	Data []byte
}

// sessionData is what a session carries besides its TestGridSession.
type sessionData struct {
	actions   []Action
	artifacts []*storedArtifact
}

// storedArtifact is an artifact and the ID of its URL.
type storedArtifact struct {
	id string
	Artifact
}

// ErrNoSession is returned by AddActions, AddArtifacts and EndSession for
// a session that no project holds.
var ErrNoSession = errors.New("devicefarmtest: no project holds this session; add it with AddSessions first")

// AddActions appends actions to a session. They are listed in the order
// added (a recorder adds them as they happen), times in UTC truncated to
// the millisecond and durations to the millisecond.
func (s *Server) AddActions(sessionArn string, actions ...Action) error {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	d := s.store.dataLocked(sessionArn)
	if d == nil {
		return ErrNoSession
	}
	for _, a := range actions {
		a.Started = truncMillis(a.Started)
		a.Duration = a.Duration.Truncate(time.Millisecond)
		d.actions = append(d.actions, a)
	}
	return nil
}

// AddArtifacts appends artifacts to a session, listed in the order added.
// Each gets a URL of its own on the server.
func (s *Server) AddArtifacts(sessionArn string, artifacts ...Artifact) error {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	d := s.store.dataLocked(sessionArn)
	if d == nil {
		return ErrNoSession
	}
	for _, a := range artifacts {
		if a.Type == "" {
			a.Type = ArtifactUnknown
		}
		if a.ContentType == "" {
			a.ContentType = "application/octet-stream"
		}
		a.Data = slices.Clone(a.Data)
		var id [16]byte
		_, _ = rand.Read(id[:])
		sa := &storedArtifact{id: hex.EncodeToString(id[:]), Artifact: a}
		d.artifacts = append(d.artifacts, sa)
		s.store.artifacts[sa.id] = sa
	}
	return nil
}

// Actions returns a copy of a session's actions, nil if it has none or
// is unknown.
func (s *Server) Actions(sessionArn string) []Action {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	if d := s.store.peekLocked(sessionArn); d != nil {
		return slices.Clone(d.actions)
	}
	return nil
}

// Artifacts returns a copy of a session's artifacts, nil if it has none
// or is unknown.
func (s *Server) Artifacts(sessionArn string) []Artifact {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	d := s.store.peekLocked(sessionArn)
	if d == nil {
		return nil
	}
	out := make([]Artifact, len(d.artifacts))
	for i, a := range d.artifacts {
		out[i] = a.Artifact
		out[i].Data = slices.Clone(a.Data)
	}
	return out
}

// sessionLocked returns a session's project and position in it, or nil.
// s.mu must be held.
func (s *store) sessionLocked(sessionArn string) (*project, int) {
	p := s.projects[s.sessionProject[sessionArn]]
	if p == nil {
		return nil, 0
	}
	i, ok := p.index[sessionArn]
	if !ok {
		return nil, 0
	}
	return p, i
}

// dataLocked returns a session's data, creating it, or nil for an unknown
// session. s.mu must be held for writing.
func (s *store) dataLocked(sessionArn string) *sessionData {
	p, _ := s.sessionLocked(sessionArn)
	if p == nil {
		return nil
	}
	d := p.data[sessionArn]
	if d == nil {
		d = &sessionData{}
		p.data[sessionArn] = d
	}
	return d
}

// peekLocked returns a session's data, or nil. s.mu must be held.
func (s *store) peekLocked(sessionArn string) *sessionData {
	p, _ := s.sessionLocked(sessionArn)
	if p == nil {
		return nil
	}
	return p.data[sessionArn]
}

// projectOfSessionLocked returns the ARN of the project that holds a
// session: the store's, or for a session it does not hold, the one its ARN
// names (see ProjectOfSession).
func (s *store) projectOfSessionLocked(sessionArn string) string {
	if p, ok := s.sessionProject[sessionArn]; ok {
		return p
	}
	p, _ := ProjectOfSession(sessionArn)
	return p
}

// ProjectOfSession returns the project ARN a session ARN names, as the
// service forms them:
// arn:PARTITION:devicefarm:REGION:ACCOUNT:testgrid-session:PROJECTID/SESSIONID
// belongs to arn:PARTITION:devicefarm:REGION:ACCOUNT:testgrid-project:PROJECTID.
// It reports false for an ARN of another form.
func ProjectOfSession(sessionArn string) (string, bool) {
	parts := strings.SplitN(sessionArn, ":", 7)
	if len(parts) == 7 && parts[0] == "arn" && parts[2] == "devicefarm" && parts[5] == "testgrid-session" {
		project, session, ok := strings.Cut(parts[6], "/")
		if ok && project != "" && session != "" {
			return strings.Join(append(parts[:5:5], "testgrid-project", project), ":"), true
		}
	}
	return "", false
}
