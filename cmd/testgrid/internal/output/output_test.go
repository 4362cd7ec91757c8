package output

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
)

func writeAll(t *testing.T, format string, pages ...[]devicefarm.TestGridSession) string {
	t.Helper()
	var buf bytes.Buffer
	w := NewSessionWriter(format, &buf)
	for _, p := range pages {
		require.NoError(t, w.WritePage(p))
	}
	require.NoError(t, w.Close())
	return buf.String()
}

func TestTableOutput(t *testing.T) {
	t.Parallel()
	s := fixedSessions()
	got := writeAll(t, FormatTable, s[:2], s[2:])
	want := "" +
		"SESSION ID  STATUS   CREATED               ENDED                 DURATION  BILLING MIN\n" +
		"s-closed    CLOSED   2025-03-01T09:30:00Z  2025-03-01T09:42:30Z  12m30s    12.5\n" +
		"s-active    ACTIVE   2025-03-01T10:30:00Z  -                     -         0\n" +
		"s-errored   ERRORED  2025-03-01T11:30:00Z  2025-03-01T12:30:05Z  1h0m5s    61\n" +
		"3 sessions, 73.5 billing minutes\n"
	assert.Equal(t, want, got)
}

func TestTableOutputEdgeCases(t *testing.T) {
	t.Parallel()
	// No page at all: nothing. An empty page: header and a zero total.
	assert.Empty(t, writeAll(t, FormatTable))
	assert.Equal(t, "SESSION ID  STATUS  CREATED  ENDED  DURATION  BILLING MIN\n0 sessions, 0 billing minutes\n",
		writeAll(t, FormatTable, nil))

	// One session; NaN minutes are shown but not added; control
	// characters cannot break the row or reach the terminal: they are
	// shown escaped.
	got := writeAll(t, FormatTable, []devicefarm.TestGridSession{
		{Arn: testSessionPrefix + "a\tb\x1b[31m", Status: "NEW\nSTATE", BillingMinutes: math.NaN()},
		{Arn: testSessionPrefix + "x", Status: devicefarm.TestGridSessionStatusClosed, BillingMinutes: 0.1},
		{Arn: testSessionPrefix + "y", Status: devicefarm.TestGridSessionStatusClosed, BillingMinutes: 0.2},
	})
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	require.Len(t, lines, 5, got)
	assert.NotContains(t, got, "\x1b")
	assert.NotContains(t, got, "\t")
	assert.Contains(t, lines[1], `a\tb\x1b[31m`)
	assert.Contains(t, lines[1], `NEW\nSTATE`)
	assert.Contains(t, lines[1], "NaN")
	assert.Equal(t, "3 sessions, 0.3 billing minutes", lines[4])

	one := writeAll(t, FormatTable, fixedSessions()[1:2])
	assert.True(t, strings.HasSuffix(one, "\n1 session, 0 billing minutes\n"), one)
}

func TestJSONOutput(t *testing.T) {
	t.Parallel()
	s := fixedSessions()
	out := writeAll(t, FormatJSON, s[:1], nil, s[1:])
	got := decodeJSONDocument(t, out)
	require.Len(t, got, len(s))
	for i := range s {
		assertSameSession(t, s[i], got[i])
	}
	// One session per line, between the opening and the closing line.
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.Equal(t, `{"sessions":[`, lines[0])
	assert.Equal(t, `]}`, lines[len(lines)-1])
	assert.Len(t, lines, len(s)+2)
	// Not HTML-escaped; times in UTC with their fraction; embedded object.
	assert.Contains(t, out, `"seleniumProperties":"not json <&>"`)
	assert.Contains(t, out, `"created":"2025-03-01T09:30:00Z","ended":"2025-03-01T09:42:30.25Z","durationSeconds":750.25,"billingMinutes":12.5,"seleniumProperties":{"browserName":"chrome","browserVersion":"131"}`)
	assert.NotContains(t, lines[2], `"ended"`, "active session")

	assert.Empty(t, writeAll(t, FormatJSON), "no page: nothing")
	assert.Equal(t, "{\"sessions\":[]}\n", writeAll(t, FormatJSON, nil))
}

