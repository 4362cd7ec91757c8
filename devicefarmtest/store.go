package devicefarmtest

import (
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/internal/uuid"
)

// store holds the projects, their sessions and what the sessions carry
// (actions and artifacts), and the test grid URLs issued. One RWMutex
// guards it all: writers (the Go API, the control API, a later WebDriver
// proxy recording sessions) and listings may run concurrently.
type store struct {
	mu       sync.RWMutex
	projects map[string]*project
	// projectByHash resolves the project a ListTestGridProjects nextToken
	// resumes after; entries outlive deleted projects, so that a token
	// still resumes at the right place.
	projectByHash map[arnHash]string
	// sessionProject maps a session ARN to its project's ARN.
	sessionProject map[string]string
	// artifacts holds every artifact by the random ID in its URL.
	artifacts map[string]*storedArtifact
	// grids holds the test grid URLs issued, by their random token.
	grids map[string]gridURL
	// pending holds the sessions AddSessionsVisibleAt added that are not
	// visible yet, by ascending visible time.
	pending []pendingSession
}

// project keeps its sessions in the order added (a session keeps its
// position for good) and their keys sorted by (Created, Arn), the listing
// order: adding a session inserts one key, found by binary search, rather
// than sorting them all.
type project struct {
	meta      Project                 // Sessions unused: len(sessions) is the count
	data      map[string]*sessionData // by session ARN; nil entries absent
	sessions  []devicefarm.TestGridSession
	keys      []sessionKey       // sorted; keys[i].pos is the session's position in sessions
	index     map[string]int     // ARN -> position in sessions
	arnByHash map[arnHash]string // for resuming from a nextToken
}

// bulkAdd is the number of sessions from which add sorts all the keys
// again rather than inserting each (when they are also over a sixteenth
// of the project).
const bulkAdd = 64

type arnHash [16]byte

func hashArn(arn string) arnHash {
	sum := sha256.Sum256([]byte(arn))
	return arnHash(sum[:16])
}

// sessionKey is a session's position in the listing order.
type sessionKey struct {
	created int64 // Unix milliseconds
	arn     string
	pos     int // in project.sessions; not part of the order
}

func compareKeys(a, b sessionKey) int {
	return cmp.Or(cmp.Compare(a.created, b.created), strings.Compare(a.arn, b.arn))
}

func (s *store) init() {
	s.projects = make(map[string]*project)
	if s.projectByHash == nil {
		s.projectByHash = make(map[arnHash]string)
	}
	s.sessionProject = make(map[string]string)
	s.artifacts = make(map[string]*storedArtifact)
	s.grids = make(map[string]gridURL)
	s.pending = nil
}

// projectLocked returns the project, creating it with meta if needed.
// s.mu must be held for writing.
func (s *store) projectLocked(meta Project) *project {
	p := s.projects[meta.Arn]
	if p == nil {
		p = &project{meta: meta, index: make(map[string]int), arnByHash: make(map[arnHash]string), data: make(map[string]*sessionData)}
		s.projects[meta.Arn] = p
		s.projectByHash[hashArn(meta.Arn)] = meta.Arn
	}
	return p
}

// AddSessions adds sessions to a project, registering the project if
// needed. A session whose Arn is already in the project replaces it.
// Times are stored in UTC truncated to the millisecond, as the wire carries
// them. A session with an empty Arn gets a random one shaped like
// arn:aws:devicefarm:REGION:ACCOUNT:testgrid-session:PROJECTID/UUID.
func (s *Server) AddSessions(projectArn string, sessions ...devicefarm.TestGridSession) {
	s.store.add(s.defaultProject(projectArn), sessions)
}

func (s *store) add(meta Project, sessions []devicefarm.TestGridSession) {
	norm := s.normalize(meta.Arn, sessions)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.insertLocked(meta, norm)
}

// normalize returns sessions as stored: times in UTC truncated to the
// millisecond, and a random Arn in projectArn for those without one.
func (s *store) normalize(projectArn string, sessions []devicefarm.TestGridSession) []devicefarm.TestGridSession {
	norm := make([]devicefarm.TestGridSession, len(sessions))
	for i, ss := range sessions {
		ss.Created = truncMillis(ss.Created)
		ss.Ended = truncMillis(ss.Ended)
		if ss.Arn == "" {
			var u [16]byte
			_, _ = rand.Read(u[:])
			ss.Arn = sessionArn(projectArn, uuid.Format(u))
		}
		norm[i] = ss
	}
	return norm
}

