package devicefarm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	decSession1Arn = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/5e7a0c2d-91f4-4b3a-8c6e-1d2f3a4b5c6d"
	decSession2Arn = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"
	decLastArn     = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/c9d8e7f6-a5b4-4c3d-8e2f-1a0b9c8d7e6f"
)

// decodeCall serves body with status and headers to one ListTestGridSessions
// call and returns its result and the number of requests the server saw.
func decodeCall(t *testing.T, status int, body []byte, headers ...string) (*ListTestGridSessionsOutput, int, error) {
	t.Helper()
	ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		respond(w, status, body, headers...)
	})
	out, err := c.ListTestGridSessions(context.Background(), &ListTestGridSessionsInput{ProjectArn: testProjectArn})
	return out, len(ts.Requests()), err
}

func decUTCms(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func TestDecode_Fixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fixture string
		want    *ListTestGridSessionsOutput
	}{
		{
			name:    "spec example page with nextToken",
			fixture: "decode-page1.json",
			want: &ListTestGridSessionsOutput{
				TestGridSessions: []TestGridSession{
					{
						Arn:                decSession1Arn,
						Status:             TestGridSessionStatusClosed,
						Created:            decUTCms(1709294400123),
						Ended:              decUTCms(1709294597456),
						BillingMinutes:     3.28,
						SeleniumProperties: `{"browserName":"chrome","browserVersion":"latest","platformName":"windows"}`,
					},
					{
						Arn:                decSession2Arn,
						Status:             TestGridSessionStatusClosed,
						Created:            decUTCms(1709298000000),
						Ended:              decUTCms(1709298061500),
						BillingMinutes:     1,
						SeleniumProperties: `{"browserName":"firefox"}`,
					},
				},
				NextToken: "AAIAAb3pQ2xR1Vw7EXAMPLEtoken==",
				RequestID: "rid-decode",
			},
		},
		{
			name:    "last page: active session without ended, no nextToken",
			fixture: "decode-last-page.json",
			want: &ListTestGridSessionsOutput{
				TestGridSessions: []TestGridSession{{
					Arn:                decLastArn,
					Status:             TestGridSessionStatusActive,
					Created:            decUTCms(1709301600250),
					SeleniumProperties: "{}",
				}},
				RequestID: "rid-decode",
			},
		},
		{
			name:    "empty page",
			fixture: "decode-empty.json",
			want:    &ListTestGridSessionsOutput{TestGridSessions: []TestGridSession{}, RequestID: "rid-decode"},
		},
		{
			name:    "unknown members at every level are ignored",
			fixture: "decode-unknown-fields.json",
			want: &ListTestGridSessionsOutput{
				TestGridSessions: []TestGridSession{{
					Arn:                "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/11111111-2222-4333-8444-555555555555",
					Status:             TestGridSessionStatusErrored,
					Created:            decUTCms(1709294400000),
					Ended:              decUTCms(1709294460000),
					BillingMinutes:     1,
					SeleniumProperties: `{"browserName":"chrome"}`,
				}},
				NextToken: "NEXTTOKEN-after-unknowns",
				RequestID: "rid-decode",
			},
		},
		{
			name:    "null members leave zero values",
			fixture: "decode-null-members.json",
			want:    &ListTestGridSessionsOutput{TestGridSessions: []TestGridSession{{}}, RequestID: "rid-decode"},
		},
		{
			name:    "null session list is a nil slice",
			fixture: "decode-null-sessions.json",
			want:    &ListTestGridSessionsOutput{NextToken: "TOKEN-with-null-list", RequestID: "rid-decode"},
		},
		{
			name:    "null element kept as a zero session",
			fixture: "decode-null-element.json",
			want: &ListTestGridSessionsOutput{
				TestGridSessions: []TestGridSession{
					{Arn: "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/first", Status: TestGridSessionStatusClosed},
					{},
					{Arn: "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/third", Status: TestGridSessionStatusActive},
				},
				RequestID: "rid-decode",
			},
		},
		{
			name:    "unknown status kept verbatim",
			fixture: "decode-unknown-status.json",
			want: &ListTestGridSessionsOutput{
				TestGridSessions: []TestGridSession{{
					Arn:     "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:p/s",
					Status:  "PAUSED",
					Created: decUTCms(1709294400000),
				}},
				RequestID: "rid-decode",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, n, err := decodeCall(t, 200, fixture(t, tt.fixture), "X-Amzn-RequestId", "rid-decode")
			require.NoError(t, err)
			assert.Equal(t, 1, n)
			assert.Equal(t, tt.want, out)
			if tt.want.TestGridSessions == nil {
				assert.Nil(t, out.TestGridSessions)
			} else {
				assert.NotNil(t, out.TestGridSessions)
			}
			for i, s := range out.TestGridSessions {
				for _, ts := range []time.Time{s.Created, s.Ended} {
					if !ts.IsZero() {
						assert.Equal(t, time.UTC, ts.Location(), "session %d", i)
					}
				}
			}
		})
	}
}