func TestNDJSONOutput(t *testing.T) {
	t.Parallel()
	s := fixedSessions()
	out := writeAll(t, FormatNDJSON, s[:2], s[2:])
	got := decodeNDJSON(t, out)
	require.Len(t, got, len(s))
	for i := range s {
		assertSameSession(t, s[i], got[i])
	}
	assert.Empty(t, writeAll(t, FormatNDJSON, nil))
}

func TestCSVOutput(t *testing.T) {
	t.Parallel()
	s := fixedSessions()
	s[0].SeleniumProperties = "{\"a\": \"x,y\",\n \"b\": \"\\\"q\\\"\"}"
	out := writeAll(t, FormatCSV, s[:1], s[1:])
	got := decodeCSV(t, out)
	require.Len(t, got, len(s))
	for i := range s {
		assert.Equal(t, s[i].Arn, got[i].Arn)
		assert.Equal(t, s[i].Status, got[i].Status)
		assert.True(t, s[i].Created.Equal(got[i].Created))
		assert.True(t, s[i].Ended.Equal(got[i].Ended))
		assert.Equal(t, s[i].BillingMinutes, got[i].BillingMinutes)
		assert.Equal(t, s[i].SeleniumProperties, got[i].SeleniumProperties)
	}
	assert.Empty(t, writeAll(t, FormatCSV))
	assert.Equal(t, strings.Join(CSVHeader, ",")+"\n", writeAll(t, FormatCSV, nil))
}

func TestSeleniumPropertiesEncoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		props string
		want  string // the member in the ndjson line; "" for absent
	}{
		{"", ""},
		{"   ", ""},
		{`{"a":1}`, `"seleniumProperties":{"a":1}`},
		{"{\n  \"a\": [1, 2],\n  \"b\": {\"c\": \"<d>\"}\n}", `"seleniumProperties":{"a":[1,2],"b":{"c":"<d>"}}`},
		{`[1,2]`, `"seleniumProperties":"[1,2]"`},
		{`"text"`, `"seleniumProperties":"\"text\""`},
		{`{"a":`, `"seleniumProperties":"{\"a\":"`},
		{`null`, `"seleniumProperties":"null"`},
	}
	for _, tt := range tests {
		out := writeAll(t, FormatNDJSON, []devicefarm.TestGridSession{{Arn: testSessionPrefix + "x", SeleniumProperties: tt.props}})
		assert.Equal(t, 1, strings.Count(out, "\n"), "one line for %q", tt.props)
		if tt.want == "" {
			assert.NotContains(t, out, "seleniumProperties", tt.props)
		} else {
			assert.Contains(t, out, tt.want, tt.props)
		}
	}
}

func TestNonFiniteBillingMinutes(t *testing.T) {
	t.Parallel()
	pages := []devicefarm.TestGridSession{
		{Arn: testSessionPrefix + "nan", BillingMinutes: math.NaN()},
		{Arn: testSessionPrefix + "inf", BillingMinutes: math.Inf(1)},
	}
	out := writeAll(t, FormatJSON, pages)
	assert.Equal(t, 2, strings.Count(out, `"billingMinutes":null`), out)
	csvOut := writeAll(t, FormatCSV, pages)
	assert.Contains(t, csvOut, ",NaN,")
	assert.Contains(t, csvOut, ",'+Inf,", "a cell starting with + is neutralised, even a number")
}

func TestWriterErrors(t *testing.T) {
	t.Parallel()
	for _, format := range Formats {
		w := NewSessionWriter(format, errWriter{})
		err := w.WritePage(fixedSessions())
		if format == FormatTable {
			require.NoError(t, err, "the table is written by Close")
		}
		if err == nil {
			err = w.Close()
		}
		assert.ErrorContains(t, err, "disk full", format)
	}
}
