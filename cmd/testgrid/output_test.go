package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
)

const testSessionPrefix = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:7d3f6a2e/"

// fixedSessions are three sessions with known values: closed, active and
// errored.
func fixedSessions() []devicefarm.TestGridSession {
	created := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	return []devicefarm.TestGridSession{
		{
			Arn:                testSessionPrefix + "s-closed",
			Status:             devicefarm.TestGridSessionStatusClosed,
			Created:            created,
			Ended:              created.Add(12*time.Minute + 30*time.Second + 250*time.Millisecond),
			BillingMinutes:     12.5,
			SeleniumProperties: `{"browserName":"chrome","browserVersion":"131"}`,
		},
		{
			Arn:     testSessionPrefix + "s-active",
			Status:  devicefarm.TestGridSessionStatusActive,
			Created: created.Add(time.Hour),
		},
		{
			Arn:                testSessionPrefix + "s-errored",
			Status:             devicefarm.TestGridSessionStatusErrored,
			Created:            created.Add(2 * time.Hour),
			Ended:              created.Add(3*time.Hour + 5*time.Second),
			BillingMinutes:     61,
			SeleniumProperties: "not json <&>",
		},
	}
}

func writeAll(t *testing.T, format string, pages ...[]devicefarm.TestGridSession) string {
	t.Helper()
	var buf bytes.Buffer
	w := newSessionWriter(format, &buf)
	for _, p := range pages {
		require.NoError(t, w.WritePage(p))
	}
	require.NoError(t, w.Close())
	return buf.String()
}

func TestTableOutput(t *testing.T) {
	t.Parallel()
	s := fixedSessions()
	got := writeAll(t, formatTable, s[:2], s[2:])
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
	assert.Empty(t, writeAll(t, formatTable))
	assert.Equal(t, "SESSION ID  STATUS  CREATED  ENDED  DURATION  BILLING MIN\n0 sessions, 0 billing minutes\n",
		writeAll(t, formatTable, nil))

	// One session; NaN minutes are shown but not added; control
	// characters cannot break the row or reach the terminal: they are
	// shown escaped.
	got := writeAll(t, formatTable, []devicefarm.TestGridSession{
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

	one := writeAll(t, formatTable, fixedSessions()[1:2])
	assert.True(t, strings.HasSuffix(one, "\n1 session, 0 billing minutes\n"), one)
}

// jsonSession mirrors sessionRecord for decoding output in tests.
type jsonSession struct {
	Arn                string          `json:"arn"`
	ID                 string          `json:"id"`
	Status             string          `json:"status"`
	Created            *time.Time      `json:"created"`
	Ended              *time.Time      `json:"ended"`
	DurationSeconds    *float64        `json:"durationSeconds"`
	BillingMinutes     *float64        `json:"billingMinutes"`
	SeleniumProperties json.RawMessage `json:"seleniumProperties"`
}

// assertSameSession checks that a decoded JSON session represents s.
func assertSameSession(t *testing.T, s devicefarm.TestGridSession, got jsonSession) {
	t.Helper()
	assert.Equal(t, s.Arn, got.Arn)
	assert.Equal(t, s.ID(), got.ID)
	assert.Equal(t, string(s.Status), got.Status)
	if assert.NotNil(t, got.Created, s.Arn) {
		assert.True(t, s.Created.Equal(*got.Created), "%s created %v != %v", s.Arn, got.Created, s.Created)
	}
	if s.Ended.IsZero() {
		assert.Nil(t, got.Ended, s.Arn)
		assert.Nil(t, got.DurationSeconds, s.Arn)
	} else if assert.NotNil(t, got.Ended, s.Arn) && assert.NotNil(t, got.DurationSeconds, s.Arn) {
		assert.True(t, s.Ended.Equal(*got.Ended), "%s ended %v != %v", s.Arn, got.Ended, s.Ended)
		assert.InDelta(t, s.Duration().Seconds(), *got.DurationSeconds, 1e-9, s.Arn)
	}
	if assert.NotNil(t, got.BillingMinutes, s.Arn) {
		assert.Equal(t, s.BillingMinutes, *got.BillingMinutes, s.Arn)
	}
	switch props := strings.TrimSpace(s.SeleniumProperties); {
	case props == "":
		assert.Empty(t, got.SeleniumProperties, s.Arn)
	case json.Valid([]byte(props)) && props[0] == '{':
		assert.JSONEq(t, props, string(got.SeleniumProperties), s.Arn)
	default:
		var text string
		require.NoError(t, json.Unmarshal(got.SeleniumProperties, &text), s.Arn)
		assert.Equal(t, s.SeleniumProperties, text, s.Arn)
	}
}

func decodeJSONDocument(t *testing.T, out string) []jsonSession {
	t.Helper()
	sessions, _ := decodeJSONDocumentToken(t, out)
	return sessions
}

// decodeJSONDocumentToken decodes a json document and returns its sessions
// and its nextToken ("" when absent).
func decodeJSONDocumentToken(t *testing.T, out string) ([]jsonSession, string) {
	t.Helper()
	doc := decodeStrict[struct {
		Sessions  []jsonSession `json:"sessions"`
		NextToken *string       `json:"nextToken"`
	}](t, out)
	require.NotNil(t, doc.Sessions, out)
	if doc.NextToken == nil {
		return doc.Sessions, ""
	}
	require.NotEmpty(t, *doc.NextToken, "nextToken is left out, never empty")
	return doc.Sessions, *doc.NextToken
}

func decodeNDJSON(t *testing.T, out string) []jsonSession {
	t.Helper()
	var list []jsonSession
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		list = append(list, decodeStrict[jsonSession](t, sc.Text()))
	}
	require.NoError(t, sc.Err())
	return list
}

func decodeCSV(t *testing.T, out string) []devicefarm.TestGridSession {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err, out)
	require.NotEmpty(t, rows, "header row")
	require.Equal(t, csvHeader, rows[0])
	var list []devicefarm.TestGridSession
	for _, r := range rows[1:] {
		s := devicefarm.TestGridSession{Arn: r[0], Status: devicefarm.TestGridSessionStatus(r[2]), SeleniumProperties: r[7]}
		assert.Equal(t, s.ID(), r[1])
		var err error
		s.Created, err = time.Parse(time.RFC3339Nano, r[3])
		require.NoError(t, err)
		if r[4] != "" {
			s.Ended, err = time.Parse(time.RFC3339Nano, r[4])
			require.NoError(t, err)
			assert.Equal(t, formatFloat(s.Duration().Seconds()), r[5])
		} else {
			assert.Empty(t, r[5])
		}
		var perr error
		s.BillingMinutes, perr = parseFloat(r[6])
		require.NoError(t, perr)
		list = append(list, s)
	}
	return list
}