func TestDecode_EmptyAndNullBodies(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"", "null", "  \n", " null \n", "{}"} {
		t.Run(fmt.Sprintf("%q", body), func(t *testing.T) {
			t.Parallel()
			out, n, err := decodeCall(t, 200, []byte(body), "X-Amzn-RequestId", "rid-empty")
			require.NoError(t, err)
			assert.Equal(t, 1, n)
			assert.Equal(t, &ListTestGridSessionsOutput{RequestID: "rid-empty"}, out)
		})
	}
}

func TestDecode_MalformedBodiesAreDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    []byte
		wantErr string // substring of the cause
	}{
		{name: "top-level array", body: fixture(t, "decode-top-level-array.json"), wantErr: "not a JSON object"},
		{name: "top-level string", body: []byte(`"testGridSessions"`), wantErr: "not a JSON object"},
		{name: "top-level number", body: []byte(`42`), wantErr: "not a JSON object"},
		{name: "truncated", body: fixture(t, "decode-truncated.json"), wantErr: "unexpected end of JSON input"},
		{name: "arn is a number", body: fixture(t, "decode-type-mismatch.json"), wantErr: "testGridSessions[0]: arn: expected a string, found number"},
		{name: "list is an object", body: []byte(`{"testGridSessions":{"arn":"x"}}`), wantErr: "testGridSessions: expected an array, found object"},
		{name: "status is a number", body: []byte(`{"testGridSessions":[{"status":1}]}`), wantErr: "testGridSessions[0]: status: expected a string, found number"},
		{name: "nextToken is a number", body: []byte(`{"nextToken":12345}`), wantErr: "nextToken: expected a string, found number"},
		{name: "seleniumProperties is an object", body: []byte(`{"testGridSessions":[{"seleniumProperties":{"browserName":"chrome"}}]}`), wantErr: "seleniumProperties: expected a string, found object"},
		{name: "trailing garbage", body: []byte(`{"testGridSessions":[]} x`), wantErr: "invalid character"},
		{name: "html", body: []byte("<html><body>OK</body></html>"), wantErr: "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, n, err := decodeCall(t, 200, tt.body, "X-Amzn-RequestId", "rid-bad")
			require.Error(t, err)
			assert.Nil(t, out)
			assert.Equal(t, 1, n, "a decode error is not retried")

			var de *DecodeError
			require.True(t, errors.As(err, &de), "got %T: %v", err, err)
			assert.Equal(t, 200, de.StatusCode)
			assert.Equal(t, 200, de.HTTPStatusCode())
			assert.Equal(t, "rid-bad", de.RequestID)
			assert.Contains(t, de.Err.Error(), tt.wantErr)
			assert.NotEmpty(t, de.Snippet)
			assert.LessOrEqual(t, len(de.Snippet), errorExcerptBytes)
			assert.True(t, errors.Is(err, de.Err))

			opErr := requireOperationError(t, err)
			assert.Equal(t, 1, opErr)

			msg := err.Error()
			assert.Contains(t, msg, "https response error StatusCode: 200, RequestID: rid-bad, cannot decode response: ")
			assert.NotContains(t, msg, "\n")
		})
	}
}

// decodeOne decodes a page holding one session whose member is raw JSON.
func decodeOne(member, raw string) (TestGridSession, error) {
	var out ListTestGridSessionsOutput
	err := decodeOutput([]byte(`{"testGridSessions":[{"`+member+`":`+raw+`}]}`), &out)
	if err != nil {
		return TestGridSession{}, err
	}
	if len(out.TestGridSessions) != 1 {
		return TestGridSession{}, fmt.Errorf("got %d sessions", len(out.TestGridSessions))
	}
	return out.TestGridSessions[0], nil
}

