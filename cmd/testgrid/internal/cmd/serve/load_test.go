package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
)

// loadSample is a set of sessions with the awkward cases: active, NaN and
// infinite billing, properties that are an object, a non-object string or
// empty, two projects.
func loadSample() []devicefarm.TestGridSession {
	c := testNow.Add(-48 * time.Hour)
	return []devicefarm.TestGridSession{
		{Arn: sessionArnOf(testProject, "a"), Status: "CLOSED", Created: c, Ended: c.Add(61500 * time.Millisecond), BillingMinutes: 1.03, SeleniumProperties: `{"browserName":"chrome","goog:chromeOptions":{"args":["--headless=new"]}}`},
		{Arn: sessionArnOf(testProject, "b"), Status: "ACTIVE", Created: c.Add(time.Millisecond)},
		{Arn: sessionArnOf(testProject, "c"), Status: "ERRORED", Created: c.Add(time.Second), Ended: c.Add(2 * time.Second), BillingMinutes: math.NaN(), SeleniumProperties: "plain text, not JSON"},
		{Arn: sessionArnOf(otherProject, "d"), Status: "CLOSED", Created: c.Add(123 * time.Millisecond), Ended: c.Add(time.Hour), BillingMinutes: math.Inf(1), SeleniumProperties: `{"a":"<&>"}`},
	}
}

// writeSessions renders sessions as testgrid sessions --output format does.
func writeSessions(t *testing.T, format string, sessions []devicefarm.TestGridSession) []byte {
	t.Helper()
	var b bytes.Buffer
	w := output.NewSessionWriter(format, &b)
	require.NoError(t, w.WritePage(sessions[:2]))
	require.NoError(t, w.WritePage(sessions[2:]))
	require.NoError(t, w.Close())
	return b.Bytes()
}

func TestParseSessionsFormats(t *testing.T) {
	t.Parallel()
	want := loadSample()
	var wire []string
	for _, s := range want {
		wire = append(wire, wireJSON(t, s))
	}
	awsCLI := "{\n    \"testGridSessions\": [\n        " + strings.Join(wire, ",\n        ") + "\n    ],\n    \"nextToken\": \"AAAA\"\n}\n"
	// The AWS CLI v2 writes times as ISO 8601 strings.
	cliV2 := strings.NewReplacer(`"created":1741435200,`, `"created":"2025-03-08T12:00:00+00:00",`).Replace(awsCLI)
	require.NotEqual(t, awsCLI, cliV2)

	// testgrid writes null for NaN and the infinities alike: read as NaN.
	lossy := slices.Clone(want)
	lossy[3].BillingMinutes = math.NaN()
	for name, data := range map[string][]byte{
		"testgrid json":       writeSessions(t, output.FormatJSON, want),
		"testgrid ndjson":     writeSessions(t, output.FormatNDJSON, want),
		"aws cli":             []byte(awsCLI),
		"aws cli v2":          []byte(cliV2),
		"token first":         []byte(`{"nextToken":"x","testGridSessions":[` + strings.Join(wire, ",") + `]}`),
		"ndjson blank lines":  []byte("\n" + strings.Join(wire, "\n\n") + "\n\n"),
		"ndjson one per line": []byte(strings.Join(wire, "\n")),
	} {
		t.Run(name, func(t *testing.T) {
			f, err := parseSessions("f.json", data)
			require.NoError(t, err)
			got := f.sessions
			require.Len(t, got, len(want))
			want := want
			if strings.HasPrefix(name, "testgrid") {
				want = lossy
			}
			for i := range want {
				assertLoadedSession(t, want[i], got[i])
			}
		})
	}

	got, err := parseSessions("f.json", []byte(`{"sessions":null}`))
	require.NoError(t, err)
	assert.Empty(t, got.sessions)
}

// assertLoadedSession compares sessions, NaN billing included.
func assertLoadedSession(t *testing.T, want, got devicefarm.TestGridSession) {
	t.Helper()
	if math.IsNaN(want.BillingMinutes) {
		assert.True(t, math.IsNaN(got.BillingMinutes), "billing of %s", want.Arn)
		want.BillingMinutes, got.BillingMinutes = 0, 0
	}
	assert.Equal(t, want, got)
}

