package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/wiresession"
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
	writeJSON(w, http.StatusOK, struct {
		Status        string        `json:"status"`
		Projects      []projectJSON `json:"projects"`
		PendingFaults int           `json:"pendingFaults"`
		Requests      int           `json:"requests"`
	}{"ok", c.projects(), pendingCount(c.fake), c.fake.RequestCount()})
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

// getSessions: GET ?projectArn=ARN. The project's sessions in listing
// order, in the service's wire shape: {"testGridSessions":[...]}.
func (c *controlAPI) getSessions(w http.ResponseWriter, r *http.Request) *controlError {
	arn := r.URL.Query().Get("projectArn")
	if arn == "" {
		return badRequest("missing query parameter projectArn")
	}
	sessions := c.fake.Sessions(arn)
	if _, ok := c.fake.Project(arn); !ok {
		return &controlError{status: http.StatusNotFound, msg: "project " + safetext.QuoteEcho(arn) + " is not registered"}
	}
	out := make([]json.RawMessage, len(sessions))
	for i := range sessions {
		out[i] = wiresession.JSON(&sessions[i])
	}
	writeJSON(w, http.StatusOK, struct {
		TestGridSessions []json.RawMessage `json:"testGridSessions"`
	}{out})
	return nil
}

// addSessions: POST {"projectArn":ARN,"testGridSessions":[...]}, sessions
// in the service's wire shape. projectArn is optional: each session's
// project comes from its ARN, and must match projectArn when that is given.
// With no sessions, projectArn is registered as an empty project.
func (c *controlAPI) addSessions(w http.ResponseWriter, r *http.Request) *controlError {
	var in struct {
		ProjectArn string `json:"projectArn"`
		// Each session is decoded by decodeSession, for errors per member.
		TestGridSessions []json.RawMessage `json:"testGridSessions"`
		// VisibleAt, when set, hides the sessions until then (AddSessionsVisibleAt).
		VisibleAt json.RawMessage `json:"visibleAt"`
	}
	if e := decodeControlBody(w, r, &in, false); e != nil {
		return e
	}
	visible, err := decodeTime(in.VisibleAt)
	if err != nil {
		return badRequest("visibleAt: %v", err)
	}
	if in.ProjectArn != "" {
		if err := cmdutil.CheckProjectArn(in.ProjectArn); err != nil {
			return badRequest("projectArn: %v", err)
		}
	} else if len(in.TestGridSessions) == 0 {
		return badRequest("give testGridSessions, or a projectArn to register an empty project")
	}
	byProject := map[string][]devicefarm.TestGridSession{}
	for i, raw := range in.TestGridSessions {
		s, err := decodeSession(raw, true)
		if err != nil {
			return badRequest("testGridSessions[%d]: %v", i, err)
		}
		p, _ := projectOfSession(s.Arn) // checked by decodeSession
		if in.ProjectArn != "" && p != in.ProjectArn {
			return badRequest("testGridSessions[%d]: arn %s does not belong to projectArn %s", i, safetext.QuoteEcho(s.Arn), safetext.QuoteEcho(in.ProjectArn))
		}
		byProject[p] = append(byProject[p], s)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.checkSessionBound(len(in.TestGridSessions)); e != nil {
		return e
	}
	if in.ProjectArn != "" {
		c.fake.AddProject(devicefarmtest.Project{Arn: in.ProjectArn})
	}
	for p, ss := range byProject {
		c.fake.AddSessionsVisibleAt(p, visible, ss...)
	}
	writeJSON(w, http.StatusOK, struct {
		Added    int           `json:"added"`
		Projects []projectJSON `json:"projects"`
	}{len(in.TestGridSessions), c.projects()})
	return nil
}

// seed: POST {"projectArn":ARN,"sessions":N,"seed":S}. Generates N
// sessions with devicefarmtest's generator at the server's epoch.
func (c *controlAPI) seed(w http.ResponseWriter, r *http.Request) *controlError {
	var in struct {
		ProjectArn string `json:"projectArn"`
		Sessions   *int   `json:"sessions"`
		Seed       int64  `json:"seed"`
	}
	if e := decodeControlBody(w, r, &in, false); e != nil {
		return e
	}
	if err := cmdutil.CheckProjectArn(in.ProjectArn); err != nil {
		return badRequest("projectArn: %v", err)
	}
	if in.Sessions == nil || *in.Sessions < 0 || *in.Sessions > maxSeedPerRequest {
		return badRequest("sessions must be a number from 0 to %d", maxSeedPerRequest)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.checkSessionBound(*in.Sessions); e != nil {
		return e
	}
	c.fake.AddProject(devicefarmtest.Project{Arn: in.ProjectArn})
	added := c.fake.Seed(in.ProjectArn, *in.Sessions, in.Seed)
	writeJSON(w, http.StatusOK, struct {
		ProjectArn string        `json:"projectArn"`
		Added      int           `json:"added"`
		Epoch      string        `json:"epoch"`
		Projects   []projectJSON `json:"projects"`
	}{in.ProjectArn, len(added), c.fake.Epoch().Format(time.RFC3339Nano), c.projects()})
	return nil
}

// requestJSON is a recorded request, without headers or body: nothing
// secret (the Authorization header, a session token) is ever sent.
type requestJSON struct {
	Time       string     `json:"time"`
	Method     string     `json:"method"`
	Path       string     `json:"path"`
	Target     string     `json:"target"`
	Status     int        `json:"status"`
	ErrorCode  string     `json:"errorCode,omitempty"`
	RequestID  string     `json:"requestId"`
	ProjectArn string     `json:"projectArn,omitempty"`
	Fault      *faultSpec `json:"fault,omitempty"`
	BodySize   int        `json:"bodySize"`
	HeaderSize int        `json:"headerSize"`
	Rejected   bool       `json:"rejected,omitempty"`
	Excerpt    string     `json:"excerpt,omitempty"`
}

// requests: GET [?limit=N]. The service requests received since the start
// or the last reset, oldest first: the last N (default and at most
// maxRequestsAnswer) of those the log keeps (--request-log,
// --request-log-mb), and "total", how many it keeps. status 0 means no
// response was sent (a dropped connection). A rejected request has
// "rejected", its sizes and a scrubbed excerpt of its body.
func (c *controlAPI) requests(w http.ResponseWriter, r *http.Request) *controlError {
	limit := maxRequestsAnswer
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxRequestsAnswer {
			return badRequest("limit %s is not a number from 0 to %d", safetext.QuoteEcho(v), maxRequestsAnswer)
		}
		limit = n
	}
	reqs := c.fake.LastRequests(limit)
	out := make([]requestJSON, len(reqs))
	for i, r := range reqs {
		out[i] = requestJSON{
			Time:       r.Time.UTC().Format(time.RFC3339Nano),
			Method:     safetext.EscapeControl(r.Method),
			Path:       safetext.EscapeControl(r.Path),
			Target:     safetext.EscapeControl(r.Target),
			Status:     r.StatusCode,
			ErrorCode:  safetext.EscapeControl(r.ErrorCode),
			RequestID:  r.RequestID,
			ProjectArn: safetext.EscapeControl(projectArnOf(r.Body)),
			BodySize:   r.BodySize,
			HeaderSize: r.HeaderSize,
			Rejected:   r.Rejected,
			Excerpt:    safetext.EscapeControl(r.Excerpt),
		}
		if r.Fault != nil {
			out[i].Fault = specOf(*r.Fault)
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Total    int           `json:"total"`
		Requests []requestJSON `json:"requests"`
	}{c.fake.RequestCount(), out})
	return nil
}

// projectArnOf returns the projectArn of a request body, or the project
// its sessionArn names, "" if it has neither.
func projectArnOf(body []byte) string {
	var in struct {
		ProjectArn string `json:"projectArn"`
		SessionArn string `json:"sessionArn"`
	}
	if json.Unmarshal(body, &in) != nil {
		return ""
	}
	if in.ProjectArn == "" {
		in.ProjectArn, _ = devicefarmtest.ProjectOfSession(in.SessionArn)
	}
	return in.ProjectArn
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
