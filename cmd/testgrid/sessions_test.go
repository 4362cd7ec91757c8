package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/awsclient"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listflags"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listing"
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

func TestServiceErrorNotFound(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed("arn:aws:devicefarm:us-west-2:111122223333:testgrid-project:another-project-0000", 5, 1)
	r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--output", "json")...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Empty(t, r.stdout, "nothing arrived, so nothing is written")
	line := requireOneErrorLine(t, r)
	reqs := srv.Requests()
	require.Len(t, reqs, 1, "NotFoundException is not retried")
	assert.Contains(t, line, "testgrid: NotFoundException: ")
	assert.Contains(t, line, "(HTTP 400 Bad Request, request id "+reqs[0].RequestID+")")
	assert.NotEmpty(t, reqs[0].RequestID)
	assert.NotContains(t, line, "--help")
	assert.NotContains(t, r.stderr, srv.Options().SecretAccessKey)
}

func TestServiceErrorThrottlingExhaustsRetries(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 20, 1)
	srv.Inject(devicefarmtest.Match{Times: 3}, devicefarmtest.Throttling())
	r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv)...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Empty(t, r.stdout)
	line := requireOneErrorLine(t, r)
	reqs := srv.Requests()
	require.Len(t, reqs, 3, "three attempts")
	assert.Equal(t, "testgrid: ThrottlingException: Rate exceeded (HTTP 400 Bad Request, request id "+reqs[2].RequestID+", after 3 attempts)", line)
}

func TestServiceErrorThrottlingRecovers(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	all := srv.Seed(testProject, 20, 1)
	srv.Inject(devicefarmtest.Match{Times: 2}, devicefarmtest.Throttling())
	r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--output", "ndjson")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Equal(t, ids(all), ndjsonIDs(t, r.stdout))
	assert.Empty(t, r.stderr)
}

func TestNetworkError(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Close() // nothing listens at srv.URL any more
	r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv)...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Empty(t, r.stdout)
	line := requireOneErrorLine(t, r)
	assert.Contains(t, line, "testgrid: connection error: no response: ")
	assert.Contains(t, line, "connection refused (after 3 attempts)")
	assert.Contains(t, line, strings.TrimPrefix(srv.URL, "http://"))
}

func TestFaultsGiveOneErrorLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault devicefarmtest.Fault
		want  string
	}{
		{devicefarmtest.Fault{Kind: devicefarmtest.FaultMalformedBody}, "(HTTP 200 OK, request id "},
		{devicefarmtest.Fault{Kind: devicefarmtest.FaultTruncatedBody}, "(HTTP 200 OK, request id "},
		{devicefarmtest.Fault{Kind: devicefarmtest.FaultHTML}, "(HTTP 502 Bad Gateway, request id "},
		{devicefarmtest.Fault{Kind: devicefarmtest.FaultCloseBeforeResponse}, "connection error: no response: "},
		{devicefarmtest.Fault{Kind: devicefarmtest.FaultCloseMidBody}, "connection error: response body cut off: unexpected EOF (HTTP 200 OK, request id "},
		{devicefarmtest.Fault{Kind: devicefarmtest.FaultOversizedBody, Size: 4096}, "size limit"},
		{devicefarmtest.InternalError(), "InternalServiceException: "},
		{devicefarmtest.ServiceUnavailable(), "ServiceUnavailableException"},
		{devicefarmtest.AccessDenied(), "AccessDeniedException"},
	}
	for _, tt := range tests {
		t.Run(tt.fault.Kind.String()+" "+tt.fault.Code, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.Seed(testProject, 5, 1)
			srv.Inject(devicefarmtest.Match{Times: 3}, tt.fault)
			e := awsEnv(srv)
			e.ClientOptions = append(e.ClientOptions, func(o *devicefarm.Options) { o.MaxResponseBytes = 2048 })
			r := runTestgrid(t.Context(), e, listArgs(srv, "--output", "json")...)
			assert.Equal(t, cmdutil.ExitFailure, r.code)
			assert.Empty(t, r.stdout)
			line := requireOneErrorLine(t, r)
			assert.Contains(t, line, tt.want)
		})
	}
}

