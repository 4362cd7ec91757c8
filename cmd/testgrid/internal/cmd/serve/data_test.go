package serve

import (
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// TestControlAimedFaults arms faults aimed at a project and an operation,
// lists them (unfired ones included) and disarms one project's.
func TestControlAimedFaults(t *testing.T) {
	t.Parallel()
	st := newServeTest(t, "--project", testProject, "--sessions", "30", "--project", otherProject, "--sessions", "30")
	r := st.control(t, http.MethodPost, "/_testgrid/faults", `{"faults":[
		{"preset":"throttlingexception","operation":"listtestgridsessions","projectArn":"`+testProject+`","nth":2},
		{"preset":"NOTFOUND","operation":"DeviceFarm_20150623.GetTestGridProject","projectArn":"`+otherProject+`"}]}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	assert.Equal(t, 2.0, r.body["queued"])
	require.Len(t, r.body["faults"], 2)
	first := r.body["faults"].([]any)[0].(map[string]any)
	assert.Equal(t, map[string]any{"kind": "FaultError", "status": 400.0, "code": "ThrottlingException", "message": "Rate exceeded",
		"operation": "ListTestGridSessions", "projectArn": testProject, "nth": 2.0, "count": 1.0, "fired": 0.0, "pending": 1.0}, first)

	c := st.client(func(o *devicefarm.Options) { o.RetryMaxAttempts = 1 })
	in := &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject, MaxResult: 5}
	for range 3 {
		_, err := c.ListTestGridSessions(t.Context(), &devicefarm.ListTestGridSessionsInput{ProjectArn: otherProject})
		require.NoError(t, err, "another project")
	}
	_, err := c.ListTestGridSessions(t.Context(), in)
	require.NoError(t, err, "the first page")
	_, err = c.ListTestGridSessions(t.Context(), in)
	var ae interface{ ErrorCode() string }
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "ThrottlingException", ae.ErrorCode(), "the second")

	r = st.control(t, http.MethodGet, "/_testgrid/faults", "")
	assert.Equal(t, 1.0, r.body["pending"], "the unfired one is visible")
	r = st.control(t, http.MethodGet, "/_testgrid/faults?projectArn="+testProject, "")
	assert.Empty(t, r.body["faults"])
	r = st.control(t, http.MethodDelete, "/_testgrid/faults?projectArn="+otherProject, "")
	assert.Equal(t, 0.0, r.body["pending"])
	assert.Empty(t, st.fake.PendingFaults())

	for _, tc := range []struct{ body, msg string }{
		{`{"faults":[{"preset":"NotFound","operation":"ListProjects"}]}`, `faults[0]: unknown operation "ListProjects"`},
		{`{"faults":[{"preset":"NotFound","projectArn":"arn:aws:s3:::x"}]}`, "faults[0]: projectArn:"},
		{`{"faults":[{"preset":"NotFound","nth":-1}]}`, "nth -1 is out of range"},
	} {
		r := st.control(t, http.MethodPost, "/_testgrid/faults", tc.body)
		assert.Equal(t, http.StatusBadRequest, r.status, tc.body)
		assert.Contains(t, r.body["error"], tc.msg)
	}
	assert.Empty(t, st.fake.PendingFaults(), "nothing armed by a bad request")
}

// TestControlProjectsAndSessionData adds a project and a session's actions
// and artifacts through the control API, and reads them back.
func TestControlProjectsAndSessionData(t *testing.T) {
	t.Parallel()
	st := newServeTest(t, "--project", testProject, "--sessions", "2")
	r := st.control(t, http.MethodPost, "/_testgrid/projects", `{"arn":"`+otherProject+`","name":"web","description":"d","created":"2025-01-02T03:04:05Z"}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	p, ok := st.fake.Project(otherProject)
	require.True(t, ok)
	assert.Equal(t, "web", p.Name)
	assert.Equal(t, "2025-01-02T03:04:05Z", r.body["testGridProject"].(map[string]any)["created"])
	r = st.control(t, http.MethodGet, "/_testgrid/projects", "")
	assert.Len(t, r.body["testGridProjects"], 2)

	session := st.fake.Sessions(testProject)[0].Arn
	r = st.control(t, http.MethodPost, "/_testgrid/session-data", `{"sessionArn":"`+session+`",
		"actions":[{"action":"POST /session/1/url","started":1741435201.5,"duration":350,"statusCode":"200","requestMethod":"POST"}],
		"artifacts":[{"filename":"selenium.log","type":"SELENIUM_LOG","contentType":"text/plain","text":"log\n"},
		             {"filename":"v.mp4","type":"VIDEO","base64":"`+base64.StdEncoding.EncodeToString([]byte{0, 1, 2})+`"}]}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	assert.Equal(t, map[string]any{"actions": 1.0, "artifacts": 2.0}, r.body)
	arts := st.fake.Artifacts(session)
	require.Len(t, arts, 2)
	assert.Equal(t, []byte("log\n"), arts[0].Data)
	assert.Equal(t, []byte{0, 1, 2}, arts[1].Data)
	r = st.control(t, http.MethodGet, "/_testgrid/session-data?sessionArn="+session, "")
	assert.Equal(t, "2025-03-08T12:00:01.5Z", r.body["actions"].([]any)[0].(map[string]any)["started"])
	assert.Equal(t, 4.0, r.body["artifacts"].([]any)[0].(map[string]any)["size"])

	for _, tc := range []struct {
		body   string
		status int
		msg    string
	}{
		{`{"sessionArn":"` + sessionArnOf(testProject, "nope") + `","actions":[]}`, 404, "is not loaded"},
		{`{"sessionArn":"` + session + `","artifacts":[{"filename":"x","type":"LOG"}]}`, 400, `"LOG" is not UNKNOWN`},
		{`{"sessionArn":"` + session + `","artifacts":[{"filename":"x","text":"a","base64":"YQ=="}]}`, 400, "not both"},
		{`{"sessionArn":"` + session + `","actions":[{"started":"soon"}]}`, 400, "actions[0].started"},
		{`{"actions":[]}`, 400, "sessionArn: missing"},
		{`{"sessionArn":"` + session + `","artifacts":[{"filename":"x","contentType":"text/plain\r\nX: y"}]}`, 400, "is not a media type"},
	} {
		r := st.control(t, http.MethodPost, "/_testgrid/session-data", tc.body)
		assert.Equal(t, tc.status, r.status, tc.body)
		assert.Contains(t, r.body["error"], tc.msg)
	}
	assert.Len(t, st.fake.Actions(session), 1, "nothing added by a bad request")
}

// TestServeLoadProjectsAndSessionData loads a document with projects and
// session data, and a reset restores them.
func TestServeLoadProjectsAndSessionData(t *testing.T) {
	t.Parallel()
	session := sessionArnOf(testProject, "s1")
	doc := `{"projects":[{"arn":"` + testProject + `","name":"web"}],
		"testGridSessions":[{"arn":"` + session + `","status":"CLOSED","created":1741435200,"ended":1741435261,"billingMinutes":1.02}],
		"sessionData":[{"sessionArn":"` + session + `","actions":[{"action":"GET /title","duration":5}],
		                "artifacts":[{"filename":"selenium.log","type":"SELENIUM_LOG","text":"x"}]}]}`
	file := filepath.Join(t.TempDir(), "data.json")
	require.NoError(t, os.WriteFile(file, []byte(doc), 0o600))
	st := newServeTest(t, "--load", file)
	check := func() {
		p, ok := st.fake.Project(testProject)
		require.True(t, ok)
		assert.Equal(t, "web", p.Name)
		assert.Equal(t, 1, p.Sessions)
		assert.Equal(t, []devicefarmtest.Action{{Action: "GET /title", Duration: 5_000_000}}, st.fake.Actions(session))
		assert.Len(t, st.fake.Artifacts(session), 1)
	}
	check()
	st.fake.ClearProjects()
	st.control(t, http.MethodPost, "/_testgrid/reset", `{"data":true}`)
	check()

	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"sessionData":[{"sessionArn":"`+session+`"}]}`), 0o600))
	o, err := NewOptions([]string{"--load", bad}, testNow)
	require.NoError(t, err)
	_, _, err = newServeFake(o)
	require.ErrorContains(t, err, "is not loaded")
	require.NoError(t, os.WriteFile(bad, []byte(`{"projects":[{"name":5}]}`), 0o600))
	_, err = loadSessionsFile(bad)
	require.ErrorContains(t, err, "projects[0]")
}
