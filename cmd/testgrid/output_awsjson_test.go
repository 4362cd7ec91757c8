package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// awsJSONDocument is an aws-json (or AWS CLI --output json) document.
type awsJSONDocument struct {
	TestGridSessions []map[string]any `json:"testGridSessions"`
	NextToken        string           `json:"nextToken"`
}

// decodeAWSJSON decodes one aws-json document, refusing unknown members.
func decodeAWSJSON(t *testing.T, out string) awsJSONDocument {
	t.Helper()
	doc := decodeStrict[awsJSONDocument](t, out)
	require.NotNil(t, doc.TestGridSessions, out)
	return doc
}

func TestAWSJSONOutput(t *testing.T) {
	t.Parallel()
	s := fixedSessions()
	w := newSessionWriter(formatAWSJSON, &bytes.Buffer{})
	assert.False(t, w.(nextTokenWriter).SetNextToken("T"), "no page yet: the token would not be written")

	var buf bytes.Buffer
	w = newSessionWriter(formatAWSJSON, &buf)
	require.NoError(t, w.WritePage(s[:1]))
	require.NoError(t, w.WritePage(nil))
	require.NoError(t, w.WritePage(s[1:]))
	assert.True(t, w.(nextTokenWriter).SetNextToken("eyJ2IjoxfQ"))
	require.NoError(t, w.Close())
	assert.Equal(t, `{
    "testGridSessions": [
        {
            "arn": "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:7d3f6a2e/s-closed",
            "status": "CLOSED",
            "created": 1740821400,
            "ended": 1740822150.25,
            "billingMinutes": 12.5,
            "seleniumProperties": "{\"browserName\":\"chrome\",\"browserVersion\":\"131\"}"
        },
        {
            "arn": "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:7d3f6a2e/s-active",
            "status": "ACTIVE",
            "created": 1740825000,
            "billingMinutes": 0
        },
        {
            "arn": "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:7d3f6a2e/s-errored",
            "status": "ERRORED",
            "created": 1740828600,
            "ended": 1740832205,
            "billingMinutes": 61,
            "seleniumProperties": "not json <&>"
        }
    ],
    "nextToken": "eyJ2IjoxfQ"
}
`, buf.String())

	assert.Empty(t, writeAll(t, formatAWSJSON), "no page: nothing")
	assert.Equal(t, "{\n    \"testGridSessions\": []\n}\n", writeAll(t, formatAWSJSON, nil))

	odd := writeAll(t, formatAWSJSON, []devicefarm.TestGridSession{
		{Arn: testSessionPrefix + "nan", BillingMinutes: math.NaN()},
		{Arn: testSessionPrefix + "inf", BillingMinutes: math.Inf(-1), SeleniumProperties: "a\x1b[2J\"\\\n\u00e9\u2028\xff"},
	})
	assert.Contains(t, odd, `"billingMinutes": "NaN"`, "as the service sends it")
	assert.Contains(t, odd, `"billingMinutes": "-Infinity"`)
	assert.Contains(t, odd, `"seleniumProperties": "a\u001b[2J\"\\\n`+"\u00e9\u2028\ufffd\"", "escaped as Python's json.dumps(ensure_ascii=False)")
	assert.NotContains(t, odd, `"status"`, "absent members stay absent")
	assert.True(t, json.Valid([]byte(odd)), odd)
}

// TestAWSJSONMatchesAWSCLI compares --output aws-json with what the AWS
// CLI itself prints for the same listing, served by the fake. The AWS CLI
// (v1) has no paginator for this operation: it prints one page and the
// service's nextToken. So the full listing is compared with one AWS CLI
// page of --max-result 1000 (testgrid walking pages of 5), and a cut with
// --max-result 7 on both sides (the token strings differ by design: the
// service's, and testgrid's resume token); then each side resumes with its
// own token.
func TestAWSJSONMatchesAWSCLI(t *testing.T) {
	awsPath, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the AWS CLI (aws) is not on PATH: cannot compare --output aws-json with it")
	}
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 23, 8)
	srv.AddSessions(testProject, fixedSessions()...) // whole and fractional seconds, an active session, no properties, text properties
	created := time.Date(2025, 3, 2, 8, 0, 0, 120e6, time.UTC)
	srv.AddSessions(testProject, devicefarm.TestGridSession{
		Arn: testSessionPrefix + "s-odd", Status: devicefarm.TestGridSessionStatusClosed, Created: created, Ended: created.Add(time.Millisecond),
		BillingMinutes: 0.01, SeleniumProperties: "{\"x\":\"tab\\there \u00e9\u00e8 \u2603 \\u001b\", \"q\":\"\\\"\\\\\"}\n\t\x1b[31m",
	})

	opts := srv.Options()
	env := cleanEnv(t, "AWS_ACCESS_KEY_ID="+opts.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+opts.SecretAccessKey, "PYTHONIOENCODING=utf-8")
	awsCLI := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, awsPath, args...)
		cmd.Env = env
		cmd.WaitDelay = 5 * time.Second
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "aws %s: %s", strings.Join(args, " "), stderr.String())
		return stdout.String()
	}
	awsList := func(extra ...string) string {
		return awsCLI(append([]string{"devicefarm", "list-test-grid-sessions", "--endpoint-url", srv.URL, "--region", "us-west-2",
			"--project-arn", testProject, "--output", "json"}, extra...)...)
	}
	ours := func(extra ...string) string {
		t.Helper()
		r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, append([]string{"--output", "aws-json"}, extra...)...)...)
		require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
		return r.stdout
	}
	// parsed decodes a document keeping numbers as written, and returns
	// it without nextToken, and nextToken.
	parsed := func(doc string) (map[string]any, string) {
		t.Helper()
		var m map[string]any
		dec := json.NewDecoder(strings.NewReader(doc))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&m), doc)
		tok, _ := m["nextToken"].(string)
		delete(m, "nextToken")
		return m, tok
	}
	version := strings.TrimSpace(awsCLI("--version"))

	// The whole listing.
	theirs, ours1 := awsList("--max-result", "1000"), ours("--page-size", "5")
	a, aTok := parsed(theirs)
	b, bTok := parsed(ours1)
	require.Len(t, a["testGridSessions"], 27)
	assert.Equal(t, a, b, "the whole listing, parsed")
	assert.Empty(t, aTok)
	assert.Empty(t, bTok)
	assert.Equal(t, theirs, ours1, "byte for byte, indentation included")

	// Cut after 7 sessions, then resumed by each with its own token.
	for _, cut := range [][]string{{"--max-result", "7"}, {"--max-items", "7"}} {
		theirs, mine := awsList("--max-result", "7"), ours(cut...)
		a, aTok := parsed(theirs)
		b, bTok := parsed(mine)
		assert.Len(t, a["testGridSessions"], 7)
		assert.Equal(t, a, b, "the first 7 sessions (%s)", cut[0])
		assert.NotEmpty(t, aTok, "the AWS CLI prints the service's nextToken")
		assert.NotEmpty(t, bTok, "testgrid prints its resume token as nextToken")
		assert.Contains(t, mine, "\n    \"nextToken\": \"", "same member name and place")

		a, aTok = parsed(awsList("--max-result", "1000", "--next-token", aTok))
		b, bTok = parsed(ours("--next-token", bTok))
		assert.Len(t, a["testGridSessions"], 20)
		assert.Equal(t, a, b, "the rest (%s)", cut[0])
		assert.Empty(t, aTok)
		assert.Empty(t, bTok)
	}
	t.Logf("--output aws-json equals %s --output json: whole listing of 27 sessions byte for byte; a cut at 7 and its resumption parsed, nextToken values aside", version)
}