func TestErrorAfterFirstPageKeepsOutputValid(t *testing.T) {
	t.Parallel()
	for _, format := range output.Formats {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			all := srv.Seed(testProject, 30, 2)
			e := awsEnv(srv)
			e.AfterPage = func(pages, _ int) {
				if pages == 1 {
					srv.Inject(devicefarmtest.Match{}, devicefarmtest.AccessDenied())
				}
			}
			r := runTestgrid(t.Context(), e, listArgs(srv, "--page-size", "10", "--output", format)...)
			assert.Equal(t, cmdutil.ExitFailure, r.code)
			line := requireErrorLineAndToken(t, r, format)
			assert.Contains(t, line, "AccessDeniedException")
			switch format {
			case output.FormatJSON:
				got := decodeJSONDocument(t, r.stdout)
				require.Len(t, got, 10)
				assertSameSession(t, all[9], got[9])
			case output.FormatNDJSON:
				assert.Equal(t, ids(all[:10]), ndjsonIDs(t, r.stdout))
			case output.FormatCSV:
				assert.Len(t, decodeCSV(t, r.stdout), 10)
			case output.FormatTable:
				l := lines(r.stdout)
				assert.Len(t, l, 12)
				assert.Equal(t, "10 sessions", strings.Split(l[11], ",")[0])
			}
		})
	}
}

func TestCredentialsNeverPrinted(t *testing.T) {
	t.Parallel()
	const token = "SESSION-TOKEN-sekrit-123"
	srv := newServer(t, func(o *devicefarmtest.Options) { o.SessionToken = "the-right-token" })
	srv.Seed(testProject, 5, 1)
	opts := srv.Options()
	for _, creds := range []aws.Credentials{
		{AccessKeyID: opts.AccessKeyID, SecretAccessKey: "wrong-secret-abcdef", SessionToken: opts.SessionToken},
		{AccessKeyID: opts.AccessKeyID, SecretAccessKey: opts.SecretAccessKey, SessionToken: token},
	} {
		e := awsEnv(srv)
		e.LoadOptions = []func(*config.LoadOptions) error{config.WithCredentialsProvider(aws.CredentialsProviderFunc(
			func(context.Context) (aws.Credentials, error) { return creds, nil }))}
		r := runTestgrid(t.Context(), e, listArgs(srv)...)
		assert.Equal(t, cmdutil.ExitFailure, r.code)
		line := requireOneErrorLine(t, r)
		assert.Regexp(t, `(InvalidSignatureException|UnrecognizedClientException)`, line)
		for _, secret := range []string{creds.SecretAccessKey, creds.SessionToken, opts.SecretAccessKey, opts.SessionToken} {
			assert.NotContains(t, r.stderr+r.stdout, secret)
		}
	}
}

