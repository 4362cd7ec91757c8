package devicefarmtest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// TestProjectLifecycle creates, gets, lists, updates and deletes projects
// through the wire, as a suite would.
func TestProjectLifecycle(t *testing.T) {
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	s := newServer(t, fixedClock(now))

	out := callJSON(t, s, "CreateTestGridProject", `{"name":"web","description":"the web suite","vpcConfig":{"securityGroupIds":["sg-1"],"subnetIds":["subnet-1","subnet-2"],"vpcId":"vpc-1"}}`)
	p := out["testGridProject"].(map[string]any)
	arn := p["arn"].(string)
	assert.Regexp(t, `^arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:[0-9a-f-]{36}$`, arn)
	assert.Equal(t, "web", p["name"])
	assert.Equal(t, "the web suite", p["description"])
	assert.Equal(t, float64(now.Unix()), p["created"])
	assert.Equal(t, map[string]any{"securityGroupIds": []any{"sg-1"}, "subnetIds": []any{"subnet-1", "subnet-2"}, "vpcId": "vpc-1"}, p["vpcConfig"])

	got := callJSON(t, s, "GetTestGridProject", `{"projectArn":"`+arn+`"}`)
	assert.Equal(t, out, got)

	upd := callJSON(t, s, "UpdateTestGridProject", `{"projectArn":"`+arn+`","name":"web 2"}`)
	assert.Equal(t, "web 2", upd["testGridProject"].(map[string]any)["name"])
	assert.Equal(t, "the web suite", upd["testGridProject"].(map[string]any)["description"], "members not given are kept")
	stored, ok := s.Project(arn)
	require.True(t, ok)
	assert.Equal(t, "web 2", stored.Name)

	// Sessions belong to the project; one ACTIVE session blocks deletion.
	s.AddSessions(arn, session("a", active, now.Add(-time.Minute), time.Time{}))
	r := callOp(t, s, "DeleteTestGridProject", `{"projectArn":"`+arn+`"}`)
	requireError(t, r, http.StatusBadRequest, "CannotDeleteException", "active session")
	s.AddSessions(arn, session("a", closed, now.Add(-time.Minute), now))
	assert.Equal(t, map[string]any{}, callJSON(t, s, "DeleteTestGridProject", `{"projectArn":"`+arn+`"}`))
	for _, op := range []string{"GetTestGridProject", "DeleteTestGridProject", "ListTestGridSessions"} {
		requireError(t, callOp(t, s, op, `{"projectArn":"`+arn+`"}`), http.StatusBadRequest, "NotFoundException", arn)
	}
	requireError(t, callOp(t, s, "UpdateTestGridProject", `{"projectArn":"`+arn+`","name":"x"}`), http.StatusBadRequest, "NotFoundException")
	assert.Nil(t, s.Sessions(arn), "its sessions went with it")
}

// TestProjectValidation checks the model's constraints on project input.
func TestProjectValidation(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		op, body string
		msgs     []string
	}{
		{"CreateTestGridProject", `{}`, []string{"Value null at 'name'"}},
		{"CreateTestGridProject", `{"name":"  "}`, []string{"at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*"}},
		{"CreateTestGridProject", `{"name":"` + strings.Repeat("n", 65) + `"}`, []string{"length less than or equal to 64"}},
		{"CreateTestGridProject", `{"name":"a","description":""}`, []string{"at 'description'", "greater than or equal to 1"}},
		{"CreateTestGridProject", `{"name":"a","vpcConfig":{"securityGroupIds":[],"vpcId":"v"}}`, []string{"2 validation errors", "'vpcConfig.securityGroupIds'", "Value null at 'vpcConfig.subnetIds'"}},
		{"CreateTestGridProject", `{"name":"a","vpcConfig":{"securityGroupIds":["1","2","3","4","5","6"],"subnetIds":["s"],"vpcId":"v"}}`, []string{"less than or equal to 5"}},
		{"UpdateTestGridProject", `{"name":"a"}`, []string{"Value null at 'projectArn'"}},
		{"GetTestGridProject", `{"projectArn":"arn:aws:s3:::bucket"}`, []string{"2 validation errors", "length greater than or equal to 32", "pattern: ^arn:aws:devicefarm:.+"}},
		{"ListTestGridProjects", `{"maxResult":0,"nextToken":"x"}`, []string{"2 validation errors", "'maxResult'", "'nextToken'"}},
	} {
		requireError(t, callOp(t, s, tc.op, tc.body), http.StatusBadRequest, devicefarm.CodeArgumentException, tc.msgs...)
	}
	requireError(t, callOp(t, s, "CreateTestGridProject", `{"name":5}`), http.StatusBadRequest, "SerializationException", "'name'")
	requireError(t, callOp(t, s, "CreateTestGridProject", `{"name":"a","vpcConfig":[]}`), http.StatusBadRequest, "SerializationException", "'vpcConfig'")
	assert.Empty(t, s.Projects(), "nothing created")
}

