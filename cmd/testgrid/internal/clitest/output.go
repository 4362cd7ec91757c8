package clitest

// This file holds the sessions the output tests write and the readers of
// what the commands print.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// Lines splits output into lines, without the final newline.
func Lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// DecodeStrict decodes text, which must hold one JSON value, into a T,
// refusing members that T does not have.
func DecodeStrict[T any](t *testing.T, text string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&v), text)
	require.False(t, dec.More(), "one JSON value only: %s", text)
	return v
}

// SyncBuffer is a bytes.Buffer safe for concurrent writers and readers.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// SessionPrefix begins the ARNs of the sessions that output tests write by
// hand: a session of the demo's project.
const SessionPrefix = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:7d3f6a2e/"

// IDs returns the session IDs of list, in order.
func IDs(list []devicefarm.TestGridSession) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.ID()
	}
	return out
}

// FixedSessions are three sessions with known values: closed, active and
// errored.
func FixedSessions() []devicefarm.TestGridSession {
	created := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	return []devicefarm.TestGridSession{
		{
			Arn:                SessionPrefix + "s-closed",
			Status:             devicefarm.TestGridSessionStatusClosed,
			Created:            created,
			Ended:              created.Add(12*time.Minute + 30*time.Second + 250*time.Millisecond),
			BillingMinutes:     12.5,
			SeleniumProperties: `{"browserName":"chrome","browserVersion":"131"}`,
		},
		{
			Arn:     SessionPrefix + "s-active",
			Status:  devicefarm.TestGridSessionStatusActive,
			Created: created.Add(time.Hour),
		},
		{
			Arn:                SessionPrefix + "s-errored",
			Status:             devicefarm.TestGridSessionStatusErrored,
			Created:            created.Add(2 * time.Hour),
			Ended:              created.Add(3*time.Hour + 5*time.Second),
			BillingMinutes:     61,
			SeleniumProperties: "not json <&>",
		},
	}
}

// ErrWriter fails every write.
type ErrWriter struct{}

// Write fails with "disk full".
func (ErrWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// JSONSession mirrors a session of the json and ndjson outputs for decoding output in tests.
type JSONSession struct {
	Arn                string          `json:"arn"`
	ID                 string          `json:"id"`
	Status             string          `json:"status"`
	Created            *time.Time      `json:"created"`
	Ended              *time.Time      `json:"ended"`
	DurationSeconds    *float64        `json:"durationSeconds"`
	BillingMinutes     *float64        `json:"billingMinutes"`
	SeleniumProperties json.RawMessage `json:"seleniumProperties"`
}

// AssertSameSession checks that a decoded JSON session represents s.
func AssertSameSession(t *testing.T, s devicefarm.TestGridSession, got JSONSession) {
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

// DecodeJSONDocument decodes a json document and returns its sessions.
func DecodeJSONDocument(t *testing.T, out string) []JSONSession {
	t.Helper()
	sessions, _ := DecodeJSONDocumentToken(t, out)
	return sessions
}

// DecodeJSONDocumentToken decodes a json document and returns its sessions
// and its nextToken ("" when absent).
func DecodeJSONDocumentToken(t *testing.T, out string) ([]JSONSession, string) {
	t.Helper()
	doc := DecodeStrict[struct {
		Sessions  []JSONSession `json:"sessions"`
		NextToken *string       `json:"nextToken"`
	}](t, out)
	require.NotNil(t, doc.Sessions, out)
	if doc.NextToken == nil {
		return doc.Sessions, ""
	}
	require.NotEmpty(t, *doc.NextToken, "nextToken is left out, never empty")
	return doc.Sessions, *doc.NextToken
}

// DecodeNDJSON decodes ndjson output, one session a line.
func DecodeNDJSON(t *testing.T, out string) []JSONSession {
	t.Helper()
	var list []JSONSession
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		list = append(list, DecodeStrict[JSONSession](t, sc.Text()))
	}
	require.NoError(t, sc.Err())
	return list
}

// DecodeCSV decodes csv output into sessions, checking the header row and
// each derived column.
func DecodeCSV(t *testing.T, out string) []devicefarm.TestGridSession {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err, out)
	require.NotEmpty(t, rows, "header row")
	require.Equal(t, []string{"arn", "id", "status", "created", "ended", "durationSeconds", "billingMinutes", "seleniumProperties"}, rows[0])
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
			assert.Equal(t, strconv.FormatFloat(s.Duration().Seconds(), 'f', -1, 64), r[5])
		} else {
			assert.Empty(t, r[5])
		}
		var perr error
		s.BillingMinutes, perr = strconv.ParseFloat(r[6], 64)
		require.NoError(t, perr)
		list = append(list, s)
	}
	return list
}

// AssertDirHolds asserts that dir holds exactly the file name: no
// temporary file is left behind.
func AssertDirHolds(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{name}, names)
}

// StopEarly is a way for a listing to stop before its end, for tests of
// what is left behind: Arm sets it up on the server, the environment and
// the context's cancel function; Code is the exit code it gives.
type StopEarly struct {
	Name string
	Code int
	Arm  func(srv *devicefarmtest.Server, e *cmdutil.Env, cancel context.CancelFunc)
}

// StopEarlyCases are a service error on the second request and Ctrl-C
// after the first page (listings of more than one page).
func StopEarlyCases() []StopEarly {
	return []StopEarly{
		{"service error", cmdutil.ExitFailure, func(srv *devicefarmtest.Server, _ *cmdutil.Env, _ context.CancelFunc) {
			srv.Inject(devicefarmtest.Match{Nth: 2}, devicefarmtest.AccessDenied())
		}},
		{"interrupted", cmdutil.ExitInterrupted, func(_ *devicefarmtest.Server, e *cmdutil.Env, cancel context.CancelFunc) {
			e.AfterPage = func(pages, _ int) {
				if pages == 1 {
					cancel() // as the Ctrl-C handler does
				}
			}
		}},
	}
}
