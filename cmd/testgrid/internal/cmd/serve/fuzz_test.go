package serve

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// fuzzMethods are the methods FuzzControlRequest sends (method % len).
var fuzzMethods = []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPut}

// FuzzControlRequest sends arbitrary control requests (method, path under
// /_testgrid/, body) to serve's handler and checks that every answer is a
// well-formed JSON object with a status the API documents, that a refused
// request changes nothing, and that nothing panics.
func FuzzControlRequest(f *testing.F) {
	const project = "arn:aws:devicefarm:us-west-2:111122223333:testgrid-project:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	session := `{"arn":"arn:aws:devicefarm:us-west-2:111122223333:testgrid-session:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/s1",` +
		`"status":"CLOSED","created":1741435200.123,"ended":1741435261,"billingMinutes":1.02,"seleniumProperties":"{\"browserName\":\"chrome\"}"}`
	for _, seed := range []struct {
		method uint8
		path   string
		body   string
	}{
		{0, "health", ""},
		{1, "reset", ""},
		{1, "reset", `{"data":true,"faults":false}`},
		{1, "faults", `{"faults":[{"preset":"Throttling","count":2},{"kind":"FaultHang","delay":"1s"}]}`},
		{1, "faults", `{"faults":[{"kind":"FaultError","status":400,"code":"NotFoundException","message":"gone"}]}`},
		{1, "faults", `{"faults":[{"kind":"FaultOversizedBody","size":100}]}`},
		{1, "faults", `{"faults":[{"kind":"hang"}]}`},
		{1, "faults", `{"faults":[{"preset":"Throttling","count":"x"}]}`},
		{1, "faults", `{"faults":[`},
		{0, "faults", ""},
		{1, "faults", `{"faults":[{"preset":"notfound","operation":"GetTestGridProject","projectArn":"` + project + `","nth":2,"count":3}]}`},
		{1, "faults", `{"faults":[{"preset":"Argument","operation":"ListProjects"}]}`},
		{2, "faults?projectArn=" + url.QueryEscape(project), ""},
		{0, "faults?projectArn=x", ""},
		{0, "projects", ""},
		{1, "projects", `{"name":"web","description":"d","created":"2025-01-01T00:00:00Z","vpcConfig":{"securityGroupIds":["s"],"subnetIds":["n"],"vpcId":"v"}}`},
		{1, "projects", `{"arn":"arn:aws:s3:::x"}`},
		{1, "session-data", `{"sessionArn":"arn:aws:devicefarm:us-west-2:111122223333:testgrid-session:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/s1","actions":[{"action":"a","started":1,"duration":2}],"artifacts":[{"filename":"f","type":"VIDEO","base64":"AAEC"}]}`},
		{0, "session-data?sessionArn=x", ""},
		{1, "sessions", `{"testGridSessions":[` + session + `]}`},
		{1, "sessions", `{"projectArn":"` + project + `","testGridSessions":[]}`},
		{1, "sessions", `{"testGridSessions":[{"arn":"x","created":1e999999999}]}`},
		{0, "sessions?projectArn=" + url.QueryEscape(project), ""},
		{1, "seed", `{"projectArn":"` + project + `","sessions":5,"seed":7}`},
		{1, "seed", `{"projectArn":"` + project + `","sessions":-5}`},
		{0, "requests", ""},
		{1, "latency", `{"latency":"1ms"}`},
		{2, "faults", ""},
		{0, "nope\x00\n", ""},
		{1, "reset", "{\"data\":true}\x00"},
	} {
		f.Add(seed.method, seed.path, []byte(seed.body))
	}

	f.Fuzz(func(t *testing.T, method uint8, path string, body []byte) {
		fake := devicefarmtest.NewUnstartedServer(func(o *devicefarmtest.Options) { o.Epoch = testNow })
		defer fake.Close()
		initial := &serveData{sessions: []projectData{{arn: project, sessions: devicefarmtest.GenerateSessions(project, 3, 1, testNow)}}}
		require.NoError(t, initial.restore(fake))
		h := serveHandler(fake, &controlAPI{fake: fake, initial: initial, limits: defaultLimits}, requestGuard{})
		before := fake.Projects()

		target := &url.URL{Path: controlPrefix + "/" + path}
		if p, q, ok := bytes.Cut([]byte(path), []byte("?")); ok {
			target = &url.URL{Path: controlPrefix + "/" + string(p), RawQuery: string(q)}
		}
		req := &http.Request{
			Method: fuzzMethods[int(method)%len(fuzzMethods)],
			URL:    target,
			Header: http.Header{"Content-Type": {"application/json"}},
			Body:   http.NoBody,
		}
		if len(body) > 0 {
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)

		require.Contains(t, []int{200, 400, 404, 405, 413}, rec.Code, "%s", rec.Body)
		requireControlAnswer(t, rec.Code, rec.Header(), rec.Body.Bytes())
		if rec.Code != http.StatusOK {
			require.Empty(t, fake.PendingFaults(), "a refused request queued faults")
			require.Equal(t, before, fake.Projects(), "a refused request changed the data")
			require.Equal(t, initial.sessions[0].sessions, fake.Sessions(project))
		}
	})
}
