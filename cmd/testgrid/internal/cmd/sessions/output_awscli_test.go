package sessions

import (
	"bytes"
	"context"
	"encoding/json"
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