func TestProfileAndRegion(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	all := srv.Seed(testProject, 12, 4)
	opts := srv.Options()
	dir := t.TempDir()
	configFile := filepath.Join(dir, "config")
	require.NoError(t, os.WriteFile(configFile, []byte(fmt.Sprintf(`[profile ci]
aws_access_key_id = %s
aws_secret_access_key = %s

[profile ireland]
region = eu-west-1
aws_access_key_id = %[1]s
aws_secret_access_key = %[2]s
`, opts.AccessKeyID, opts.SecretAccessKey)), 0o600))
	e := awsEnv(srv)
	e.LoadOptions = []func(*config.LoadOptions) error{
		config.WithSharedConfigFiles([]string{configFile}),
		config.WithSharedCredentialsFiles([]string{filepath.Join(dir, "none")}),
	}

	// Credentials from the profile; no region anywhere: us-west-2.
	r := runTestgrid(t.Context(), e, listArgs(srv, "--profile", "ci", "--output", "ndjson")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Equal(t, ids(all), ndjsonIDs(t, r.stdout))
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Contains(t, reqs[0].Header.Get("Authorization"), "/us-west-2/devicefarm/aws4_request")
	assert.Contains(t, reqs[0].Header.Get("User-Agent"), "app/testgrid")

	// The profile's region is used, and the fake refuses its signature...
	r = runTestgrid(t.Context(), e, listArgs(srv, "--profile", "ireland")...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Contains(t, requireOneErrorLine(t, r), "InvalidSignatureException")
	// ...unless --region overrides it.
	r = runTestgrid(t.Context(), e, listArgs(srv, "--profile", "ireland", "--region", "us-west-2")...)
	assert.Equal(t, cmdutil.ExitOK, r.code, r.stderr)

	// Without --endpoint, a region DeviceFarm does not serve is a usage
	// error, reported before anything is sent.
	srv.ResetRequests()
	r = runTestgrid(t.Context(), e, "sessions", "--project", testProject, "--profile", "ireland")
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Contains(t, r.stderr, `region "eu-west-1" is not served by DeviceFarm`)
	assert.Contains(t, r.stderr, "run 'testgrid sessions --help' for usage")
	assert.Empty(t, srv.Requests())

	// An unknown profile is a usage error.
	r = runTestgrid(t.Context(), e, listArgs(srv, "--profile", "nope")...)
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Contains(t, r.stderr, `testgrid sessions: AWS profile "nope" not found`)
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 5, 1)
	p := []string{"sessions", "--project", testProject, "--endpoint", srv.URL}
	with := func(extra ...string) []string { return append(append([]string{}, p...), extra...) }
	tests := []struct {
		args []string
		want string
	}{
		{with("--bogus"), "flag provided but not defined: --bogus"},
		{with("--page-size", "many"), `invalid value "many" for flag --page-size`},
		{with("--page-size"), "flag needs an argument: --page-size"},
		{with("extra"), `unexpected argument "extra"`},
		{[]string{"sessions"}, "missing --project ARN (or try --demo"},
		{[]string{"sessions", "--status", "ACTIVE"}, "missing --project"},
		{[]string{"sessions", "--project", "my-project"}, `--project "my-project" is not a test grid project ARN`},
		{with("--status", "RUNNING"), `--status "RUNNING" is not one of ACTIVE, CLOSED, ERRORED`},
		{with("--status", ""), "--status is empty"},
		{with("--created-after", "yesterday"), `--created-after: "yesterday" is not a time`},
		{with("--created-before", "7"), "--created-before: \"7\" as epoch seconds is 1970-01-01T00:00:07Z, before 2000-01-01; for a duration, add a unit (7d, 7h)"},
		{with("--creation-time-before", "-5"), "--creation-time-before: \"-5\": epoch seconds cannot be negative"},
		{with("--ended-after", "1741600000000"), "--ended-after: \"1741600000000\" is after 9999-12-31 as epoch seconds"},
		{with("--ended-after", "-2h"), "must be positive"},
		{with("--ended-before", "2025-03-01T10:00:00"), "no time zone"},
		{with("--created-after", "1d", "--created-before", "2d"), "--created-after (2025-03-09T12:00:00Z) must be before --created-before (2025-03-08T12:00:00Z)"},
		{with("--ended-after", "2025-03-01", "--ended-before", "2025-03-01"), "--ended-after (2025-03-01T00:00:00Z) must be before"},
		{with("--page-size", "0"), "--page-size 0 is out of range: it must be 1 to 1000"},
		{with("--page-size", "1001"), "--page-size 1001 is out of range"},
		{with("--max-items", "0"), "--max-items 0 is out of range"},
		{with("--max-items", "-5"), "--max-items -5 is out of range"},
		{with("--output", "yaml"), `--output "yaml" is not one of table, json, ndjson, csv`},
		{[]string{"sessions", "--demo", "--region", "us-west-2"}, "--region cannot be used with --demo"},
		{[]string{"sessions", "--demo", "--profile", "ci"}, "--profile cannot be used with --demo"},
		{[]string{"sessions", "--demo", "--endpoint", srv.URL}, "--endpoint cannot be used with --demo"},
		{[]string{"sessions", "--project", testProject, "--endpoint", "ftp://127.0.0.1"}, "must start with https://"},
		{[]string{"sessions", "--project", testProject, "--endpoint", "https://"}, "has no host"},
		{[]string{"sessions", "--project", testProject, "--endpoint", "http://me:hunter2@127.0.0.1:1"}, "must not contain user information"},
		{[]string{"sessions", "--project", testProject, "--endpoint", "http://devicefarm.example.com"}, `--endpoint "http://devicefarm.example.com" must use https:// (plain http:// is only for loopback hosts)`},
		{with("--region", ""), "--region is empty"},
		{[]string{"sessions", "--project", testProject, "--region", "mars-north-1"}, `region "mars-north-1" is not served by DeviceFarm`},
		{[]string{"sessions", "--project", testProject + strings.Repeat("x", 1100), "--endpoint", srv.URL}, "length must be 32-1011, got 1195"},
		{[]string{"sessions", "--project", "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/5e7a0c2d-91f4-4b3a-8c6e-1d2f3a4b5c6d", "--endpoint", srv.URL}, "is a test grid session ARN, not a project ARN (arn:aws:devicefarm:REGION:ACCOUNT:testgrid-project:ID); this session's project is arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"},
	}
	for _, tt := range tests {
		r := runTestgrid(t.Context(), awsEnv(srv), tt.args...)
		assert.Equal(t, cmdutil.ExitUsage, r.code, "%q: %s", tt.args, r.stderr)
		assert.Empty(t, r.stdout, tt.args)
		l := lines(r.stderr)
		if assert.Len(t, l, 2, "%q: %s", tt.args, r.stderr) {
			assert.True(t, strings.HasPrefix(l[0], "testgrid sessions: "), l[0])
			assert.Contains(t, l[0], tt.want, tt.args)
			assert.Equal(t, "run 'testgrid sessions --help' for usage", l[1])
		}
		assert.NotContains(t, r.stderr, "hunter2")
	}
	assert.Empty(t, srv.Requests(), "usage errors send nothing")
}

func TestCommandUsageErrors(t *testing.T) {
	t.Parallel()
	r := runTestgrid(t.Context(), cmdutil.Env{})
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Equal(t, mainUsage, r.stderr)
	assert.Empty(t, r.stdout)

	for _, args := range [][]string{{"session"}, {"--demo"}, {"help", "nope"}, {"help", "sessions", "more"}} {
		r := runTestgrid(t.Context(), cmdutil.Env{}, args...)
		assert.Equal(t, cmdutil.ExitUsage, r.code, args)
		assert.Empty(t, r.stdout)
		l := lines(r.stderr)
		if assert.Len(t, l, 2, r.stderr) {
			assert.True(t, strings.HasPrefix(l[0], "testgrid: unknown "), l[0])
			assert.Equal(t, "run 'testgrid --help' for usage", l[1])
		}
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		r := runTestgrid(t.Context(), cmdutil.Env{}, args...)
		assert.Equal(t, cmdutil.ExitOK, r.code)
		assert.Equal(t, mainUsage, r.stdout)
		assert.Empty(t, r.stderr)
	}
	for _, args := range [][]string{{"sessions", "--help"}, {"sessions", "-h"}, {"sessions", "-help"}, {"help", "sessions"}, {"sessions", "--demo", "--help"}} {
		r := runTestgrid(t.Context(), cmdutil.Env{}, args...)
		assert.Equal(t, cmdutil.ExitOK, r.code, args)
		assert.Equal(t, sessionsUsage, r.stdout, args)
		assert.Empty(t, r.stderr, args)
	}
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	t.Parallel()
	var (
		o listflags.Options
		r listflags.Raw
	)
	n := 0
	sessionsFlagSet(&o, &r).VisitAll(func(f *flag.Flag) {
		n++
		assert.Regexp(t, `(?m)^  --`+f.Name+`\b`, sessionsUsage, "flag --%s", f.Name)
		assert.Contains(t, docText(t), "--"+f.Name, "doc.go mentions --%s", f.Name)
	})
	assert.Equal(t, 23, n, "14 flags, --starting-token, --debug and 7 AWS CLI spellings")
	for _, format := range output.Formats {
		assert.Contains(t, sessionsUsage, format)
	}
}

// docText returns the package documentation in doc.go.
func docText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	return string(b)
}