func TestDecode_Timestamps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw     string
		want    time.Time // zero with wantErr
		wantErr bool
	}{
		{raw: `1709294400`, want: decUTCms(1709294400000)},
		{raw: `1709294400.0`, want: decUTCms(1709294400000)},
		{raw: `1709294400.5`, want: decUTCms(1709294400500)},
		{raw: `1709294400.123`, want: decUTCms(1709294400123)},
		{raw: `1709294400.1239`, want: decUTCms(1709294400123)},
		{raw: `1709294400.9999999`, want: decUTCms(1709294400999)},
		{raw: `1709294597.456`, want: decUTCms(1709294597456)},
		{raw: `0`, want: decUTCms(0)},
		{raw: `-1.5`, want: decUTCms(-1500)},
		{raw: `-1709294400.123`, want: decUTCms(-1709294400123)},
		{raw: `-0.0009`, want: decUTCms(0)},
		{raw: `1.7092944e9`, want: decUTCms(1709294400000)},
		{raw: `1.7092944005E9`, want: decUTCms(1709294400500)},
		{raw: `-1.5e0`, want: decUTCms(-1500)},
		{raw: `1.7092944001e9`, want: decUTCms(1709294400100)},
		{raw: `1.709294400123e9`, want: decUTCms(1709294400123)},
		{raw: `17092944001E-1`, want: decUTCms(1709294400100)},
		{raw: `"2024-03-01T12:00:00.123Z"`, want: time.Date(2024, 3, 1, 12, 0, 0, 123_000_000, time.UTC)},
		{raw: `"2024-03-01T12:00:00Z"`, want: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)},
		{raw: `"2024-03-01T13:00:00.1239+01:00"`, want: time.Date(2024, 3, 1, 12, 0, 0, 123_000_000, time.UTC)},
		{raw: `"1709294400.123"`, want: decUTCms(1709294400123)},
		{raw: `"yesterday"`, wantErr: true},
		{raw: `"2024-03-01"`, wantErr: true},
		{raw: `""`, wantErr: true},
		{raw: `"NaN"`, wantErr: true},
		{raw: `"Infinity"`, wantErr: true},
		{raw: `"1/3"`, wantErr: true},
		{raw: `"0x1p30"`, wantErr: true},
		{raw: `"1e999999999"`, wantErr: true},
		{raw: `true`, wantErr: true},
		{raw: `{}`, wantErr: true},
		{raw: `[]`, wantErr: true},
		{raw: `1e300`, wantErr: true},
		{raw: `-1e13`, wantErr: true},
	}
	for _, member := range []string{"created", "ended"} {
		for _, tt := range tests {
			t.Run(member+"="+tt.raw, func(t *testing.T) {
				t.Parallel()
				s, err := decodeOne(member, tt.raw)
				if tt.wantErr {
					require.Error(t, err)
					return
				}
				require.NoError(t, err)
				got := s.Created
				if member == "ended" {
					got = s.Ended
				}
				assert.True(t, tt.want.Equal(got), "got %s (%d ms), want %s (%d ms)", got.Format(time.RFC3339Nano), got.UnixMilli(), tt.want.Format(time.RFC3339Nano), tt.want.UnixMilli())
				assert.Equal(t, time.UTC, got.Location())
				assert.Equal(t, tt.want, got)
			})
		}
	}
}