func TestParseSessionsErrors(t *testing.T) {
	t.Parallel()
	ok := wireJSON(t, loadSample()[0])
	for _, tc := range []struct {
		name, data, want string
	}{
		{"empty", "  \n", "f.json: the file is empty"},
		{"array", "[" + ok + "]", `f.json:1:1: expected a JSON object`},
		{"not json", "hello", `f.json:1:1: expected a JSON object`},
		{"truncated document", `{"sessions":[` + "\n" + ok + ",\n" + ok[:20], "f.json:3:21: malformed JSON: unexpected end of the file"},
		{"syntax", "{\"sessions\":[\n" + ok + ",\n{\"arn\" 1}]}", `f.json:3:8: malformed JSON: invalid character '1' after object key`},
		{"bad time", "{\"sessions\":[\n" + ok + ",\n" + `{"arn":"` + sessionArnOf(testProject, "x") + `","created":"2025-13-01T00:00:00Z"}` + "\n]}", `f.json:3:1: session 2: created: "2025-13-01T00:00:00Z" is not an RFC 3339 time`},
		{"bad arn ndjson", ok + "\n" + ok + "\n" + `{"arn":"arn:aws:devicefarm:us-west-2:1:project:x/y"}`, `f.json:3:1: session 3: arn: "arn:aws:devicefarm:us-west-2:1:project:x/y" is not a test grid session ARN`},
		{"missing arn", `{"testGridSessions":[{"status":"CLOSED"}]}`, "f.json:1:22: session 1: arn: missing"},
		{"sessions not a list", `{"sessions":{"arn":"x"}}`, `f.json:1:13: "sessions" must be an array of sessions`},
		{"no list", `{"nextToken":"AAAA"}`, `f.json:1:1: the document has no "sessions", "testGridSessions", "projects" or "sessionData" member`},
		{"trailing data", `{"sessions":[]} x`, "f.json:1:17: unexpected data after the JSON document"},
		{"ndjson not an object", ok + "\n42\n", "f.json:2:1: session 2: a session must be a JSON object"},
		{"billing", `{"sessions":[{"arn":"` + sessionArnOf(testProject, "x") + `","billingMinutes":"many"}]}`, `session 1: billingMinutes: "many" is not a number, "NaN", "Infinity" or "-Infinity"`},
		{"control characters", `{"sessions":[{"arn":"x` + "\\u0007\\n" + `"}]}`, `arn: "x\a\n" is not a test grid session ARN`},
		// What the service would never send (issue 20, row 10).
		{"status outside the enum", "{\"sessions\":[\n" + ok + ",\n" + `{"arn":"` + sessionArnOf(testProject, "x") + `","status":"DONE"}]}`, `f.json:3:1: session 2: status: "DONE" is not one the service sends (ACTIVE, CLOSED, ERRORED)`},
		{"account not 12 digits", `{"sessions":[{"arn":"arn:aws:devicefarm:us-west-2:1:testgrid-session:p/s"}]}`, `f.json:1:14: session 1: arn: "arn:aws:devicefarm:us-west-2:1:testgrid-session:p/s" is not a test grid session ARN the service sends`},
		{"bad region", `{"sessions":[{"arn":"arn:aws:devicefarm:Mars:123456789012:testgrid-session:p/s"}]}`, `arn: "arn:aws:devicefarm:Mars:123456789012:testgrid-session:p/s" is not a test grid session ARN the service sends`},
		{"bad resource", `{"sessions":[{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:p/s/t"}]}`, `is not a test grid session ARN the service sends`},
		{"end before creation", `{"sessions":[{"arn":"` + sessionArnOf(testProject, "x") + `","created":1741435200,"ended":1}]}`, `f.json:1:14: session 1: ended: 1970-01-01T00:00:01Z is before created 2025-03-08T12:00:00Z`},
		{"invalid UTF-8", "{\"sessions\":[\n{\"arn\":\"" + sessionArnOf(testProject, "x") + "\",\"status\":\"CLO\xffSED\"}]}", fmt.Sprintf("f.json:2:%d: invalid UTF-8", len(`{"arn":"`+sessionArnOf(testProject, "x")+`","status":"CLO`)+1)},
		{"huge exponent", `{"sessions":[{"arn":"` + sessionArnOf(testProject, "x") + `","created":1e999999999}]}`, "created: \"1e999999999\" is beyond year 9999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseSessions("f.json", []byte(tc.data))
			require.Error(t, err)
			var le *loadError
			require.ErrorAs(t, err, &le)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "\n", "one line")
		})
	}
}

func TestLoadSessionsFileMissing(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "missing.json")
	_, err := loadSessionsFile(name)
	require.Error(t, err)
	assert.Equal(t, name+": cannot read: no such file or directory", err.Error())
}

// TestServeLoadGroupsByProject: --load puts each session in the project of
// its ARN, and the fake serves them.
func TestServeLoadGroupsByProject(t *testing.T) {
	t.Parallel()
	sample := loadSample()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.ndjson")
	require.NoError(t, os.WriteFile(a, writeSessions(t, output.FormatJSON, sample), 0o600))
	require.NoError(t, os.WriteFile(b, []byte(wireJSON(t, devicefarm.TestGridSession{Arn: sessionArnOf(testProject, "z"), Status: "CLOSED", Created: testNow})+"\n"), 0o600))

	st := newServeTest(t, "--load", a, "--load", b, "--project", projectWithID("f"), "--sessions", "4")
	var projects []string
	for _, p := range st.fake.Projects() {
		projects = append(projects, p.Arn)
	}
	assert.ElementsMatch(t, []string{testProject, otherProject, projectWithID("f")}, projects)
	out, err := st.client().ListTestGridSessions(t.Context(), &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject})
	require.NoError(t, err)
	require.Len(t, out.TestGridSessions, 4)
	for i, s := range sample[:3] {
		assertLoadedSession(t, s, out.TestGridSessions[i])
	}
	assert.Equal(t, sessionArnOf(testProject, "z"), out.TestGridSessions[3].Arn)

	var doc map[string]any
	require.NoError(t, json.Unmarshal(writeSessions(t, output.FormatJSON, sample), &doc), "sanity: the json format is one document")
}