func TestProgress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		terminal bool
		args     []string
		want     bool
	}{
		{"terminal, 8 pages", true, []string{"--page-size", "7"}, true},
		{"not a terminal, 8 pages", false, []string{"--page-size", "7"}, false},
		{"terminal, 1 page", true, []string{"--page-size", "50"}, false},
		{"terminal, stops at max-items on page 1", true, []string{"--page-size", "7", "--max-items", "5"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.Seed(testProject, 50, 9)
			var stdout, stderr bytes.Buffer
			e := awsEnv(srv)
			var asked []io.Writer
			e.IsTerminal = func(w io.Writer) bool {
				asked = append(asked, w)
				return tt.terminal && w == &stderr
			}
			code := run(t.Context(), listArgs(srv, append(tt.args, "--output", "ndjson")...), &stdout, &stderr, e)
			require.Equal(t, cmdutil.ExitOK, code, stderr.String())
			assert.Equal(t, []io.Writer{&stderr}, asked, "only stderr is checked")
			if !tt.want {
				if slices.Contains(tt.args, "--max-items") {
					assert.Regexp(t, `^testgrid: more sessions follow; resume with --starting-token [\w-]+\n$`, stderr.String(), "only the token")
				} else {
					assert.Empty(t, stderr.String())
				}
				return
			}
			out := stderr.String()
			assert.True(t, strings.HasPrefix(out, listing.EraseLine), "%q", out)
			assert.True(t, strings.HasSuffix(out, listing.EraseLine), "erased at the end: %q", out)
			assert.Contains(t, out, " 1 page, 7 sessions, ")
			assert.Contains(t, out, " 7 pages, 49 sessions, ")
			assert.NotContains(t, out, "8 pages", "nothing is drawn after the last page")
			assert.NotContains(t, out, "\n")
			assert.Len(t, lines(stdout.String()), 50, "data is complete and unaffected")
		})
	}
}

