package awsjson

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// jsonStringForTest encodes a string as encoding/json does.
func jsonStringForTest(b []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(b, q...)
}

func TestAppendSession(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 3, 1, 9, 30, 0, 250e6, time.UTC)
	compact := Layout{String: jsonStringForTest}
	tests := []struct {
		name string
		s    Session
		l    Layout
		want string
	}{
		{
			name: "all members, in the model's order",
			s:    Session{Arn: "a<b", Status: "CLOSED", Created: created, Ended: created.Add(90 * time.Second), BillingMinutes: 1.5, SeleniumProperties: `{"k":1}`},
			l:    compact,
			want: `{"arn":"a\u003cb","status":"CLOSED","created":1740821400.25,"ended":1740821490.25,"billingMinutes":1.5,"seleniumProperties":"{\"k\":1}"}`,
		},
		{
			name: "zero times and empty properties left out, empty arn and status kept",
			s:    Session{BillingMinutes: math.NaN()},
			l:    compact,
			want: `{"arn":"","status":"","billingMinutes":"NaN"}`,
		},
		{
			name: "empty arn and status left out on request",
			s:    Session{BillingMinutes: math.Inf(-1)},
			l:    Layout{String: jsonStringForTest, OmitEmptyStrings: true},
			want: `{"billingMinutes":"-Infinity"}`,
		},
		{
			name: "indented",
			s:    Session{Arn: "x", Status: "ACTIVE", Created: created},
			l:    Layout{String: jsonStringForTest, Indent: "\n  ", CloseIndent: "\n", NameSeparator: ": "},
			want: "{\n  \"arn\": \"x\",\n  \"status\": \"ACTIVE\",\n  \"created\": 1740821400.25,\n  \"billingMinutes\": 0\n}",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := string(AppendSession([]byte("x"), &tt.s, tt.l))
			assert.Equal(t, "x"+tt.want, got)
		})
	}
}

func TestAppendSession_TimesBefore1970TruncateTowardZero(t *testing.T) {
	t.Parallel()
	s := Session{Arn: "a", Status: "CLOSED", Created: time.Unix(-2, 765_400_000)} // -1.2346 s
	assert.Equal(t, `{"arn":"a","status":"CLOSED","created":-1.234,"billingMinutes":0}`,
		string(AppendSession(nil, &s, Layout{String: jsonStringForTest})))
}

func TestAppendDouble(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		f    float64
		want string
	}{
		{0, "0"},
		{61, "61"},
		{1.5, "1.5"},
		{-0.25, "-0.25"},
		{1e-7, "0.0000001"},
		{1e21, "1000000000000000000000"},
		{math.NaN(), `"NaN"`},
		{math.Inf(1), `"Infinity"`},
		{math.Inf(-1), `"-Infinity"`},
	} {
		got := AppendDouble(nil, tt.f)
		assert.Equal(t, tt.want, string(got), "%v", tt.f)
		if tt.want[0] == '"' {
			var s string
			if assert.NoError(t, json.Unmarshal(got, &s)) {
				back, err := ParseDoubleString(s)
				assert.NoError(t, err)
				assert.Equal(t, math.IsNaN(tt.f), math.IsNaN(back))
			}
			continue
		}
		back, err := ParseDouble(got)
		assert.NoError(t, err)
		assert.Equal(t, tt.f, back)
	}
}