// insertLocked stores normalized sessions. s.mu must be held for writing.
func (s *store) insertLocked(meta Project, norm []devicefarm.TestGridSession) {
	projectArn := meta.Arn
	p := s.projectLocked(meta)
	bulk := len(norm) >= bulkAdd && len(norm) > len(p.keys)/16
	for _, ss := range norm {
		s.sessionProject[ss.Arn] = projectArn
		k := keyOf(ss)
		if i, ok := p.index[ss.Arn]; ok {
			if old := keyOf(p.sessions[i]); !bulk && old.created != k.created {
				p.removeKey(old)
				k.pos = i
				p.insertKey(k)
			}
			p.sessions[i] = ss
			continue
		}
		k.pos = len(p.sessions)
		p.index[ss.Arn] = k.pos
		p.sessions = append(p.sessions, ss)
		p.arnByHash[hashArn(ss.Arn)] = ss.Arn
		if !bulk {
			p.insertKey(k)
		}
	}
	if bulk {
		p.keys = p.keys[:0]
		for i, ss := range p.sessions {
			k := keyOf(ss)
			k.pos = i
			p.keys = append(p.keys, k)
		}
		slices.SortFunc(p.keys, compareKeys)
	}
}

// insertKey inserts k in the sorted keys: a binary search and one copy.
func (p *project) insertKey(k sessionKey) {
	i, _ := slices.BinarySearchFunc(p.keys, k, compareKeys)
	p.keys = slices.Insert(p.keys, i, k)
}

// removeKey removes the key equal to k (by Created and Arn).
func (p *project) removeKey(k sessionKey) {
	if i, ok := slices.BinarySearchFunc(p.keys, k, compareKeys); ok {
		p.keys = slices.Delete(p.keys, i, i+1)
	}
}

func keyOf(s devicefarm.TestGridSession) sessionKey {
	return sessionKey{created: unixMillis(s.Created), arn: s.Arn}
}

// unixMillis returns t in Unix milliseconds; the zero time sorts first.
func unixMillis(t time.Time) int64 {
	if t.IsZero() {
		return minMillis
	}
	return t.UnixMilli()
}

const minMillis = -1 << 63

func truncMillis(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}

// query selects sessions of one project.
type query struct {
	projectArn string
	status     string // "" = any
	// Bounds in Unix milliseconds; nil = unbounded. All are exclusive.
	createdAfter, createdBefore, endedAfter, endedBefore *int64
}

func (q *query) match(s *devicefarm.TestGridSession) bool {
	if q.status != "" && string(s.Status) != q.status {
		return false
	}
	if q.createdAfter != nil || q.createdBefore != nil {
		c := unixMillis(s.Created)
		if q.createdAfter != nil && c <= *q.createdAfter || q.createdBefore != nil && c >= *q.createdBefore {
			return false
		}
	}
	if q.endedAfter != nil || q.endedBefore != nil {
		if s.Ended.IsZero() {
			return false
		}
		e := s.Ended.UnixMilli()
		if q.endedAfter != nil && e <= *q.endedAfter || q.endedBefore != nil && e >= *q.endedBefore {
			return false
		}
	}
	return true
}

// listError is a failure of list.
type listError int

const (
	errNoProject listError = iota + 1
	errBadPosition
)

// list returns up to size matching sessions after pos (nil or a start
// position: from the start), and the key of the last one returned when more
// matches follow.
func (s *store) list(q *query, pos *tokenPosition, size int) ([]devicefarm.TestGridSession, *sessionKey, listError) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p := s.projects[q.projectArn]
	if p == nil {
		return nil, nil, errNoProject
	}
	start := 0
	if pos != nil && !pos.start {
		arn, ok := p.arnByHash[pos.arn]
		if !ok {
			return nil, nil, errBadPosition
		}
		after := sessionKey{created: pos.created, arn: arn}
		start, _ = slices.BinarySearchFunc(p.keys, after, func(k, t sessionKey) int {
			if compareKeys(k, t) <= 0 {
				return -1
			}
			return 1
		})
	}
	page := make([]devicefarm.TestGridSession, 0, min(size, len(p.keys)-start))
	for i := start; i < len(p.keys); i++ {
		ss := &p.sessions[p.keys[i].pos]
		if !q.match(ss) {
			continue
		}
		if len(page) == size {
			last := keyOf(page[len(page)-1])
			return page, &last, 0
		}
		page = append(page, *ss)
	}
	return page, nil, 0
}

// sessions returns a copy of a project's sessions in listing order.
func (s *store) sessions(projectArn string) []devicefarm.TestGridSession {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if p := s.projects[projectArn]; p != nil {
		out := make([]devicefarm.TestGridSession, len(p.keys))
		for i, k := range p.keys {
			out[i] = p.sessions[k.pos]
		}
		return out
	}
	return nil
}

// Sessions returns a copy of the sessions of a project, in listing order
// (ascending Created, ties by Arn), or nil for an unknown project.
func (s *Server) Sessions(projectArn string) []devicefarm.TestGridSession {
	s.revealDue()
	return s.store.sessions(projectArn)
}