func TestDecode_BillingMinutes(t *testing.T) {
	t.Parallel()
	t.Run("fixture NaN and infinities", func(t *testing.T) {
		t.Parallel()
		out, _, err := decodeCall(t, 200, fixture(t, "decode-billing-special.json"))
		require.NoError(t, err)
		require.Len(t, out.TestGridSessions, 3)
		assert.True(t, math.IsNaN(out.TestGridSessions[0].BillingMinutes))
		assert.True(t, math.IsInf(out.TestGridSessions[1].BillingMinutes, 1))
		assert.True(t, math.IsInf(out.TestGridSessions[2].BillingMinutes, -1))
		assert.Equal(t, "neginf", out.TestGridSessions[2].ID())
	})

	tests := []struct {
		raw     string
		check   func(float64) bool
		wantErr bool
	}{
		{raw: `3.28`, check: func(f float64) bool { return f == 3.28 }},
		{raw: `0`, check: func(f float64) bool { return f == 0 }},
		{raw: `1e2`, check: func(f float64) bool { return f == 100 }},
		{raw: `-0.5`, check: func(f float64) bool { return f == -0.5 }},
		{raw: `"NaN"`, check: math.IsNaN},
		{raw: `"nan"`, check: math.IsNaN},
		{raw: `"Infinity"`, check: func(f float64) bool { return math.IsInf(f, 1) }},
		{raw: `"INFINITY"`, check: func(f float64) bool { return math.IsInf(f, 1) }},
		{raw: `"-Infinity"`, check: func(f float64) bool { return math.IsInf(f, -1) }},
		{raw: `"-infinity"`, check: func(f float64) bool { return math.IsInf(f, -1) }},
		{raw: `"1.5"`, wantErr: true},
		{raw: `"Inf"`, wantErr: true},
		{raw: `"+Infinity"`, wantErr: true},
		{raw: `""`, wantErr: true},
		{raw: `"three"`, wantErr: true},
		{raw: `true`, wantErr: true},
		{raw: `[1]`, wantErr: true},
		{raw: `1e400`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			s, err := decodeOne("billingMinutes", tt.raw)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.True(t, tt.check(s.BillingMinutes), "got %v", s.BillingMinutes)
		})
	}
}

