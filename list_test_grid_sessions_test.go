package devicefarm

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
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
	rec := &recordingDoer{}
	c := New(Options{Region: "eu-west-1", HTTPClient: rec})
	_, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: "bad"})
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "got %v", err)
	assert.Equal(t, "ProjectArn", ve.Field)
	assert.Zero(t, rec.count())
}

func TestAppendBody_Exact(t *testing.T) {
	t.Parallel()
	const arn = testProjectArn
	tokyo := time.FixedZone("JST", 9*3600)
	tests := []struct {
		name string
		in   ListTestGridSessionsInput
		want string
	}{
		{
			name: "minimal",
			in:   ListTestGridSessionsInput{ProjectArn: arn},
			want: `{"projectArn":"` + arn + `"}`,
		},
		{
			name: "zero values omitted",
			in:   ListTestGridSessionsInput{ProjectArn: arn, MaxResult: 0, NextToken: "", Status: "", CreationTimeAfter: time.Time{}},
			want: `{"projectArn":"` + arn + `"}`,
		},
		{
			name: "spec example request",
			in: ListTestGridSessionsInput{
				ProjectArn:         arn,
				Status:             TestGridSessionStatusClosed,
				CreationTimeAfter:  time.Unix(1709251200, 0),
				CreationTimeBefore: time.Unix(1709337600, 500_000_000),
				MaxResult:          2,
			},
			want: `{"creationTimeAfter":1709251200,"creationTimeBefore":1709337600.5,"maxResult":2,"projectArn":"` + arn + `","status":"CLOSED"}`,
		},
		{
			name: "spec example next page",
			in:   ListTestGridSessionsInput{ProjectArn: arn, Status: TestGridSessionStatusClosed, MaxResult: 2, NextToken: "AAIAAb3pQ2xR1Vw7EXAMPLEtoken=="},
			want: `{"maxResult":2,"nextToken":"AAIAAb3pQ2xR1Vw7EXAMPLEtoken==","projectArn":"` + arn + `","status":"CLOSED"}`,
		},
		{
			name: "all members alphabetical",
			in: ListTestGridSessionsInput{
				Status:             TestGridSessionStatusActive,
				NextToken:          "tok/+=\"\\x",
				ProjectArn:         arn,
				MaxResult:          1000,
				EndTimeBefore:      time.Unix(1709294400, 123_999_999),
				EndTimeAfter:       time.Unix(1709294400, 123_000_000),
				CreationTimeBefore: time.Unix(1709337600, 500_000_000),
				CreationTimeAfter:  time.Unix(1709251200, 0),
			},
			want: `{"creationTimeAfter":1709251200,"creationTimeBefore":1709337600.5,"endTimeAfter":1709294400.123,"endTimeBefore":1709294400.123,"maxResult":1000,"nextToken":"tok/+=\"\\x","projectArn":"` + arn + `","status":"ACTIVE"}`,
		},
		{
			name: "unknown status sent as is",
			in:   ListTestGridSessionsInput{ProjectArn: arn, Status: "PAUSED"},
			want: `{"projectArn":"` + arn + `","status":"PAUSED"}`,
		},
		{
			name: "sub-millisecond truncated",
			in:   ListTestGridSessionsInput{ProjectArn: arn, CreationTimeAfter: time.Unix(1709294400, 999_999)},
			want: `{"creationTimeAfter":1709294400,"projectArn":"` + arn + `"}`,
		},
		{
			name: "time zone does not matter",
			in:   ListTestGridSessionsInput{ProjectArn: arn, EndTimeAfter: time.Date(2024, 3, 1, 21, 0, 0, 250_000_000, tokyo)},
			want: `{"endTimeAfter":1709294400.25,"projectArn":"` + arn + `"}`,
		},
		{
			name: "unix epoch is not the zero time",
			in:   ListTestGridSessionsInput{ProjectArn: arn, CreationTimeBefore: time.Unix(0, 0)},
			want: `{"creationTimeBefore":0,"projectArn":"` + arn + `"}`,
		},
		{
			name: "pre-1970 truncates toward zero",
			in:   ListTestGridSessionsInput{ProjectArn: arn, CreationTimeAfter: time.Unix(-2, 500_000_000), CreationTimeBefore: time.Unix(0, -1_500_500)},
			want: `{"creationTimeAfter":-1.5,"creationTimeBefore":-0.001,"projectArn":"` + arn + `"}`,
		},
		{
			name: "year 3000 (beyond UnixNano range)",
			in:   ListTestGridSessionsInput{ProjectArn: arn, CreationTimeAfter: time.Date(3000, 1, 1, 0, 0, 0, 7_000_000, time.UTC)},
			want: `{"creationTimeAfter":32503680000.007,"projectArn":"` + arn + `"}`,
		},
		{
			name: "string escapes",
			in:   ListTestGridSessionsInput{ProjectArn: arn + "\"\\\n\u2028<&>é", NextToken: "a\x00b\x7fc\xffd"},
			want: `{"nextToken":"a\u0000b` + "\x7f" + `c\ufffdd","projectArn":"` + arn + `\"\\\n\u2028<&>é"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.in.appendBody(nil)
			assert.Equal(t, tt.want, string(got))
			require.True(t, json.Valid(got), "body is not valid JSON: %s", got)
			// Appending keeps what was already in the buffer.
			assert.Equal(t, "prefix"+tt.want, string(tt.in.appendBody([]byte("prefix"))))
		})
	}
}

// The body the server receives is the exact encoding, with a matching
// Content-Length.
func TestAppendBody_OnTheWire(t *testing.T) {
	t.Parallel()
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.ContentLength != int64(len(body)) {
			w.Header().Set("X-Test-Problem", "content-length "+strconv.FormatInt(r.ContentLength, 10))
		}
		respond(w, 200, []byte(`{}`))
	})
	in := &ListTestGridSessionsInput{
		ProjectArn:         testProjectArn,
		Status:             TestGridSessionStatusClosed,
		CreationTimeAfter:  time.Unix(1709251200, 0),
		CreationTimeBefore: time.Unix(1709337600, 500_000_000),
		MaxResult:          2,
	}
	_, err := c.ListTestGridSessions(context.Background(), in)
	require.NoError(t, err)
	reqs := ts.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, `{"creationTimeAfter":1709251200,"creationTimeBefore":1709337600.5,"maxResult":2,"projectArn":"`+testProjectArn+`","status":"CLOSED"}`, string(reqs[0].Body))

	var decoded map[string]any
	require.NoError(t, json.Unmarshal(reqs[0].Body, &decoded))
	assert.Equal(t, map[string]any{
		"creationTimeAfter":  1709251200.0,
		"creationTimeBefore": 1709337600.5,
		"maxResult":          2.0,
		"projectArn":         testProjectArn,
		"status":             "CLOSED",
	}, decoded)
}