func TestInterruptBetweenPages(t *testing.T) {
	t.Parallel()
	for _, format := range output.Formats {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			all := srv.Seed(testProject, 50, 8)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			e := awsEnv(srv)
			e.AfterPage = func(pages, _ int) {
				if pages == 1 {
					cancel() // as the Ctrl-C handler does
				}
			}
			r := runTestgrid(ctx, e, listArgs(srv, "--page-size", "7", "--output", format)...)
			assert.Equal(t, cmdutil.ExitInterrupted, r.code)
			assert.Equal(t, "testgrid: interrupted after 1 page; 7 sessions written", requireErrorLineAndToken(t, r, format))
			assert.Len(t, srv.Requests(), 1, "no page after the interruption")
			switch format {
			case output.FormatJSON:
				got := decodeJSONDocument(t, r.stdout)
				require.Len(t, got, 7)
				for i := range got {
					assertSameSession(t, all[i], got[i])
				}
			case output.FormatNDJSON:
				assert.Equal(t, ids(all[:7]), ndjsonIDs(t, r.stdout))
			case output.FormatCSV:
				assert.Len(t, decodeCSV(t, r.stdout), 7)
			case output.FormatTable:
				l := lines(r.stdout)
				require.Len(t, l, 9)
				assert.True(t, strings.HasPrefix(l[8], "7 sessions, "), l[8])
			}
		})
	}
}

func TestInterruptDuringRequest(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	all := srv.Seed(testProject, 50, 8)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	e := awsEnv(srv)
	var stdout, stderr bytes.Buffer
	e.IsTerminal = func(w io.Writer) bool { return w == &stderr }
	e.AfterPage = func(pages, _ int) {
		if pages != 1 {
			return
		}
		// The second request hangs; interrupt once the server holds it.
		srv.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultHang})
		go func() {
			for ctx.Err() == nil && len(srv.Requests()) < 2 {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
	}
	code := run(ctx, listArgs(srv, "--page-size", "7", "--output", "json"), &stdout, &stderr, e)
	assert.Equal(t, cmdutil.ExitInterrupted, code)
	got := decodeJSONDocument(t, stdout.String())
	require.Len(t, got, 7)
	assertSameSession(t, all[0], got[0])
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, 0, reqs[1].StatusCode, "the hanging request got no response")
	// The progress line was erased before the message.
	assert.True(t, strings.HasSuffix(stderr.String(), listing.EraseLine+"testgrid: interrupted after 1 page; 7 sessions written\n"), "%q", stderr.String())
}