// TestListTestGridProjectsPaging pages through projects in Created order,
// with tokens bound to the operation.
func TestListTestGridProjectsPaging(t *testing.T) {
	s := newServer(t)
	var want []string
	for i := range 7 {
		p := s.AddProject(devicefarmtest.Project{Name: fmt.Sprint("p", i), Created: epoch.Add(time.Duration(7-i) * time.Hour)})
		want = append([]string{p.Arn}, want...)
	}
	got := walkOp(t, s, "ListTestGridProjects", `"maxResult":3`, "testGridProjects", "arn")
	assert.Equal(t, want, got)

	// A projects token does not page sessions.
	out := callJSON(t, s, "ListTestGridProjects", `{"maxResult":1}`)
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	r := call(t, s, `{"projectArn":"`+projectArn+`","nextToken":"`+out["nextToken"].(string)+`"}`)
	requireError(t, r, http.StatusBadRequest, devicefarm.CodeArgumentException, "Invalid nextToken")
	assert.Equal(t, `{"testGridProjects":[]}`, string(callOp(t, newServer(t), "ListTestGridProjects", ``).Body))
}

// TestCreateTestGridURL checks the URL, its expiry and what it answers.
func TestCreateTestGridURL(t *testing.T) {
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := now
	s := newServer(t, func(o *devicefarmtest.Options) { o.Now = func() time.Time { return clock } })
	s.AddProject(devicefarmtest.Project{Arn: projectArn})

	out := callJSON(t, s, "CreateTestGridUrl", `{"projectArn":"`+projectArn+`","expiresInSeconds":300}`)
	u := out["url"].(string)
	assert.Regexp(t, `^`+s.URL+`/_grid/[A-Za-z0-9_-]{43}$`, u)
	assert.Equal(t, float64(now.Add(300*time.Second).Unix()), out["expires"])
	other := callJSON(t, s, "CreateTestGridUrl", `{"projectArn":"`+projectArn+`","expiresInSeconds":60}`)
	assert.NotEqual(t, u, other["url"], "a new token each time")

	get := func(u string) (int, string) {
		resp, err := httpClient(t).Post(u+"/session", "application/json", strings.NewReader(`{"capabilities":{}}`))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}
	status, body := get(u)
	assert.Equal(t, http.StatusInternalServerError, status, "the grid is off without Options.WebDriverURL")
	assert.Contains(t, body, `"error":"session not created"`)
	assert.Contains(t, body, "WebDriverURL")
	_, body = get(s.URL + "/_grid/forged")
	assert.Contains(t, body, "unknown or has expired")
	clock = now.Add(301 * time.Second)
	_, body = get(u)
	assert.Contains(t, body, "unknown or has expired")

	requireError(t, callOp(t, s, "CreateTestGridUrl", `{"projectArn":"`+projectArn+`","expiresInSeconds":59}`), http.StatusBadRequest, devicefarm.CodeArgumentException, "'expiresInSeconds'", "greater than or equal to 60")
	requireError(t, callOp(t, s, "CreateTestGridUrl", `{"projectArn":"`+projectArn+`","expiresInSeconds":86401}`), http.StatusBadRequest, devicefarm.CodeArgumentException, "less than or equal to 86400")
	requireError(t, callOp(t, s, "CreateTestGridUrl", `{"projectArn":"`+projectArn+`"}`), http.StatusBadRequest, devicefarm.CodeArgumentException, "Value null at 'expiresInSeconds'")
	requireError(t, callOp(t, s, "CreateTestGridUrl", `{"projectArn":"`+projectArn2+`","expiresInSeconds":60}`), http.StatusBadRequest, devicefarm.CodeNotFoundException)
}

