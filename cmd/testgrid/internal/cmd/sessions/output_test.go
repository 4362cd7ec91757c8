package sessions

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

func ndjsonIDs(t *testing.T, out string) []string {
	t.Helper()
	var got []string
	for _, s := range decodeNDJSON(t, out) {
		got = append(got, s.ID)
	}
	return got
}

// epochSeconds is t as the wire sends it: seconds, milliseconds truncated.
func epochSeconds(t time.Time) float64 { return float64(t.UnixMilli()) / 1e3 }

func TestOutputFormatsEndToEnd(t *testing.T) {
	t.Parallel()
	for _, format := range output.Formats {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			want := srv.Seed(testProject, 50, 7)
			r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--page-size", "7", "--output", format)...)
			require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
			assert.Empty(t, r.stderr)
			assert.Len(t, srv.Requests(), 8, "50 sessions in pages of 7")

			switch format {
			case output.FormatJSON, output.FormatNDJSON:
				var got []jsonSession
				if format == output.FormatJSON {
					got = decodeJSONDocument(t, r.stdout)
				} else {
					got = decodeNDJSON(t, r.stdout)
				}
				require.Len(t, got, len(want))
				for i := range want {
					assertSameSession(t, want[i], got[i])
				}
			case output.FormatCSV:
				got := decodeCSV(t, r.stdout)
				require.Len(t, got, len(want))
				for i := range want {
					assert.Equal(t, want[i].Arn, got[i].Arn)
					assert.Equal(t, want[i].Status, got[i].Status)
					assert.True(t, want[i].Created.Equal(got[i].Created), want[i].Arn)
					assert.True(t, want[i].Ended.Equal(got[i].Ended), want[i].Arn)
					assert.Equal(t, want[i].BillingMinutes, got[i].BillingMinutes)
					assert.Equal(t, want[i].SeleniumProperties, got[i].SeleniumProperties)
				}
			case output.FormatTable:
				l := lines(r.stdout)
				require.Len(t, l, 1+len(want)+1, r.stdout)
				assert.Regexp(t, `^SESSION ID +STATUS +CREATED +ENDED +DURATION +BILLING MIN$`, l[0])
				total := 0.0
				for i, s := range want {
					fields := strings.Fields(l[1+i])
					require.Len(t, fields, 6, l[1+i])
					assert.Equal(t, s.ID(), fields[0])
					assert.Equal(t, string(s.Status), fields[1])
					assert.Equal(t, s.Created.UTC().Format(output.TableTime), fields[2])
					if s.Ended.IsZero() {
						assert.Equal(t, []string{"-", "-"}, fields[3:5])
					} else {
						assert.Equal(t, s.Ended.UTC().Format(output.TableTime), fields[3])
						assert.Equal(t, s.Duration().Round(time.Second).String(), fields[4])
					}
					assert.Equal(t, output.FormatFloat(s.BillingMinutes), fields[5])
					total += s.BillingMinutes
				}
				assert.Equal(t, fmt.Sprintf("50 sessions, %s billing minutes", output.FormatFloat(math.Round(total*100)/100)), l[len(l)-1])
			}
		})
	}
}

func TestTableEndToEnd(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddSessions(testProject, fixedSessions()...)
	r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv)...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Equal(t, ""+
		"SESSION ID  STATUS   CREATED               ENDED                 DURATION  BILLING MIN\n"+
		"s-closed    CLOSED   2025-03-01T09:30:00Z  2025-03-01T09:42:30Z  12m30s    12.5\n"+
		"s-active    ACTIVE   2025-03-01T10:30:00Z  -                     -         0\n"+
		"s-errored   ERRORED  2025-03-01T11:30:00Z  2025-03-01T12:30:05Z  1h0m5s    61\n"+
		"3 sessions, 73.5 billing minutes\n", r.stdout)
	assert.Empty(t, r.stderr)
}

func TestEmptyListing(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddProject(devicefarmtest.Project{Arn: testProject})
	want := map[string]string{
		output.FormatTable:   "SESSION ID  STATUS  CREATED  ENDED  DURATION  BILLING MIN\n0 sessions, 0 billing minutes\n",
		output.FormatJSON:    "{\"sessions\":[]}\n",
		output.FormatNDJSON:  "",
		output.FormatCSV:     strings.Join(output.CSVHeader, ",") + "\n",
		output.FormatAWSJSON: "{\n    \"testGridSessions\": []\n}\n",
	}
	for _, format := range output.Formats {
		r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--output", format)...)
		require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
		assert.Equal(t, want[format], r.stdout, format)
	}
}
