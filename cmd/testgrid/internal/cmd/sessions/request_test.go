package sessions

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// requestBodies decodes the JSON body of every request srv received.
func requestBodies(t *testing.T, srv *devicefarmtest.Server) []map[string]any {
	t.Helper()
	var bodies []map[string]any
	for _, r := range srv.Requests() {
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(r.Body))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&m), string(r.Body))
		bodies = append(bodies, m)
	}
	return bodies
}

func TestFiltersReachService(t *testing.T) {
	t.Parallel()
	createdBefore := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	endedBefore := time.Date(2025, 3, 5, 4, 30, 0, 500e6, time.UTC)
	tests := []struct {
		name    string
		args    []string
		members map[string]any // request members and their expected values
		keep    func(devicefarm.TestGridSession) bool
	}{
		{
			name:    "status",
			args:    []string{"--status", "closed"},
			members: map[string]any{"status": "CLOSED"},
			keep:    func(s devicefarm.TestGridSession) bool { return s.Status == devicefarm.TestGridSessionStatusClosed },
		},
		{
			name:    "created-after relative",
			args:    []string{"--created-after", "7d"},
			members: map[string]any{"creationTimeAfter": testNow.Add(-7 * 24 * time.Hour)},
			keep:    func(s devicefarm.TestGridSession) bool { return s.Created.After(testNow.Add(-7 * 24 * time.Hour)) },
		},
		{
			name:    "created-before date",
			args:    []string{"--created-before", "2025-03-01"},
			members: map[string]any{"creationTimeBefore": createdBefore},
			keep:    func(s devicefarm.TestGridSession) bool { return s.Created.Before(createdBefore) },
		},
		{
			name:    "ended-after relative",
			args:    []string{"--ended-after", "36h"},
			members: map[string]any{"endTimeAfter": testNow.Add(-36 * time.Hour)},
			keep: func(s devicefarm.TestGridSession) bool {
				return !s.Ended.IsZero() && s.Ended.After(testNow.Add(-36*time.Hour))
			},
		},
		{
			name:    "ended-before RFC 3339 with offset",
			args:    []string{"--ended-before", "2025-03-05T06:30:00.5+02:00"},
			members: map[string]any{"endTimeBefore": endedBefore},
			keep:    func(s devicefarm.TestGridSession) bool { return !s.Ended.IsZero() && s.Ended.Before(endedBefore) },
		},
		{
			name: "all together",
			args: []string{"--status", "CLOSED", "--created-after", "2w", "--created-before", "2d", "--ended-after", "13d", "--ended-before", "1d"},
			members: map[string]any{
				"status":             "CLOSED",
				"creationTimeAfter":  testNow.Add(-14 * 24 * time.Hour),
				"creationTimeBefore": testNow.Add(-2 * 24 * time.Hour),
				"endTimeAfter":       testNow.Add(-13 * 24 * time.Hour),
				"endTimeBefore":      testNow.Add(-1 * 24 * time.Hour),
			},
			keep: func(s devicefarm.TestGridSession) bool {
				return s.Status == devicefarm.TestGridSessionStatusClosed &&
					s.Created.After(testNow.Add(-14*24*time.Hour)) && s.Created.Before(testNow.Add(-2*24*time.Hour)) &&
					s.Ended.After(testNow.Add(-13*24*time.Hour)) && s.Ended.Before(testNow.Add(-1*24*time.Hour))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			all := srv.Seed(testProject, 300, 11)
			var want []devicefarm.TestGridSession
			for _, s := range all {
				if tt.keep(s) {
					want = append(want, s)
				}
			}
			require.NotEmpty(t, want, "the filter must keep some sessions")
			require.Less(t, len(want), len(all), "the filter must drop some sessions")

			r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, append(tt.args, "--output", "ndjson", "--page-size", "1000")...)...)
			require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
			assert.Equal(t, ids(want), ndjsonIDs(t, r.stdout))

			bodies := requestBodies(t, srv)
			require.Len(t, bodies, 1)
			body := bodies[0]
			assert.Equal(t, testProject, body["projectArn"])
			for member, v := range tt.members {
				switch v := v.(type) {
				case time.Time:
					n, ok := body[member].(json.Number)
					if assert.True(t, ok, "%s: %v", member, body[member]) {
						f, err := n.Float64()
						require.NoError(t, err)
						assert.InDelta(t, epochSeconds(v), f, 1e-6, member)
					}
				default:
					assert.Equal(t, v, body[member], member)
				}
			}
			for _, member := range []string{"status", "creationTimeAfter", "creationTimeBefore", "endTimeAfter", "endTimeBefore"} {
				if _, want := tt.members[member]; !want {
					assert.NotContains(t, body, member, "unset filters are not sent")
				}
			}
		})
	}
}

func TestPaging(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	all := srv.Seed(testProject, 50, 3)
	r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--page-size", "7", "--output", "ndjson")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Equal(t, ids(all), ndjsonIDs(t, r.stdout), "every session once, in order")

	bodies := requestBodies(t, srv)
	require.Len(t, bodies, 8)
	for i, b := range bodies {
		assert.Equal(t, json.Number("7"), b["maxResult"], "request %d", i)
		if i == 0 {
			assert.NotContains(t, b, "nextToken")
		} else {
			assert.NotEmpty(t, b["nextToken"], "request %d", i)
		}
	}

	// Without --page-size, the service chooses (the fake: 50 per page).
	srv.ResetRequests()
	r = runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--output", "ndjson")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Len(t, lines(r.stdout), 50)
	bodies = requestBodies(t, srv)
	require.Len(t, bodies, 1)
	assert.NotContains(t, bodies[0], "maxResult")
}

func TestMaxItems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args         []string
		wantSessions int
		wantRequests int
	}{
		{[]string{"--max-items", "10", "--page-size", "7"}, 10, 2},
		{[]string{"--max-items", "7", "--page-size", "7"}, 7, 1},
		{[]string{"--max-items", "3"}, 3, 1},
		{[]string{"--max-items", "49", "--page-size", "7"}, 49, 7},
		{[]string{"--max-items", "1000", "--page-size", "7"}, 50, 8},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			for _, format := range output.Formats {
				srv := newServer(t)
				all := srv.Seed(testProject, 50, 5)
				r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, append(tt.args, "--output", format)...)...)
				require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
				assert.Len(t, srv.Requests(), tt.wantRequests, "no page is fetched after the last item (%s)", format)
				switch format {
				case output.FormatNDJSON:
					assert.Equal(t, ids(all[:tt.wantSessions]), ndjsonIDs(t, r.stdout))
				case output.FormatJSON:
					assert.Len(t, decodeJSONDocument(t, r.stdout), tt.wantSessions)
				case output.FormatCSV:
					assert.Len(t, decodeCSV(t, r.stdout), tt.wantSessions)
				case output.FormatTable:
					l := lines(r.stdout)
					assert.Len(t, l, tt.wantSessions+2)
					assert.True(t, strings.HasPrefix(l[len(l)-1], strconv.Itoa(tt.wantSessions)+" sessions, "), l[len(l)-1])
				}
			}
		})
	}
}
