package devicefarm

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// valArn returns a syntactically valid project ARN of exactly n runes,
// padded with pad.
func valArn(n int, pad string) string {
	s := projectArnPrefix + strings.Repeat(pad, n-utf8.RuneCountInString(projectArnPrefix))
	if utf8.RuneCountInString(s) != n {
		panic("valArn: bad length")
	}
	return s
}

func TestValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        *ListTestGridSessionsInput
		wantField string // "" means valid: the request is sent
		wantRule  string // substring of the rule, when rejected
		wantBody  string // substring of the body, when accepted
	}{
		{name: "nil input", in: nil, wantField: "ProjectArn", wantRule: "nil"},
		{name: "empty ProjectArn", in: &ListTestGridSessionsInput{}, wantField: "ProjectArn", wantRule: "required"},
		{name: "ProjectArn 5 runes", in: &ListTestGridSessionsInput{ProjectArn: "arn:a"}, wantField: "ProjectArn", wantRule: "is not a test grid project ARN (arn:aws:devicefarm:REGION:ACCOUNT:testgrid-project:ID)"},
		{name: "ProjectArn prefix only", in: &ListTestGridSessionsInput{ProjectArn: "arn:aws:devicefarm:"}, wantField: "ProjectArn", wantRule: "is not a test grid project ARN"},
		{name: "ProjectArn a project ID", in: &ListTestGridSessionsInput{ProjectArn: "8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"}, wantField: "ProjectArn", wantRule: "is not a test grid project ARN (arn:aws:devicefarm:REGION:ACCOUNT:testgrid-project:ID)"},
		{
			name: "ProjectArn a session ARN", in: &ListTestGridSessionsInput{ProjectArn: "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/5e7a0c2d-91f4-4b3a-8c6e-1d2f3a4b5c6d"},
			wantField: "ProjectArn", wantRule: "is a test grid session ARN, not a project ARN (arn:aws:devicefarm:REGION:ACCOUNT:testgrid-project:ID); this session's project is arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11",
		},
		{name: "ProjectArn 31 runes", in: &ListTestGridSessionsInput{ProjectArn: valArn(31, "x")}, wantField: "ProjectArn", wantRule: "32-1011"},
		{name: "ProjectArn 32 runes", in: &ListTestGridSessionsInput{ProjectArn: valArn(32, "x")}, wantBody: `"projectArn":"` + valArn(32, "x") + `"`},
		{name: "ProjectArn 32 multi-byte runes", in: &ListTestGridSessionsInput{ProjectArn: valArn(32, "é")}, wantBody: `"projectArn":"` + valArn(32, "é") + `"`},
		{name: "ProjectArn 31 multi-byte runes (more than 32 bytes)", in: &ListTestGridSessionsInput{ProjectArn: valArn(31, "é")}, wantField: "ProjectArn", wantRule: "got 31"},
		{name: "ProjectArn 1011 runes", in: &ListTestGridSessionsInput{ProjectArn: valArn(1011, "x")}, wantBody: `"projectArn":"arn:aws:devicefarm:xxx`},
		{name: "ProjectArn 1011 multi-byte runes", in: &ListTestGridSessionsInput{ProjectArn: valArn(1011, "日")}, wantBody: `"projectArn":"arn:aws:devicefarm:日日日`},
		{name: "ProjectArn 1012 runes", in: &ListTestGridSessionsInput{ProjectArn: valArn(1012, "x")}, wantField: "ProjectArn", wantRule: "got 1012"},
		{name: "ProjectArn far too long", in: &ListTestGridSessionsInput{ProjectArn: valArn(5000, "x")}, wantField: "ProjectArn", wantRule: "got 5000"},
		{name: "ProjectArn aws-cn partition", in: &ListTestGridSessionsInput{ProjectArn: "arn:aws-cn:devicefarm:cn-north-1:123456789012:testgrid-project:8b5c1b1e"}, wantField: "ProjectArn", wantRule: "arn:aws:devicefarm:"},
		{name: "ProjectArn 31 runes, not an ARN", in: &ListTestGridSessionsInput{ProjectArn: strings.Repeat("x", 31)}, wantField: "ProjectArn", wantRule: "is not a test grid project ARN"},
		{name: "ProjectArn other service", in: &ListTestGridSessionsInput{ProjectArn: "arn:aws:s3:::a-bucket-with-a-long-enough-name-to-pass"}, wantField: "ProjectArn", wantRule: "arn:aws:devicefarm:"},
		{name: "ProjectArn upper case", in: &ListTestGridSessionsInput{ProjectArn: strings.ToUpper(testProjectArn)}, wantField: "ProjectArn", wantRule: "arn:aws:devicefarm:"},
		{name: "ProjectArn leading space", in: &ListTestGridSessionsInput{ProjectArn: " " + testProjectArn}, wantField: "ProjectArn", wantRule: "arn:aws:devicefarm:"},
		{name: "ProjectArn newline after prefix", in: &ListTestGridSessionsInput{ProjectArn: projectArnPrefix + "\n" + strings.Repeat("x", 20)}, wantField: "ProjectArn", wantRule: "arn:aws:devicefarm:"},
		{name: "MaxResult -1", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, MaxResult: -1}, wantField: "MaxResult", wantRule: "got -1"},
		{name: "MaxResult min int32", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, MaxResult: math.MinInt32}, wantField: "MaxResult", wantRule: "1-1000"},
		{name: "MaxResult 1001", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, MaxResult: 1001}, wantField: "MaxResult", wantRule: "got 1001"},
		{name: "MaxResult max int32", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, MaxResult: math.MaxInt32}, wantField: "MaxResult", wantRule: "1-1000"},
		{name: "MaxResult 0 omitted", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, MaxResult: 0}, wantBody: `{"projectArn":"` + testProjectArn + `"}`},
		{name: "MaxResult 1", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, MaxResult: 1}, wantBody: `"maxResult":1,`},
		{name: "MaxResult 1000", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, MaxResult: 1000}, wantBody: `"maxResult":1000,`},
		{name: "NextToken 3", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, NextToken: "abc"}, wantField: "NextToken", wantRule: "got 3"},
		{name: "NextToken 1025", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, NextToken: strings.Repeat("t", 1025)}, wantField: "NextToken", wantRule: "got 1025"},
		{name: "NextToken 4", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, NextToken: "abcd"}, wantBody: `"nextToken":"abcd",`},
		{name: "NextToken 4 multi-byte runes", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, NextToken: "éééé"}, wantBody: `"nextToken":"éééé",`},
		{name: "NextToken 1024", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, NextToken: strings.Repeat("t", 1024)}, wantBody: `"nextToken":"` + strings.Repeat("t", 1024) + `",`},
		{name: "NextToken empty omitted", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, NextToken: ""}, wantBody: `{"projectArn":"` + testProjectArn + `"}`},
		{name: "unknown Status is not validated", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, Status: "PAUSED"}, wantBody: `"status":"PAUSED"`},
		{name: "ProjectArn checked before MaxResult", in: &ListTestGridSessionsInput{ProjectArn: "short", MaxResult: -5, NextToken: "x"}, wantField: "ProjectArn"},
		{name: "MaxResult checked before NextToken", in: &ListTestGridSessionsInput{ProjectArn: testProjectArn, MaxResult: -5, NextToken: "x"}, wantField: "MaxResult"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				respond(w, 200, []byte(`{"testGridSessions":[]}`))
			})
			var before ListTestGridSessionsInput
			if tt.in != nil {
				before = *tt.in
			}
			out, err := c.ListTestGridSessions(context.Background(), tt.in)
			if tt.in != nil {
				assert.Equal(t, before, *tt.in, "the input is not modified")
			}

			if tt.wantField == "" {
				require.NoError(t, err)
				require.NotNil(t, out)
				reqs := ts.Requests()
				require.Len(t, reqs, 1)
				assert.Contains(t, string(reqs[0].Body), tt.wantBody)
				assert.True(t, json.Valid(reqs[0].Body))
				return
			}

			require.Error(t, err)
			assert.Nil(t, out)
			assert.Empty(t, ts.Requests(), "nothing may be sent for invalid input")

			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "want *ValidationError, got %T: %v", err, err)
			assert.Equal(t, tt.wantField, ve.Field)
			assert.Contains(t, ve.Rule, tt.wantRule)
			assert.Contains(t, ve.Error(), "ListTestGridSessionsInput."+tt.wantField)

			opErr := requireOperationError(t, err)
			assert.Equal(t, 0, opErr)
			assert.Equal(t, "operation error Device Farm: ListTestGridSessions, "+ve.Error(), err.Error())
			assert.LessOrEqual(t, len(err.Error()), 512, "the rule does not echo a huge input")
		})
	}
}

// Validation happens before configuration errors and before any network I/O,
// even when the client has no usable endpoint or credentials.
func TestValidation_BeforeAnythingElse(t *testing.T) {
	t.Parallel()
	rec := &wireRecordingHTTPClient{}
	c := New(Options{Region: "eu-west-1", HTTPClient: rec})
	_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: "bad"})
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "got %v", err)
	assert.Equal(t, "ProjectArn", ve.Field)
	assert.Zero(t, rec.count())
}
