package serve

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/wiresession"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// The control API's session data: list, add and seed sessions.

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
