package serve

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// controlPrefix is the path under which serve answers control requests;
// every other path is the fake service's.
const controlPrefix = "/_testgrid"

// isControlPath reports whether a request path belongs to the control API:
// /_testgrid itself or anything under /_testgrid/. The service never
// interprets paths, so no path can be both.
func isControlPath(path string) bool {
	return path == controlPrefix || strings.HasPrefix(path, controlPrefix+"/")
}

// Limits of control requests.
const (
	maxSeedPerRequest = 100_000
	// maxRequestsAnswer caps the requests one GET /requests returns.
	maxRequestsAnswer = 1000
)

// controlAPI answers the control requests of "testgrid serve": JSON in and
// out (a POST must say Content-Type: application/json), no authentication
// (it is a test double; requestGuard keeps web pages out). It is safe for concurrent
// use; mu orders the requests that change the data, so that a reset
// restores the initial data whole.
type controlAPI struct {
	fake *devicefarmtest.Server
	mu   sync.Mutex
	// initial is the data the command line loaded, restored by a reset.
	initial *serveData
	limits  limits
	// grid is serve's WebDriver server, reported by health; nil in tests
	// of the handler alone.
	grid *gridDriver
}

// heldSessions is the number of sessions the fake holds.
func (c *controlAPI) heldSessions() int {
	n := 0
	for _, p := range c.fake.Projects() {
		n += p.Sessions
	}
	return n
}

// checkSessionBound refuses, with a 413 naming the bound and its flag,
// adding n sessions when they could bring the total past --max-stored-sessions.
// c.mu must be held.
func (c *controlAPI) checkSessionBound(n int) *controlError {
	held := c.heldSessions()
	if n > c.limits.maxSessions-held {
		return &controlError{status: http.StatusRequestEntityTooLarge,
			msg: fmt.Sprintf("adding %d sessions to the %d held would pass the bound of %d sessions (--max-stored-sessions)", n, held, c.limits.maxSessions)}
	}
	return nil
}

// projectData is one project and its sessions.
type projectData struct {
	arn      string
	sessions []devicefarm.TestGridSession
}

// controlEndpoints maps each control path to its handlers by method.
func (c *controlAPI) endpoints() map[string]map[string]func(http.ResponseWriter, *http.Request) *controlError {
	return map[string]map[string]func(http.ResponseWriter, *http.Request) *controlError{
		"/health":      {http.MethodGet: c.health},
		"/reset":       {http.MethodPost: c.reset},
		"/sessions":    {http.MethodGet: c.getSessions, http.MethodPost: c.addSessions},
		"/seed":        {http.MethodPost: c.seed},
		"/faults":      {http.MethodGet: c.getFaults, http.MethodPost: c.addFaults, http.MethodDelete: c.deleteFaults},
		"/requests":    {http.MethodGet: c.requests},
		"/latency":     {http.MethodPost: c.latency},
		"/end-session": {http.MethodPost: c.endSession},

		"/projects":     {http.MethodGet: c.getProjects, http.MethodPost: c.addProject},
		"/session-data": {http.MethodGet: c.getSessionData, http.MethodPost: c.addSessionData},
	}
}

// ServeHTTP routes a control request by path and method.
func (c *controlAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	eps := c.endpoints()
	byMethod, ok := eps[strings.TrimPrefix(r.URL.Path, controlPrefix)]
	if !ok {
		paths := make([]string, 0, len(eps))
		for p := range eps {
			paths = append(paths, controlPrefix+p)
		}
		slices.Sort(paths)
		writeControlError(w, &controlError{status: http.StatusNotFound,
			msg: "unknown control endpoint " + safetext.QuoteEcho(r.URL.Path) + "; the endpoints are " + strings.Join(paths, ", ")})
		return
	}
	handle, ok := byMethod[r.Method]
	if !ok {
		methods := make([]string, 0, len(byMethod))
		for m := range byMethod {
			methods = append(methods, m)
		}
		slices.Sort(methods)
		w.Header().Set("Allow", strings.Join(methods, ", "))
		writeControlError(w, &controlError{status: http.StatusMethodNotAllowed,
			msg: "method " + safetext.QuoteEcho(r.Method) + " is not allowed on " + r.URL.Path + "; use " + strings.Join(methods, " or ")})
		return
	}
	if e := checkJSONContentType(r); e != nil {
		writeControlError(w, e)
		return
	}
	if e := handle(w, r); e != nil {
		writeControlError(w, e)
	}
}

// projectJSON is a project and its number of sessions.
type projectJSON struct {
	Arn      string `json:"arn"`
	Sessions int    `json:"sessions"`
}

func (c *controlAPI) projects() []projectJSON {
	ps := c.fake.Projects()
	out := make([]projectJSON, len(ps))
	for i, p := range ps {
		out[i] = projectJSON{Arn: p.Arn, Sessions: p.Sessions}
	}
	return out
}

// health: GET, no body. The fake's state in short.
func (c *controlAPI) health(w http.ResponseWriter, _ *http.Request) *controlError {
	var grid *gridHealth
	if c.grid != nil {
		h := c.grid.health()
		grid = &h
	}
	writeJSON(w, http.StatusOK, struct {
		Status        string        `json:"status"`
		Projects      []projectJSON `json:"projects"`
		PendingFaults int           `json:"pendingFaults"`
		Requests      int           `json:"requests"`
		Grid          *gridHealth   `json:"grid,omitempty"`
	}{"ok", c.projects(), pendingCount(c.fake), c.fake.RequestCount(), grid})
	return nil
}

// reset: POST {"data":bool,"faults":bool,"requests":bool}; an empty body
// or {} resets all three. Data goes back to what the command line loaded.
func (c *controlAPI) reset(w http.ResponseWriter, r *http.Request) *controlError {
	var in struct {
		Data     *bool `json:"data"`
		Faults   *bool `json:"faults"`
		Requests *bool `json:"requests"`
	}
	if e := decodeControlBody(w, r, &in, true); e != nil {
		return e
	}
	all := in.Data == nil && in.Faults == nil && in.Requests == nil
	pick := func(b *bool) bool { return all || b != nil && *b }
	done := []string{}
	c.mu.Lock()
	defer c.mu.Unlock()
	if pick(in.Data) {
		_ = c.fake.Replace(c.initial.restore) // restored once at the start: cannot fail

		done = append(done, "data")
	}
	if pick(in.Faults) {
		c.fake.ClearFaults()
		done = append(done, "faults")
	}
	if pick(in.Requests) {
		c.fake.ResetRequests()
		done = append(done, "requests")
	}
	writeJSON(w, http.StatusOK, struct {
		Reset    []string      `json:"reset"`
		Projects []projectJSON `json:"projects"`
	}{done, c.projects()})
	return nil
}

// latency: POST {"latency":"250ms"}. The delay before every answer from
// now on; "0s" removes it.
func (c *controlAPI) latency(w http.ResponseWriter, r *http.Request) *controlError {
	var in struct {
		Latency *string `json:"latency"`
	}
	if e := decodeControlBody(w, r, &in, false); e != nil {
		return e
	}
	if in.Latency == nil {
		return badRequest("missing latency (a duration such as \"250ms\")")
	}
	d, err := time.ParseDuration(*in.Latency)
	if err != nil || d < 0 || d > maxFaultDelay {
		return badRequest("latency %s is not a duration from 0s to %s (such as \"250ms\")", safetext.QuoteEcho(*in.Latency), maxFaultDelay)
	}
	c.fake.SetLatency(d)
	writeJSON(w, http.StatusOK, struct {
		Latency string `json:"latency"`
	}{d.String()})
	return nil
}
