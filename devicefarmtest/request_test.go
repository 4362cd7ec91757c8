package devicefarmtest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

func TestArgumentException(t *testing.T) {
	s := newServer(t)
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	p := `"projectArn":"` + projectArn + `"`
	const arg, ser = devicefarm.CodeArgumentException, "SerializationException"
	for _, tc := range []struct {
		name string
		body string
		code string
		msgs []string
	}{
		{"projectArn missing", `{}`, arg, []string{"1 validation error detected: Value null at 'projectArn' failed to satisfy constraint: Member must not be null"}},
		{"empty body", ``, arg, []string{"Value null at 'projectArn'"}},
		{"projectArn null", `{"projectArn":null}`, arg, []string{"Value null at 'projectArn'"}},
		{"projectArn too short", `{"projectArn":"arn:aws:devicefarm:x"}`, arg, []string{"Value 'arn:aws:devicefarm:x' at 'projectArn' failed to satisfy constraint: Member must have length greater than or equal to 32"}},
		{"projectArn too long", `{"projectArn":"arn:aws:devicefarm:` + strings.Repeat("x", 1000) + `"}`, arg, []string{"at 'projectArn' failed to satisfy constraint: Member must have length less than or equal to 1011"}},
		{"projectArn pattern", `{"projectArn":"arn:aws:s3:::bucket-with-a-long-enough-name"}`, arg, []string{"at 'projectArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws:devicefarm:.+"}},
		{"projectArn other partition", `{"projectArn":"arn:aws-cn:devicefarm:cn-north-1:1:testgrid-project:x"}`, arg, []string{"regular expression pattern"}},
		{"projectArn short and bad", `{"projectArn":"nope"}`, arg, []string{"2 validation errors detected:", "length greater than or equal to 32", "; Value 'nope' at 'projectArn' failed to satisfy constraint: Member must satisfy regular expression pattern"}},
		{"maxResult zero", `{` + p + `,"maxResult":0}`, arg, []string{"Value '0' at 'maxResult' failed to satisfy constraint: Member must have value greater than or equal to 1"}},
		{"maxResult negative", `{` + p + `,"maxResult":-5}`, arg, []string{"Value '-5' at 'maxResult'"}},
		{"maxResult too large", `{` + p + `,"maxResult":1001}`, arg, []string{"Value '1001' at 'maxResult' failed to satisfy constraint: Member must have value less than or equal to 1000"}},
		{"maxResult huge", `{` + p + `,"maxResult":100000000000000000000000}`, arg, []string{"at 'maxResult'", "less than or equal to 1000"}},
		{"status unknown", `{` + p + `,"status":"RUNNING"}`, arg, []string{"Value 'RUNNING' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, CLOSED, ERRORED]"}},
		{"status lower case", `{` + p + `,"status":"active"}`, arg, []string{"at 'status'"}},
		{"status empty", `{` + p + `,"status":""}`, arg, []string{"Value '' at 'status'"}},
		{"nextToken short", `{` + p + `,"nextToken":"abc"}`, arg, []string{"Value 'abc' at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 4"}},
		{"nextToken empty", `{` + p + `,"nextToken":""}`, arg, []string{"Value '' at 'nextToken'", "length greater than or equal to 4"}},
		{"nextToken too long", `{` + p + `,"nextToken":"` + strings.Repeat("A", 1025) + `"}`, arg, []string{"at 'nextToken'", "length less than or equal to 1024"}},
		{"nextToken longest", `{` + p + `,"nextToken":"` + strings.Repeat("A", 1024) + `"}`, arg, []string{"Invalid nextToken"}}, // valid length, not a token
		{"timestamp out of range", `{` + p + `,"creationTimeAfter":1e30}`, arg, []string{"at 'creationTimeAfter'"}},
		{"timestamp huge exponent", `{` + p + `,"endTimeBefore":1e999999999}`, arg, []string{"at 'endTimeBefore'"}},
		{"all at once", `{"projectArn":"x","maxResult":0,"status":"X","nextToken":"a"}`, arg, []string{"5 validation errors detected", "'projectArn'", "'maxResult'", "'status'", "'nextToken'"}},

		{"malformed JSON", `{"projectArn":`, ser, []string{"not a JSON object"}},
		{"top-level array", `[]`, ser, []string{"not a JSON object"}},
		{"top-level null", `null`, ser, []string{"not a JSON object"}},
		{"trailing garbage", `{` + p + `} x`, ser, nil},
		{"projectArn number", `{"projectArn":12}`, ser, []string{"'projectArn' must be a JSON string"}},
		{"status number", `{` + p + `,"status":1}`, ser, []string{"'status'"}},
		{"nextToken object", `{` + p + `,"nextToken":{}}`, ser, []string{"'nextToken'"}},
		{"maxResult string", `{` + p + `,"maxResult":"5"}`, ser, []string{"'maxResult' must be a JSON number"}},
		{"maxResult fraction", `{` + p + `,"maxResult":2.5}`, ser, []string{"'maxResult' must be an integer"}},
		{"timestamp string", `{` + p + `,"creationTimeAfter":"2024-03-01T00:00:00Z"}`, ser, []string{"'creationTimeAfter' must be a timestamp in epoch seconds"}},
		{"timestamp bool", `{` + p + `,"endTimeAfter":true}`, ser, []string{"'endTimeAfter'"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, s, tc.body)
			requireError(t, r, http.StatusBadRequest, tc.code, tc.msgs...)
		})
	}
}