// TestGetTestGridSession looks a session up both ways the model allows.
func TestGetTestGridSession(t *testing.T) {
	s := newServer(t)
	ss := s.Seed(projectArn, 3, 1)[1]
	id := ss.Arn[strings.LastIndex(ss.Arn, "/")+1:]
	byArn := callJSON(t, s, "GetTestGridSession", `{"sessionArn":"`+ss.Arn+`"}`)
	byID := callJSON(t, s, "GetTestGridSession", `{"projectArn":"`+projectArn+`","sessionId":"`+id+`"}`)
	assert.Equal(t, byArn, byID)
	got := byArn["testGridSession"].(map[string]any)
	assert.Equal(t, ss.Arn, got["arn"])
	assert.Equal(t, string(ss.Status), got["status"])

	missing := strings.Replace(ss.Arn, id, "00000000-0000-4000-8000-000000000000", 1)
	requireError(t, callOp(t, s, "GetTestGridSession", `{"sessionArn":"`+missing+`"}`), http.StatusBadRequest, devicefarm.CodeNotFoundException, missing)
	requireError(t, callOp(t, s, "GetTestGridSession", `{"projectArn":"`+projectArn+`","sessionId":"nope"}`), http.StatusBadRequest, devicefarm.CodeNotFoundException, "nope")
	requireError(t, callOp(t, s, "GetTestGridSession", `{"projectArn":"`+projectArn2+`","sessionId":"`+id+`"}`), http.StatusBadRequest, devicefarm.CodeNotFoundException, projectArn2)
	requireError(t, callOp(t, s, "GetTestGridSession", `{"sessionArn":"`+ss.Arn+`","projectArn":"`+projectArn2+`"}`), http.StatusBadRequest, devicefarm.CodeNotFoundException)
	requireError(t, callOp(t, s, "GetTestGridSession", `{"projectArn":"`+projectArn+`"}`), http.StatusBadRequest, devicefarm.CodeArgumentException, "Give sessionArn, or projectArn and sessionId")
}

