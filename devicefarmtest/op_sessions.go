package devicefarmtest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/internal/oneline"
)

// The session operations besides ListTestGridSessions: GetTestGridSession,
// ListTestGridSessionActions, ListTestGridSessionArtifacts.

// maxResourceIDLen is ResourceId's maximum length (a session ID).
const maxResourceIDLen = 128

func sessionNotFound(arn string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: devicefarm.CodeNotFoundException,
		message: fmt.Sprintf("Session %s was not found.", oneline.Quote(arn, maxProjectArnLen))}
}

// getTestGridSession looks a session up by sessionArn, or by projectArn
// and sessionId (the part of the session ARN after the project ID and
// "/"). Giving neither, or only one of projectArn and sessionId, is an
// ArgumentException; with sessionArn, the others must be absent or name
// the same session.
func (s *Server) getTestGridSession(c *call) ([]byte, *apiError) {
	m, e := decodeMembers(c.body)
	if e != nil {
		return nil, e
	}
	var projectArn, sessionID, sessionArn *string
	for _, f := range []struct {
		name string
		dst  **string
	}{{"projectArn", &projectArn}, {"sessionId", &sessionID}, {"sessionArn", &sessionArn}} {
		if *f.dst, e = m.str(f.name); e != nil {
			return nil, e
		}
	}
	var v violations
	v.arn("projectArn", projectArn, false)
	v.text("sessionId", sessionID, 1, maxResourceIDLen, false)
	v.arn("sessionArn", sessionArn, false)
	if sessionArn == nil && (projectArn == nil || sessionID == nil) {
		v.add("Give sessionArn, or projectArn and sessionId")
	}
	if e := v.err(); e != nil {
		return nil, e
	}

	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	var ss *devicefarm.TestGridSession
	if sessionArn != nil {
		if p, i := s.store.sessionLocked(*sessionArn); p != nil {
			ss = &p.sessions[i]
		}
		if ss == nil || projectArn != nil && s.store.sessionProject[ss.Arn] != *projectArn ||
			sessionID != nil && !strings.HasSuffix(ss.Arn, "/"+*sessionID) {
			return nil, sessionNotFound(*sessionArn)
		}
	} else {
		p := s.store.projects[*projectArn]
		if p == nil {
			return nil, projectNotFound(*projectArn)
		}
		for i := range p.sessions {
			if strings.HasSuffix(p.sessions[i].Arn, "/"+*sessionID) {
				ss = &p.sessions[i]
				break
			}
		}
		if ss == nil {
			return nil, &apiError{status: http.StatusBadRequest, code: devicefarm.CodeNotFoundException,
				message: fmt.Sprintf("Session %s of project %s was not found.", echo(*sessionID), oneline.Quote(*projectArn, maxProjectArnLen))}
		}
	}
	b := append([]byte(nil), `{"testGridSession":`...)
	b = appendSession(b, ss)
	return append(b, '}'), nil
}

// sessionListInput is a decoded ListTestGridSessionActions or
// ListTestGridSessionArtifacts request.
type sessionListInput struct {
	sessionArn string
	typ        *string // artifacts only
	pageCall
}

// parseSessionList decodes and validates a session's list request of
// operation op; withType reads the artifacts' type filter.
func (s *Server) parseSessionList(c *call, op string, withType bool) (*sessionListInput, *apiError) {
	m, e := decodeMembers(c.body)
	if e != nil {
		return nil, e
	}
	arn, e := m.str("sessionArn")
	if e != nil {
		return nil, e
	}
	in := &sessionListInput{}
	if withType {
		if in.typ, e = m.str("type"); e != nil {
			return nil, e
		}
	}
	maxResult, token, e := m.paging()
	if e != nil {
		return nil, e
	}
	var v violations
	v.arn("sessionArn", arn, true)
	v.enum("type", in.typ, "VIDEO", "LOG")
	v.paging(maxResult, token)
	if e := v.err(); e != nil {
		return nil, e
	}
	in.sessionArn = *arn
	typ := ""
	if in.typ != nil {
		typ = *in.typ
	}
	in.pageCall, e = s.paging(hashFields("operation", op, "sessionArn", in.sessionArn, "type", typ), token, maxResult,
		"Invalid nextToken: it was issued for another operation, session or type; repeat the request that returned it, changing only nextToken (and maxResult if you like).")
	if e != nil {
		return nil, e
	}
	return in, nil
}

// indexPage returns the page [start, end) of n items that a call asks for,
// and the position after it when more follow. Actions and artifacts are
// only ever appended, so a position is an index.
func indexPage(pc *pageCall, n int) (start, end int, next *tokenPosition, e *apiError) {
	if !pc.pos.start {
		start = int(pc.pos.created)
		if start < 0 || start > n {
			return 0, 0, nil, unknownPosition()
		}
	}
	end = min(n, start+pc.size)
	if end < n {
		next = &tokenPosition{created: int64(end)}
	}
	return start, end, next, nil
}

// unknownPosition is the ArgumentException for a valid nextToken whose
// position no longer exists.
func unknownPosition() *apiError {
	return &apiError{status: http.StatusBadRequest, code: devicefarm.CodeArgumentException,
		message: "Invalid nextToken: its position is unknown."}
}

func (s *Server) listTestGridSessionActions(c *call) ([]byte, *apiError) {
	in, e := s.parseSessionList(c, "ListTestGridSessionActions", false)
	if e != nil {
		return nil, e
	}
	s.store.mu.RLock()
	p, _ := s.store.sessionLocked(in.sessionArn)
	var actions []Action
	if p != nil && p.data[in.sessionArn] != nil {
		actions = p.data[in.sessionArn].actions
	}
	start, end, next, e := indexPage(&in.pageCall, len(actions))
	page := actions[start:end:end] // appended to only, never changed: safe to read after unlocking
	s.store.mu.RUnlock()
	if p == nil {
		return nil, sessionNotFound(in.sessionArn)
	}
	if e != nil {
		return nil, e
	}
	tok, empty := s.nextToken(&in.pageCall, c.kind, next)
	if empty {
		page = nil
	}
	return appendActionPage(nil, page, tok), nil
}

// listTestGridSessionArtifacts lists a session's artifacts in the order
// added; type VIDEO keeps VIDEO artifacts and LOG keeps SELENIUM_LOG ones.
func (s *Server) listTestGridSessionArtifacts(c *call) ([]byte, *apiError) {
	in, e := s.parseSessionList(c, "ListTestGridSessionArtifacts", true)
	if e != nil {
		return nil, e
	}
	s.store.mu.RLock()
	p, _ := s.store.sessionLocked(in.sessionArn)
	var arts []*storedArtifact
	if p != nil && p.data[in.sessionArn] != nil {
		for _, a := range p.data[in.sessionArn].artifacts {
			if in.typ == nil || *in.typ == "VIDEO" && a.Type == ArtifactVideo || *in.typ == "LOG" && a.Type == ArtifactSeleniumLog {
				arts = append(arts, a)
			}
		}
	}
	s.store.mu.RUnlock()
	if p == nil {
		return nil, sessionNotFound(in.sessionArn)
	}
	start, end, next, e := indexPage(&in.pageCall, len(arts))
	if e != nil {
		return nil, e
	}
	page := arts[start:end]
	tok, empty := s.nextToken(&in.pageCall, c.kind, next)
	if empty {
		page = nil
	}
	return appendArtifactPage(nil, page, c.baseURL(), tok), nil
}