// A bad timestamp or billingMinutes on the wire is a *DecodeError.
func TestDecode_BadMemberOnTheWire(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"testGridSessions":[{"created":"yesterday"}]}`,
		`{"testGridSessions":[{"billingMinutes":"lots"}]}`,
	} {
		t.Run(body, func(t *testing.T) {
			t.Parallel()
			_, n, err := decodeCall(t, 200, []byte(body), "X-Amzn-RequestId", "rid-member")
			var de *DecodeError
			require.True(t, errors.As(err, &de), "got %v", err)
			assert.Equal(t, "rid-member", de.RequestID)
			assert.Equal(t, 1, n)
		})
	}
}

func TestSession_ID(t *testing.T) {
	t.Parallel()
	tests := []struct{ arn, want string }{
		{decSession1Arn, "5e7a0c2d-91f4-4b3a-8c6e-1d2f3a4b5c6d"},
		{"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:only-id", "only-id"},
		{"plain", "plain"},
		{"", ""},
		{"arn:a/b/c", "c"},
		{"trailing/", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, TestGridSession{Arn: tt.arn}.ID(), "arn %q", tt.arn)
	}
}

func TestSession_Duration(t *testing.T) {
	t.Parallel()
	created := decUTCms(1709294400123)
	ended := decUTCms(1709294597456)
	assert.Equal(t, 197333*time.Millisecond, TestGridSession{Created: created, Ended: ended}.Duration())
	assert.Zero(t, TestGridSession{Created: created}.Duration(), "unended session")
	assert.Zero(t, TestGridSession{Ended: ended}.Duration(), "unknown creation time")
	assert.Zero(t, TestGridSession{}.Duration())

	// From the decoded spec example.
	out, _, err := decodeCall(t, 200, fixture(t, "decode-page1.json"))
	require.NoError(t, err)
	require.Len(t, out.TestGridSessions, 2)
	assert.Equal(t, 197333*time.Millisecond, out.TestGridSessions[0].Duration())
	assert.Equal(t, 61500*time.Millisecond, out.TestGridSessions[1].Duration())

	last, _, err := decodeCall(t, 200, fixture(t, "decode-last-page.json"))
	require.NoError(t, err)
	require.Len(t, last.TestGridSessions, 1)
	assert.Zero(t, last.TestGridSessions[0].Duration(), "ACTIVE session without ended")
}

func TestSession_DecodeSeleniumProperties(t *testing.T) {
	t.Parallel()
	t.Run("object", func(t *testing.T) {
		t.Parallel()
		s := TestGridSession{SeleniumProperties: `{"browserName":"chrome","browserVersion":"latest","goog:chromeOptions":{"args":["--headless"]},"acceptInsecureCerts":true,"n":2}`}
		m, err := s.DecodeSeleniumProperties()
		require.NoError(t, err)
		assert.Equal(t, map[string]any{
			"browserName":         "chrome",
			"browserVersion":      "latest",
			"goog:chromeOptions":  map[string]any{"args": []any{"--headless"}},
			"acceptInsecureCerts": true,
			"n":                   2.0,
		}, m)
	})
	t.Run("empty object", func(t *testing.T) {
		t.Parallel()
		m, err := TestGridSession{SeleniumProperties: "{}"}.DecodeSeleniumProperties()
		require.NoError(t, err)
		assert.NotNil(t, m)
		assert.Empty(t, m)
	})
	t.Run("empty string", func(t *testing.T) {
		t.Parallel()
		for _, s := range []string{"", "   ", "\n\t"} {
			m, err := TestGridSession{SeleniumProperties: s}.DecodeSeleniumProperties()
			assert.NoError(t, err)
			assert.Nil(t, m)
		}
	})
	t.Run("not an object", func(t *testing.T) {
		t.Parallel()
		for _, props := range []string{`[1,2]`, `"chrome"`, `42`, `true`, `{`, `{"a":1} trailing`, `browserName=chrome`} {
			s := TestGridSession{Arn: decSession1Arn, SeleniumProperties: props}
			m, err := s.DecodeSeleniumProperties()
			require.Error(t, err, "props %q", props)
			assert.Nil(t, m)
			assert.Contains(t, err.Error(), "not a JSON object")
			assert.Contains(t, err.Error(), s.ID(), "the error names the session")
		}
	})
	t.Run("literal null is not an object", func(t *testing.T) {
		t.Parallel()
		m, err := TestGridSession{SeleniumProperties: "null"}.DecodeSeleniumProperties()
		assert.Error(t, err)
		assert.Nil(t, m)
	})
}

func TestStatus_ValuesAndKnown(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []TestGridSessionStatus{"ACTIVE", "CLOSED", "ERRORED"}, TestGridSessionStatus("").Values())
	// Values returns a fresh slice each time.
	v := TestGridSessionStatusActive.Values()
	v[0] = "MUTATED"
	assert.Equal(t, TestGridSessionStatusActive, TestGridSessionStatus("x").Values()[0])

	for _, s := range TestGridSessionStatus("").Values() {
		assert.True(t, s.Known(), "%s", s)
	}
	for _, s := range []TestGridSessionStatus{"", "PAUSED", "active", "Closed", " ERRORED", "ERRORED "} {
		assert.False(t, s.Known(), "%q", s)
	}
	assert.Equal(t, TestGridSessionStatus("ACTIVE"), TestGridSessionStatusActive)
	assert.Equal(t, TestGridSessionStatus("CLOSED"), TestGridSessionStatusClosed)
	assert.Equal(t, TestGridSessionStatus("ERRORED"), TestGridSessionStatusErrored)

	s, err := decodeOne("status", `"PAUSED"`)
	require.NoError(t, err)
	assert.Equal(t, TestGridSessionStatus("PAUSED"), s.Status)
	assert.False(t, s.Status.Known())

	s, err = decodeOne("status", `"closed"`)
	require.NoError(t, err)
	assert.Equal(t, TestGridSessionStatus("closed"), s.Status, "kept verbatim, not normalised")
}

// The DecodeError message is one line and names the problem.
func TestDecode_DecodeErrorString(t *testing.T) {
	t.Parallel()
	e := &DecodeError{StatusCode: 200, RequestID: "rid-1", Snippet: "[1,2]", Err: errors.New("response is not a JSON object")}
	assert.Equal(t, `cannot decode response: response is not a JSON object; body starts "[1,2]"`, e.Error())
	e = &DecodeError{StatusCode: 204, Err: errors.New("x")}
	assert.Equal(t, `cannot decode response: x`, e.Error())
	assert.False(t, strings.Contains(e.Error(), "\n"))
}

func TestDecode_SessionCountIsBounded(t *testing.T) {
	t.Parallel()
	page := func(n int) []byte {
		return []byte(`{"testGridSessions":[` + strings.TrimSuffix(strings.Repeat(`{},`, n), ",") + `]}`)
	}
	var out ListTestGridSessionsOutput
	require.NoError(t, decodeOutput(page(maxSessionsPerPage), &out))
	assert.Len(t, out.TestGridSessions, maxSessionsPerPage)

	err := decodeOutput(page(maxSessionsPerPage+1), &ListTestGridSessionsOutput{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than 100000 sessions")
}