// TestSessionActionsAndArtifacts adds actions and artifacts, pages them,
// filters artifacts by type and downloads one from its URL.
func TestSessionActionsAndArtifacts(t *testing.T) {
	s := newServer(t)
	ss := s.Seed(projectArn, 1, 1)[0]
	require.ErrorIs(t, s.AddActions(ss.Arn+"x", devicefarmtest.Action{}), devicefarmtest.ErrNoSession)
	var actions []devicefarmtest.Action
	for i := range 5 {
		actions = append(actions, devicefarmtest.Action{
			Action: fmt.Sprintf("POST /session/1/element/%d/click", i), Started: epoch.Add(time.Duration(i) * time.Second),
			Duration: time.Duration(i)*time.Millisecond + 300*time.Microsecond, StatusCode: "200", RequestMethod: "POST",
		})
	}
	require.NoError(t, s.AddActions(ss.Arn, actions...))
	assert.Len(t, s.Actions(ss.Arn), 5)
	assert.Equal(t, 2*time.Millisecond, s.Actions(ss.Arn)[2].Duration, "truncated to the millisecond")

	assert.Equal(t, []string{"200", "200", "200", "200", "200"}, walkOp(t, s, "ListTestGridSessionActions", `"sessionArn":"`+ss.Arn+`","maxResult":2`, "actions", "statusCode"))
	got := callJSON(t, s, "ListTestGridSessionActions", `{"sessionArn":"`+ss.Arn+`"}`)["actions"].([]any)
	require.Len(t, got, 5)
	assert.Equal(t, map[string]any{"action": "POST /session/1/element/3/click", "started": float64(epoch.Unix() + 3), "duration": float64(3), "statusCode": "200", "requestMethod": "POST"}, got[3])

	require.NoError(t, s.AddArtifacts(ss.Arn,
		devicefarmtest.Artifact{Filename: "selenium log.txt", Type: devicefarmtest.ArtifactSeleniumLog, ContentType: "text/plain", Data: []byte("log line\n")},
		devicefarmtest.Artifact{Filename: "video.mp4", Type: devicefarmtest.ArtifactVideo, Data: []byte{0, 1, 2}},
		devicefarmtest.Artifact{Filename: "other"},
	))
	all := callJSON(t, s, "ListTestGridSessionArtifacts", `{"sessionArn":"`+ss.Arn+`"}`)["artifacts"].([]any)
	require.Len(t, all, 3)
	assert.Equal(t, "UNKNOWN", all[2].(map[string]any)["type"])
	logs := callJSON(t, s, "ListTestGridSessionArtifacts", `{"sessionArn":"`+ss.Arn+`","type":"LOG"}`)["artifacts"].([]any)
	require.Len(t, logs, 1)
	art := logs[0].(map[string]any)
	assert.Equal(t, "selenium log.txt", art["filename"])
	assert.Equal(t, "SELENIUM_LOG", art["type"])
	assert.Regexp(t, `^`+s.URL+`/_artifacts/[0-9a-f]{32}/selenium%20log.txt$`, art["url"])
	resp, err := httpClient(t).Get(art["url"].(string))
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, "log line\n", string(b))
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
	assert.Equal(t, "sandbox", resp.Header.Get("Content-Security-Policy"))
	videos := callJSON(t, s, "ListTestGridSessionArtifacts", `{"sessionArn":"`+ss.Arn+`","type":"VIDEO"}`)["artifacts"].([]any)
	assert.Len(t, videos, 1)

	resp, err = httpClient(t).Get(s.URL + "/_artifacts/00000000000000000000000000000000/x")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	requireError(t, callOp(t, s, "ListTestGridSessionArtifacts", `{"sessionArn":"`+ss.Arn+`","type":"SELENIUM_LOG"}`), http.StatusBadRequest, devicefarm.CodeArgumentException, "enum value set: [VIDEO, LOG]")
	requireError(t, callOp(t, s, "ListTestGridSessionActions", `{}`), http.StatusBadRequest, devicefarm.CodeArgumentException, "Value null at 'sessionArn'")
	requireError(t, callOp(t, s, "ListTestGridSessionActions", `{"sessionArn":"`+ss.Arn+`x"}`), http.StatusBadRequest, devicefarm.CodeNotFoundException)
	tok := callJSON(t, s, "ListTestGridSessionActions", `{"sessionArn":"`+ss.Arn+`","maxResult":1}`)["nextToken"].(string)
	requireError(t, callOp(t, s, "ListTestGridSessionArtifacts", `{"sessionArn":"`+ss.Arn+`","nextToken":"`+tok+`"}`), http.StatusBadRequest, devicefarm.CodeArgumentException, "another operation")

	// Deleting the project takes the artifacts' URLs with it.
	s.DeleteProject(projectArn)
	resp, err = httpClient(t).Get(art["url"].(string))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// TestUnknownOperationNamesServed checks that an operation outside the
// test grid is refused with the list of those served.
func TestUnknownOperationNamesServed(t *testing.T) {
	s := newServer(t)
	r := callOp(t, s, "ListProjects", `{}`)
	requireError(t, r, http.StatusBadRequest, "UnknownOperationException", "ListProjects", "CreateTestGridProject", "ListTestGridSessionArtifacts")
	assert.Len(t, devicefarmtest.OperationNames(), 10)
	for _, n := range []string{"listtestgridsessions", "DeviceFarm_20150623.ListTestGridSessions", "devicefarm_20150623.LISTTESTGRIDSESSIONS"} {
		op, ok := devicefarmtest.CanonicalOperation(n)
		assert.True(t, ok, n)
		assert.Equal(t, "ListTestGridSessions", op)
	}
	_, ok := devicefarmtest.CanonicalOperation("ListProjects")
	assert.False(t, ok)
}
