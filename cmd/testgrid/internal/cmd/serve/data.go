package serve

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// This file holds the JSON of the data serve loads besides sessions:
// projects, and the actions and artifacts of sessions, as --load files and
// the control API (/_testgrid/projects, /_testgrid/session-data) give
// them. Times are epoch seconds or RFC 3339 strings, as for sessions.

// Limits of the data a control request or --load file gives.
const (
	maxProjectName        = 64   // the model's ResourceName
	maxProjectDescription = 2048 // the model's ResourceDescription
	maxArtifactBytes      = 32 << 20
)

// projectSpec is a project: the service's TestGridProject shape, its
// arn optional when adding one (a random one is made).
type projectSpec struct {
	Arn         string          `json:"arn"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	VpcConfig   *vpcConfigSpec  `json:"vpcConfig"`
	Created     json.RawMessage `json:"created"`
}

type vpcConfigSpec struct {
	SecurityGroupIds []string `json:"securityGroupIds"`
	SubnetIds        []string `json:"subnetIds"`
	VpcId            string   `json:"vpcId"`
}

// project validates p and returns the project to add.
func (p *projectSpec) project() (devicefarmtest.Project, error) {
	out := devicefarmtest.Project{Arn: p.Arn, Name: p.Name, Description: p.Description}
	if p.Arn != "" {
		if err := cmdutil.CheckProjectArn(p.Arn); err != nil {
			return out, fmt.Errorf("arn: %w", err)
		}
	}
	if utf8.RuneCountInString(p.Name) > maxProjectName || !utf8.ValidString(p.Name) {
		return out, fmt.Errorf("name must be valid UTF-8 of at most %d characters", maxProjectName)
	}
	if utf8.RuneCountInString(p.Description) > maxProjectDescription || !utf8.ValidString(p.Description) {
		return out, fmt.Errorf("description must be valid UTF-8 of at most %d characters", maxProjectDescription)
	}
	if v := p.VpcConfig; v != nil {
		out.VpcConfig = &devicefarmtest.VpcConfig{SecurityGroupIds: v.SecurityGroupIds, SubnetIds: v.SubnetIds, VpcId: v.VpcId}
	}
	var err error
	if out.Created, err = decodeTime(p.Created); err != nil {
		return out, fmt.Errorf("created: %w", err)
	}
	return out, nil
}

// projectAnswer is a project as the control API returns it.
type projectAnswer struct {
	Arn         string         `json:"arn"`
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	VpcConfig   *vpcConfigSpec `json:"vpcConfig,omitempty"`
	Created     string         `json:"created"`
	Sessions    int            `json:"sessions"`
}

func answerProject(p devicefarmtest.Project) projectAnswer {
	a := projectAnswer{Arn: p.Arn, Name: p.Name, Description: p.Description, Created: p.Created.Format(time.RFC3339Nano), Sessions: p.Sessions}
	if v := p.VpcConfig; v != nil {
		a.VpcConfig = &vpcConfigSpec{SecurityGroupIds: v.SecurityGroupIds, SubnetIds: v.SubnetIds, VpcId: v.VpcId}
	}
	return a
}

// sessionDataSpec is the actions and artifacts of one session.
type sessionDataSpec struct {
	SessionArn string         `json:"sessionArn"`
	Actions    []actionSpec   `json:"actions"`
	Artifacts  []artifactSpec `json:"artifacts"`
}

// actionSpec is a TestGridSessionAction in the service's shape (duration
// in milliseconds).
type actionSpec struct {
	Action        string          `json:"action"`
	Started       json.RawMessage `json:"started"`
	Duration      int64           `json:"duration"`
	StatusCode    string          `json:"statusCode"`
	RequestMethod string          `json:"requestMethod"`
}

// artifactSpec is an artifact: the service's filename and type, the
// Content-Type the fake serves it with, and its content as text or base64
// (one of them).
type artifactSpec struct {
	Filename    string  `json:"filename"`
	Type        string  `json:"type"`
	ContentType string  `json:"contentType"`
	Text        *string `json:"text"`
	Base64      *string `json:"base64"`
}

// sessionData is what a sessionDataSpec adds to the fake.
type sessionData struct {
	sessionArn string
	actions    []devicefarmtest.Action
	artifacts  []devicefarmtest.Artifact
}

// data validates d and returns what it adds.
func (d *sessionDataSpec) data() (sessionData, error) {
	out := sessionData{sessionArn: d.SessionArn}
	if d.SessionArn == "" {
		return out, errors.New("sessionArn: missing")
	}
	if _, err := projectOfSession(d.SessionArn); err != nil {
		return out, fmt.Errorf("sessionArn: %w", err)
	}
	for i, a := range d.Actions {
		started, err := decodeTime(a.Started)
		if err != nil {
			return out, fmt.Errorf("actions[%d].started: %w", i, err)
		}
		if a.Duration < 0 || a.Duration > int64(time.Duration(1<<62).Milliseconds()) {
			return out, fmt.Errorf("actions[%d].duration: %d is not a number of milliseconds", i, a.Duration)
		}
		out.actions = append(out.actions, devicefarmtest.Action{Action: a.Action, Started: started,
			Duration: time.Duration(a.Duration) * time.Millisecond, StatusCode: a.StatusCode, RequestMethod: a.RequestMethod})
	}
	for i, a := range d.Artifacts {
		art := devicefarmtest.Artifact{Filename: a.Filename, Type: devicefarmtest.ArtifactType(a.Type), ContentType: a.ContentType}
		switch art.Type {
		case "", devicefarmtest.ArtifactUnknown, devicefarmtest.ArtifactVideo, devicefarmtest.ArtifactSeleniumLog:
		default:
			return out, fmt.Errorf("artifacts[%d].type: %s is not UNKNOWN, VIDEO or SELENIUM_LOG", i, safetext.QuoteEcho(a.Type))
		}
		if a.Filename == "" {
			return out, fmt.Errorf("artifacts[%d].filename: missing", i)
		}
		if a.ContentType != "" {
			if _, _, err := mime.ParseMediaType(a.ContentType); err != nil {
				return out, fmt.Errorf("artifacts[%d].contentType: %s is not a media type", i, safetext.QuoteEcho(a.ContentType))
			}
		}
		switch {
		case a.Text != nil && a.Base64 != nil:
			return out, fmt.Errorf("artifacts[%d]: give text or base64, not both", i)
		case a.Text != nil:
			art.Data = []byte(*a.Text)
		case a.Base64 != nil:
			b, err := base64.StdEncoding.DecodeString(*a.Base64)
			if err != nil {
				return out, fmt.Errorf("artifacts[%d].base64: not standard base64", i)
			}
			art.Data = b
		}
		if len(art.Data) > maxArtifactBytes {
			return out, fmt.Errorf("artifacts[%d]: over %d bytes", i, maxArtifactBytes)
		}
		out.artifacts = append(out.artifacts, art)
	}
	return out, nil
}

// add adds d to the fake; the session must be there.
func (d *sessionData) add(fake *devicefarmtest.Server) error {
	if err := fake.AddActions(d.sessionArn, d.actions...); err != nil {
		return fmt.Errorf("session %s is not loaded", safetext.QuoteEcho(d.sessionArn))
	}
	return fake.AddArtifacts(d.sessionArn, d.artifacts...)
}

// getProjects: GET. Every project, in ListTestGridProjects order.
func (c *controlAPI) getProjects(w http.ResponseWriter, _ *http.Request) *controlError {
	out := []projectAnswer{}
	for _, p := range c.fake.Projects() {
		out = append(out, answerProject(p))
	}
	writeJSON(w, http.StatusOK, struct {
		Projects []projectAnswer `json:"testGridProjects"`
	}{out})
	return nil
}

// addProject: POST a project (arn optional). Adds it, or changes the
// given members of an existing one.
func (c *controlAPI) addProject(w http.ResponseWriter, r *http.Request) *controlError {
	var in projectSpec
	if e := decodeControlBody(w, r, &in, false); e != nil {
		return e
	}
	p, err := in.project()
	if err != nil {
		return badRequest("%v", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	writeJSON(w, http.StatusOK, struct {
		Project projectAnswer `json:"testGridProject"`
	}{answerProject(c.fake.AddProject(p))})
	return nil
}

// getSessionData: GET ?sessionArn=ARN. The session's actions, and its
// artifacts without their content (fetch it from the url that
// ListTestGridSessionArtifacts returns).
func (c *controlAPI) getSessionData(w http.ResponseWriter, r *http.Request) *controlError {
	arn := r.URL.Query().Get("sessionArn")
	if arn == "" {
		return badRequest("missing query parameter sessionArn")
	}
	type artifactAnswer struct {
		Filename    string `json:"filename"`
		Type        string `json:"type"`
		ContentType string `json:"contentType"`
		Size        int    `json:"size"`
	}
	type actionAnswer struct {
		Action        string `json:"action"`
		Started       string `json:"started,omitempty"`
		Duration      int64  `json:"duration"`
		StatusCode    string `json:"statusCode,omitempty"`
		RequestMethod string `json:"requestMethod,omitempty"`
	}
	actions, artifacts := []actionAnswer{}, []artifactAnswer{}
	for _, a := range c.fake.Actions(arn) {
		aa := actionAnswer{Action: a.Action, Duration: a.Duration.Milliseconds(), StatusCode: a.StatusCode, RequestMethod: a.RequestMethod}
		if !a.Started.IsZero() {
			aa.Started = a.Started.Format(time.RFC3339Nano)
		}
		actions = append(actions, aa)
	}
	for _, a := range c.fake.Artifacts(arn) {
		artifacts = append(artifacts, artifactAnswer{a.Filename, string(a.Type), a.ContentType, len(a.Data)})
	}
	writeJSON(w, http.StatusOK, struct {
		SessionArn string           `json:"sessionArn"`
		Actions    []actionAnswer   `json:"actions"`
		Artifacts  []artifactAnswer `json:"artifacts"`
	}{arn, actions, artifacts})
	return nil
}

// addSessionData: POST {"sessionArn":ARN,"actions":[...],"artifacts":[...]}.
// Appends them to a session already loaded.
func (c *controlAPI) addSessionData(w http.ResponseWriter, r *http.Request) *controlError {
	var in sessionDataSpec
	if e := decodeControlBody(w, r, &in, false); e != nil {
		return e
	}
	d, err := in.data()
	if err != nil {
		return badRequest("%v", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := d.add(c.fake); err != nil {
		return &controlError{status: http.StatusNotFound, msg: err.Error()}
	}
	writeJSON(w, http.StatusOK, struct {
		Actions   int `json:"actions"`
		Artifacts int `json:"artifacts"`
	}{len(c.fake.Actions(d.sessionArn)), len(c.fake.Artifacts(d.sessionArn))})
	return nil
}
