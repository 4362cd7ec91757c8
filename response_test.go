package devicefarm

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
						Created:            utcMillis(1709294400123),
						Ended:              utcMillis(1709294597456),
						BillingMinutes:     3.28,
						SeleniumProperties: `{"browserName":"chrome","browserVersion":"latest","platformName":"windows"}`,
					},
					{
						Arn:                decSession2Arn,
						Status:             TestGridSessionStatusClosed,
						Created:            utcMillis(1709298000000),
						Ended:              utcMillis(1709298061500),
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
					Created:            utcMillis(1709301600250),
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
					Created:            utcMillis(1709294400000),
					Ended:              utcMillis(1709294460000),
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
					Created: utcMillis(1709294400000),
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
		{name: "bad timestamp", body: []byte(`{"testGridSessions":[{"created":"yesterday"}]}`), wantErr: `testGridSessions[0]: created: timestamp "yesterday" is neither epoch seconds nor RFC 3339`},
		{name: "bad billingMinutes", body: []byte(`{"testGridSessions":[{"billingMinutes":"lots"}]}`), wantErr: `testGridSessions[0]: billingMinutes: "lots" is not a number`},
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

// Each member is read by its kind, and null leaves it unset. Timestamps and
// doubles come as a JSON number, or as a string (RFC 3339 or epoch seconds;
// "NaN" or "Infinity"); internal/awsjson has the full tables of what parses.
func TestDecode_Members(t *testing.T) {
	t.Parallel()
	tests := []struct {
		member, raw string
		want        TestGridSession
		wantErr     string
	}{
		{member: "arn", raw: `"arn:x"`, want: TestGridSession{Arn: "arn:x"}},
		{member: "arn", raw: `null`},
		{member: "seleniumProperties", raw: `"{\"a\":1}"`, want: TestGridSession{SeleniumProperties: `{"a":1}`}},
		{member: "status", raw: `"CLOSED"`, want: TestGridSession{Status: TestGridSessionStatusClosed}},
		{member: "status", raw: `"closed"`, want: TestGridSession{Status: "closed"}}, // kept verbatim, not normalised
		{member: "created", raw: `1709294400.1239`, want: TestGridSession{Created: utcMillis(1709294400123)}},
		{member: "created", raw: `"2024-03-01T13:00:00.1239+01:00"`, want: TestGridSession{Created: utcMillis(1709294400123)}},
		{member: "ended", raw: `"1709294400.5"`, want: TestGridSession{Ended: utcMillis(1709294400500)}},
		{member: "ended", raw: `null`},
		{member: "billingMinutes", raw: `3.28`, want: TestGridSession{BillingMinutes: 3.28}},
		{member: "billingMinutes", raw: `"-Infinity"`, want: TestGridSession{BillingMinutes: math.Inf(-1)}},
		{member: "created", raw: `1e300`, wantErr: "created: timestamp 1e300 is out of range"},
		{member: "ended", raw: `true`, wantErr: "ended: expected a timestamp, found bool"},
		{member: "created", raw: `{}`, wantErr: "created: expected a timestamp, found object"},
		{member: "billingMinutes", raw: `[1]`, wantErr: "billingMinutes: expected a number, found array"},
		{member: "billingMinutes", raw: `1e400`, wantErr: "billingMinutes: 1e400 is not a number"},
		{member: "status", raw: `1`, wantErr: "status: expected a string, found number"},
	}
	for _, tt := range tests {
		got, err := decodeOne(tt.member, tt.raw)
		if tt.wantErr != "" {
			assert.ErrorContains(t, err, "testGridSessions[0]: "+tt.wantErr, "%s: %s", tt.member, tt.raw)
			continue
		}
		require.NoError(t, err, "%s: %s", tt.member, tt.raw)
		assert.Equal(t, tt.want, got, "%s: %s", tt.member, tt.raw)
	}
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
