package devicefarmtest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// operation is a service operation the fake serves.
type operation struct {
	name string
	// serve answers a signed call that took no fault, or one of the
	// pagination faults (c.kind), which operations that do not page
	// ignore: it returns the response body or the error response.
	serve func(s *Server, c *call) ([]byte, *apiError)
}

// call is one signed service call.
type call struct {
	body []byte
	// kind is noFault, or the pagination fault (FaultEmptyPage,
	// FaultRepeatToken) that the call answers with.
	kind FaultKind
	// r is the request, for baseURL.
	r *http.Request
}

// operations are the test grid operations of DeviceFarm_20150623, by name.
var operations = map[string]*operation{}

func init() {
	for _, op := range []*operation{
		{"CreateTestGridProject", (*Server).createTestGridProject},
		{"GetTestGridProject", (*Server).getTestGridProject},
		{"ListTestGridProjects", (*Server).listTestGridProjects},
		{"UpdateTestGridProject", (*Server).updateTestGridProject},
		{"DeleteTestGridProject", (*Server).deleteTestGridProject},
		{"CreateTestGridUrl", (*Server).createTestGridURL},
		{"GetTestGridSession", (*Server).getTestGridSession},
		{"ListTestGridSessions", (*Server).listTestGridSessions},
		{"ListTestGridSessionActions", (*Server).listTestGridSessionActions},
		{"ListTestGridSessionArtifacts", (*Server).listTestGridSessionArtifacts},
	} {
		operations[op.name] = op
	}
}

// OperationNames returns the names of the operations the server serves,
// the test grid operations of DeviceFarm_20150623, sorted. Any other
// X-Amz-Target is answered with UnknownOperationException.
func OperationNames() []string { return slices.Sorted(maps.Keys(operations)) }

// CanonicalOperation returns the name of the operation the server serves
// that name spells in any case, with or without the "DeviceFarm_20150623."
// prefix (as Match.Operation accepts it), and whether there is one.
func CanonicalOperation(name string) (string, bool) {
	if len(name) > len(targetPrefix) && strings.EqualFold(name[:len(targetPrefix)], targetPrefix) {
		name = name[len(targetPrefix):]
	}
	for n := range operations {
		if strings.EqualFold(n, name) {
			return n, true
		}
	}
	return "", false
}

// projectOfCall returns the project a call is about, for matching faults:
// its projectArn, else the project of its sessionArn, else "".
func (s *Server) projectOfCall(body []byte) string {
	var in struct {
		ProjectArn any `json:"projectArn"`
		SessionArn any `json:"sessionArn"`
	}
	if json.Unmarshal(body, &in) != nil {
		return ""
	}
	if p, ok := in.ProjectArn.(string); ok && p != "" {
		return p
	}
	if sa, ok := in.SessionArn.(string); ok && sa != "" {
		s.store.mu.RLock()
		defer s.store.mu.RUnlock()
		return s.store.projectOfSessionLocked(sa)
	}
	return ""
}

// baseURL returns the scheme and host the client called, for the URLs
// the fake returns (artifacts, test grid URLs).
func (c *call) baseURL() string {
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.r.Host
}