func TestInterruptBeforeStart(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 5, 1)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r := runTestgrid(ctx, awsEnv(srv), listArgs(srv, "--output", "json")...)
	assert.Equal(t, cmdutil.ExitInterrupted, r.code)
	assert.Empty(t, r.stdout, "no page arrived")
	assert.Equal(t, "testgrid: interrupted after 0 pages; 0 sessions written\n", r.stderr)
	assert.Empty(t, srv.Requests())
}

func TestDemo(t *testing.T) {
	t.Parallel()
	e := cmdutil.Env{Now: func() time.Time { return testNow }}
	want := devicefarmtest.GenerateSessions(awsclient.DemoProject, awsclient.DemoSessions, awsclient.DemoSeed, testNow)

	r := runTestgrid(t.Context(), e, "sessions", "--demo", "--output", "ndjson")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Equal(t, ids(want), ndjsonIDs(t, r.stdout))
	assert.Contains(t, requireOneErrorLine(t, r), "demo")

	// Relative filters find recent sessions, since the data ends now.
	r = runTestgrid(t.Context(), e, "sessions", "--demo", "--output", "ndjson", "--created-after", "3d", "--status", "closed")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	got := decodeNDJSON(t, r.stdout)
	assert.NotEmpty(t, got)
	assert.Less(t, len(got), awsclient.DemoSessions)
	for _, s := range got {
		assert.True(t, s.Created.After(testNow.Add(-3*24*time.Hour)), s.Arn)
		assert.Equal(t, "CLOSED", s.Status)
	}

	// The table.
	r = runTestgrid(t.Context(), e, "sessions", "--demo")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	l := lines(r.stdout)
	require.Len(t, l, awsclient.DemoSessions+2)
	assert.True(t, strings.HasPrefix(l[len(l)-1], "250 sessions, "), l[len(l)-1])

	// Another project does not exist in the demo.
	r = runTestgrid(t.Context(), e, "sessions", "--demo", "--project", testProject)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Empty(t, r.stdout)
	l = lines(r.stderr)
	require.Len(t, l, 2, r.stderr)
	assert.Contains(t, l[1], "testgrid: NotFoundException: ")
}

func TestMissingCredentials(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 5, 1)
	e := awsEnv(srv)
	e.LoadOptions = []func(*config.LoadOptions) error{config.WithCredentialsProvider(aws.CredentialsProviderFunc(
		func(context.Context) (aws.Credentials, error) { return aws.Credentials{}, errors.New("no role found") }))}
	r := runTestgrid(t.Context(), e, listArgs(srv)...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Empty(t, r.stdout)
	line := requireOneErrorLine(t, r)
	assert.Contains(t, line, "testgrid: cannot get AWS credentials: ")
	assert.Contains(t, line, "no role found")
	assert.Contains(t, line, "--profile")
	assert.Empty(t, srv.Requests(), "nothing is sent without credentials")
}

func TestInterruptWhileLoadingCredentials(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	e := awsEnv(srv)
	// aws.CredentialsCache runs the provider with a context that is never
	// cancelled (the lookup may serve a later caller), and returns to this
	// caller when its own context ends: the lookup stays blocked until the
	// test releases it, so the goroutine check in TestMain passes.
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	e.LoadOptions = []func(*config.LoadOptions) error{config.WithCredentialsProvider(aws.CredentialsProviderFunc(
		func(context.Context) (aws.Credentials, error) {
			cancel() // Ctrl-C during a slow credential lookup
			<-release
			return aws.Credentials{}, errors.New("released")
		}))}
	r := runTestgrid(ctx, e, listArgs(srv)...)
	assert.Equal(t, cmdutil.ExitInterrupted, r.code)
	assert.Equal(t, "testgrid: interrupted after 0 pages; 0 sessions written\n", r.stderr)
	assert.Empty(t, r.stdout)
}