func TestArgumentAccepted(t *testing.T) {
	s := newServer(t)
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	for _, body := range []string{
		`{"projectArn":"` + projectArn + `","unknownMember":{"x":[1,2]},"ProjectArn":5}`,
		`{"projectArn":"` + projectArn + `","maxResult":1000,"status":"ERRORED","nextToken":null}`,
		`{"projectArn":"` + projectArn + `","maxResult":1}`,
		`{"projectArn":"arn:aws:devicefarm:` + strings.Repeat("x", 992) + `"}`, // 1011 characters: only NotFound
	} {
		r := call(t, s, body)
		if r.Status == http.StatusBadRequest {
			requireError(t, r, http.StatusBadRequest, devicefarm.CodeNotFoundException)
			continue
		}
		assert.Equal(t, http.StatusOK, r.Status, "%s: %s", body, r.Body)
	}
}

func TestProtocolErrors(t *testing.T) {
	s := newServer(t)
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	body := `{"projectArn":"` + projectArn + `"}`
	for _, tc := range []struct {
		name   string
		mod    func(*http.Request)
		status int
		code   string
		msg    string
	}{
		{"unknown operation", func(r *http.Request) { r.Header.Set("X-Amz-Target", "DeviceFarm_20150623.ListProjects") }, 400, "UnknownOperationException", `Unknown operation "DeviceFarm_20150623.ListProjects"`},
		{"other service", func(r *http.Request) { r.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables") }, 400, "UnknownOperationException", "Unknown operation"},
		{"missing target", func(r *http.Request) { r.Header.Del("X-Amz-Target") }, 400, "UnknownOperationException", "Missing X-Amz-Target"},
		{"GET", func(r *http.Request) { r.Method = http.MethodGet }, 400, "UnknownOperationException", "Method GET is not supported"},
		{"PUT", func(r *http.Request) { r.Method = http.MethodPut }, 400, "UnknownOperationException", "Method PUT"},
		{"json content type", func(r *http.Request) { r.Header.Set("Content-Type", "application/json") }, 400, "SerializationException", "Content-Type must be application/x-amz-json-1.1"},
		{"awsJson1.0 content type", func(r *http.Request) { r.Header.Set("Content-Type", "application/x-amz-json-1.0") }, 400, "SerializationException", "Content-Type"},
		{"no content type", func(r *http.Request) { r.Header.Del("Content-Type") }, 400, "SerializationException", "Content-Type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := newRawRequest(t, s, body)
			tc.mod(req)
			r := do(t, req) // unsigned: protocol checks come first
			requireError(t, r, tc.status, tc.code, tc.msg)
		})
	}

	t.Run("content type parameters", func(t *testing.T) {
		req := newRawRequest(t, s, body)
		req.Header.Set("Content-Type", jsonType+"; charset=utf-8")
		sign(t, req, body, serverCreds(t, s), "devicefarm", "us-west-2", s.Options().Now())
		assert.Equal(t, http.StatusOK, do(t, req).Status)
	})

	t.Run("body too large", func(t *testing.T) {
		big := `{"projectArn":"` + projectArn + `","x":"` + strings.Repeat("x", devicefarmtest.MaxRequestBytes) + `"}`
		r := do(t, newRawRequest(t, s, big))
		requireError(t, r, http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException", "1048576 bytes")
		reqs := s.Requests()
		require.NotEmpty(t, reqs)
		last := reqs[len(reqs)-1]
		assert.True(t, last.Rejected)
		assert.Empty(t, last.Body, "a rejected request's body is not kept")
		assert.Equal(t, devicefarmtest.MaxRequestBytes, last.BodySize)
		assert.Equal(t, big[:devicefarmtest.RejectedExcerptBytes], last.Excerpt)
	})

	t.Run("any path", func(t *testing.T) {
		req := newRawRequest(t, s, body)
		req.URL.Path = "/prefix/"
		sign(t, req, body, serverCreds(t, s), "devicefarm", "us-west-2", s.Options().Now())
		assert.Equal(t, http.StatusOK, do(t, req).Status)
		reqs := s.Requests()
		assert.Equal(t, "/prefix/", reqs[len(reqs)-1].Path)

		// A client whose BaseEndpoint has a path.
		c := s.Client(func(o *devicefarm.Options) { o.BaseEndpoint = s.URL + "/base" })
		_, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
		require.NoError(t, err)
		reqs = s.Requests()
		assert.Equal(t, "/base/", reqs[len(reqs)-1].Path)
	})
}

// TestMessagesEscapeControlCharacters checks that values quoted in error
// messages have their control characters and invalid UTF-8 escaped (a
// property FuzzServeHTTP checks), and that long ones are cut to 128 runes.
func TestMessagesEscapeControlCharacters(t *testing.T) {
	s := newServer(t)
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	arg := devicefarm.CodeArgumentException
	long := `arn:aws:devicefarm:\u0001` + strings.Repeat("é", 1100) // too long: quoted
	for _, tc := range []struct {
		name string
		body string
		code string
		msg  string
	}{
		{"status", `{"projectArn":"` + projectArn + `","status":"A\u0000\n\t\u001b[31m\u0085\u2028"}`, arg,
			"Value 'A\\x00\\n\\t\\x1b[31m\\u0085\u2028' at 'status'"},
		{"projectArn not found", `{"projectArn":"arn:aws:devicefarm:\u0000\u007f:testgrid-project:x"}`, devicefarm.CodeNotFoundException,
			"Project arn:aws:devicefarm:\\x00\\x7f:testgrid-project:x was not found."},
		{"nextToken", `{"projectArn":"` + projectArn + `","nextToken":"\r\n"}`, arg, "Value '\\r\\n' at 'nextToken'"},
		{"long value is cut first", `{"projectArn":"` + long + `"}`, arg,
			"Value 'arn:aws:devicefarm:\\x01" + strings.Repeat("é", 125-20) + "...' at 'projectArn'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, s, tc.body)
			requireError(t, r, http.StatusBadRequest, tc.code, tc.msg)
		})
	}

	// Headers reach ServeHTTP unchecked when it is called directly.
	for _, tc := range []struct {
		name string
		mod  func(*http.Request)
		msg  string
	}{
		{"method", func(r *http.Request) { r.Method = "G\x00\xffT" }, `Method G\x00\xffT is not supported`},
		{"content type", func(r *http.Request) { r.Header.Set("Content-Type", "a\x00\xff") }, `got "a\x00\xff".`},
		{"target", func(r *http.Request) { r.Header.Set("X-Amz-Target", "x\n") }, `Unknown operation "x\n"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := newRawRequest(t, s, `{}`)
			tc.mod(req)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			require.Equal(t, http.StatusBadRequest, rec.Code)
			var e struct{ Message string }
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e))
			assert.Contains(t, e.Message, tc.msg)
		})
	}
}