func TestJSONOutput(t *testing.T) {
	t.Parallel()
	s := fixedSessions()
	out := writeAll(t, formatJSON, s[:1], nil, s[1:])
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

	assert.Empty(t, writeAll(t, formatJSON), "no page: nothing")
	assert.Equal(t, "{\"sessions\":[]}\n", writeAll(t, formatJSON, nil))
}

func TestNDJSONOutput(t *testing.T) {
	t.Parallel()
	s := fixedSessions()
	out := writeAll(t, formatNDJSON, s[:2], s[2:])
	got := decodeNDJSON(t, out)
	require.Len(t, got, len(s))
	for i := range s {
		assertSameSession(t, s[i], got[i])
	}
	assert.Empty(t, writeAll(t, formatNDJSON, nil))
}

func TestCSVOutput(t *testing.T) {
	t.Parallel()
	s := fixedSessions()
	s[0].SeleniumProperties = "{\"a\": \"x,y\",\n \"b\": \"\\\"q\\\"\"}"
	out := writeAll(t, formatCSV, s[:1], s[1:])
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
	assert.Empty(t, writeAll(t, formatCSV))
	assert.Equal(t, strings.Join(csvHeader, ",")+"\n", writeAll(t, formatCSV, nil))
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
		out := writeAll(t, formatNDJSON, []devicefarm.TestGridSession{{Arn: testSessionPrefix + "x", SeleniumProperties: tt.props}})
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
	out := writeAll(t, formatJSON, pages)
	assert.Equal(t, 2, strings.Count(out, `"billingMinutes":null`), out)
	csvOut := writeAll(t, formatCSV, pages)
	assert.Contains(t, csvOut, ",NaN,")
	assert.Contains(t, csvOut, ",'+Inf,", "a cell starting with + is neutralised, even a number")
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterErrors(t *testing.T) {
	t.Parallel()
	for _, format := range formats {
		w := newSessionWriter(format, errWriter{})
		err := w.WritePage(fixedSessions())
		if format == formatTable {
			require.NoError(t, err, "the table is written by Close")
		}
		if err == nil {
			err = w.Close()
		}
		assert.ErrorContains(t, err, "disk full", format)
	}
}

func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
