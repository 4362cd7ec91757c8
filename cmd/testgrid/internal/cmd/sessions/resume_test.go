package sessions

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listing"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// tokenLine matches the line that carries the resume token on stderr.
var tokenLine = regexp.MustCompile(`(?m)^testgrid: more sessions follow; resume with --starting-token ([A-Za-z0-9_-]+)$`)

// documentFormats carry the resume token in the document, not on stderr.
func tokenInDocument(format string) bool {
	return format == output.FormatJSON || format == output.FormatAWSJSON
}

// printed is what one run printed, decoded: the session IDs in order and
// the resume token ("" when the listing was complete).
type printed struct {
	ids   []string
	token string
}

// decodePrinted decodes r's output in format, checking that the token is
// where the format puts it and nowhere else.
func decodePrinted(t *testing.T, format string, r result) printed {
	t.Helper()
	var p printed
	switch format {
	case output.FormatNDJSON:
		p.ids = ndjsonIDs(t, r.stdout)
	case output.FormatJSON:
		var sessions []jsonSession
		sessions, p.token = decodeJSONDocumentToken(t, r.stdout)
		for _, s := range sessions {
			p.ids = append(p.ids, s.ID)
		}
	case output.FormatAWSJSON:
		doc := decodeAWSJSON(t, r.stdout)
		for _, s := range doc.TestGridSessions {
			p.ids = append(p.ids, devicefarm.TestGridSession{Arn: s["arn"].(string)}.ID())
		}
		p.token = doc.NextToken
	case output.FormatCSV:
		p.ids = ids(decodeCSV(t, r.stdout))
	case output.FormatTable:
		l := lines(r.stdout)
		require.GreaterOrEqual(t, len(l), 2, r.stdout)
		for _, row := range l[1 : len(l)-1] {
			p.ids = append(p.ids, strings.Fields(row)[0])
		}
	default:
		t.Fatalf("unknown format %q", format)
	}
	m := tokenLine.FindAllStringSubmatch(r.stderr, -1)
	if tokenInDocument(format) {
		assert.Empty(t, m, "the token is in the document only: %s", r.stderr)
	} else {
		require.LessOrEqual(t, len(m), 1, r.stderr)
		if len(m) == 1 {
			p.token = m[0][1]
		}
		assert.NotContains(t, r.stdout, "nextToken")
	}
	return p
}

// requireErrorLineAndToken asserts that stderr has one error line, then
// the token line unless format puts the token in the document, and that
// there is a token. It returns the error line.
func requireErrorLineAndToken(t *testing.T, r result, format string) string {
	t.Helper()
	l := lines(r.stderr)
	if tokenInDocument(format) {
		require.Len(t, l, 1, "stderr: %q", r.stderr)
	} else {
		require.Len(t, l, 2, "stderr: %q", r.stderr)
		assert.Regexp(t, tokenLine, l[1])
	}
	assert.NotEmpty(t, decodePrinted(t, format, r).token, "a resume token is printed")
	require.True(t, strings.HasPrefix(l[0], "testgrid: "), l[0])
	return l[0]
}

// walk lists with args in chunks, each run resuming with the token of the
// previous one, until a run prints no token. pageSize gives each run's
// --page-size ("" for none); before runs after each run. It returns every
// ID printed, in order, and the number of runs.
func walk(t *testing.T, run func(args ...string) result, format string, args []string, pageSize func(i int) string, before func(i int)) ([]string, int) {
	t.Helper()
	var got []string
	token := ""
	for i := 0; ; i++ {
		require.Less(t, i, 100, "the walk does not end")
		if before != nil {
			before(i)
		}
		a := append(append([]string{}, args...), "--output", format)
		if ps := pageSize(i); ps != "" {
			a = append(a, "--page-size", ps)
		}
		if token != "" {
			a = append(a, "--starting-token", token)
		}
		r := run(a...)
		require.Equal(t, cmdutil.ExitOK, r.code, "run %d: %s", i, r.stderr)
		p := decodePrinted(t, format, r)
		got = append(got, p.ids...)
		if p.token == "" {
			return got, i + 1
		}
		token = p.token
	}
}

func TestResumeWalkInChunks(t *testing.T) {
	t.Parallel()
	fixed := func(ps string) func(int) string { return func(int) string { return ps } }
	tests := []struct {
		name     string
		pageSize func(int) string
	}{
		{"page size 5", fixed("5")},
		{"page size 7 (cuts at page ends)", fixed("7")},
		{"page size 10", fixed("10")},
		{"page size 1000", fixed("1000")},
		{"service default", fixed("")},
		{"a different page size every run", func(i int) string { return []string{"10", "3", "", "1000", "6"}[i%5] }},
	}
	for _, tt := range tests {
		for _, format := range output.Formats {
			t.Run(tt.name+" "+format, func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				all := srv.Seed(testProject, 50, 21)
				run := func(args ...string) result { return runTestgrid(t.Context(), awsEnv(srv), args...) }
				got, runs := walk(t, run, format, listArgs(srv, "--max-items", "7"), tt.pageSize, nil)
				assert.Equal(t, ids(all), got, "every session once, in order")
				assert.Equal(t, 8, runs, "50 sessions in chunks of 7")
			})
		}
	}
}

// A relative time typed again means what it meant when the listing
// started, though the clock moved: the service would refuse its own token
// for another creationTimeAfter.
func TestResumeKeepsRelativeTimes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	all := srv.Seed(testProject, 120, 5)
	cutoff := testNow.Add(-20 * 24 * time.Hour)
	var want []string
	for _, s := range all {
		if s.Created.After(cutoff) && s.Status == devicefarm.TestGridSessionStatusClosed {
			want = append(want, s.ID())
		}
	}
	require.Greater(t, len(want), 20)

	clock := testNow
	e := awsEnv(srv)
	e.Now = func() time.Time { return clock }
	run := func(args ...string) result { return runTestgrid(t.Context(), e, args...) }
	args := listArgs(srv, "--max-items", "9", "--status", "closed", "--creation-time-after", "20d")
	got, _ := walk(t, run, output.FormatNDJSON, args, func(int) string { return "4" }, func(i int) { clock = testNow.Add(time.Duration(i) * time.Hour) })
	assert.Equal(t, want, got)

	// Every request asked for the same creationTimeAfter.
	for i, b := range requestBodies(t, srv) {
		n, ok := b["creationTimeAfter"].(json.Number)
		require.True(t, ok, "request %d: %v", i, b)
		f, err := n.Float64()
		require.NoError(t, err)
		assert.InDelta(t, epochSeconds(cutoff), f, 1e-6, "request %d", i)
	}
}

// The first request of a resumed run asks for the page the token points
// into with the page size it was cut from, and the others with this run's.
func TestResumePageSizes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	all := srv.Seed(testProject, 40, 2)
	r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--max-items", "7", "--page-size", "10", "--output", "ndjson")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	first := decodePrinted(t, output.FormatNDJSON, r)
	require.NotEmpty(t, first.token)

	srv.ResetRequests()
	r = runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--max-items", "10", "--page-size", "4", "--output", "ndjson", "--next-token", first.token)...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	second := decodePrinted(t, output.FormatNDJSON, r)
	assert.Equal(t, ids(all[7:17]), second.ids)
	var sizes []string
	for _, b := range requestBodies(t, srv) {
		sizes = append(sizes, fmt.Sprint(b["maxResult"]))
	}
	assert.Equal(t, []string{"10", "4", "4"}, sizes, "3 sessions left of the cut page of 10, then pages of 4")
}

// A run that is interrupted, or fails, after some pages prints a token
// that resumes after the last session written.
func TestResumeAfterInterruptOrFailure(t *testing.T) {
	t.Parallel()
	for _, stop := range []string{"interrupt", "failure"} {
		for _, format := range []string{output.FormatNDJSON, output.FormatJSON, output.FormatAWSJSON, output.FormatTable} {
			t.Run(stop+" "+format, func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				all := srv.Seed(testProject, 50, 13)
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				e := awsEnv(srv)
				e.AfterPage = func(pages, _ int) {
					if pages != 2 {
						return
					}
					if stop == "interrupt" {
						cancel() // as the Ctrl-C handler does
					} else {
						srv.Inject(devicefarmtest.Match{}, devicefarmtest.AccessDenied()) // not retried
					}
				}
				r := runTestgrid(ctx, e, listArgs(srv, "--page-size", "6", "--output", format)...)
				line := requireErrorLineAndToken(t, r, format)
				if stop == "interrupt" {
					assert.Equal(t, cmdutil.ExitInterrupted, r.code)
					assert.Equal(t, "testgrid: interrupted after 2 pages; 12 sessions written", line)
				} else {
					assert.Equal(t, cmdutil.ExitFailure, r.code)
					assert.Contains(t, line, "AccessDeniedException")
				}
				first := decodePrinted(t, format, r)
				require.Equal(t, ids(all[:12]), first.ids)

				r = runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--output", format, "--starting-token", first.token)...)
				require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
				rest := decodePrinted(t, format, r)
				assert.Empty(t, rest.token, "the listing is complete")
				assert.Equal(t, ids(all), append(first.ids, rest.ids...))
			})
		}
	}
}

// A failure on the first request of a resumed run prints the same
// position again; a fresh run that fails before any page prints none.
func TestResumeTokenAfterEarlyFailure(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	all := srv.Seed(testProject, 20, 3)
	srv.Inject(devicefarmtest.Match{}, devicefarmtest.AccessDenied())
	r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--output", "ndjson", "--max-items", "5")...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	requireOneErrorLine(t, r)

	r = runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--output", "json", "--max-items", "5")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	_, token := decodeJSONDocumentToken(t, r.stdout)
	require.NotEmpty(t, token)

	srv.Inject(devicefarmtest.Match{}, devicefarmtest.AccessDenied())
	r = runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--output", "json", "--starting-token", token)...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Empty(t, r.stdout, "no page arrived: no document")
	again := tokenLine.FindStringSubmatch(r.stderr)
	require.NotNil(t, again, "without a document the token goes to stderr: %s", r.stderr)

	r = runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--output", "ndjson", "--starting-token", again[1])...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Equal(t, ids(all[5:]), ndjsonIDs(t, r.stdout))
}

// A resume token whose nextToken the service refuses is not offered
// again (issue 20, row 11).
func TestNoResumeTokenAfterServiceRefusedIt(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 20, 3)
	r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--output", "ndjson", "--page-size", "5", "--max-items", "5")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	token := decodePrinted(t, output.FormatNDJSON, r).token
	require.NotEmpty(t, token)

	other := newServer(t) // another key: it refuses the first one's tokens
	other.Seed(testProject, 20, 3)
	r = runTestgrid(t.Context(), awsEnv(other), listArgs(other, "--output", "ndjson", "--starting-token", token)...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Contains(t, requireOneErrorLine(t, r), "ArgumentException")
	assert.NotContains(t, r.stderr, "--starting-token", "the refused token is not offered again")
}

// A service that repeats a nextToken gets no resume token: resuming would
// loop again.
func TestNoResumeTokenAfterRepeatedToken(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 20, 3)
	e := awsEnv(srv)
	e.AfterPage = func(pages, _ int) {
		if pages == 1 {
			srv.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultRepeatToken})
		}
	}
	r := runTestgrid(t.Context(), e, listArgs(srv, "--page-size", "5", "--output", "ndjson")...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Contains(t, requireOneErrorLine(t, r), "repeated a pagination token")
	assert.NotContains(t, r.stderr, "--starting-token")
}

func TestResumeTokenRefused(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 30, 1)
	const other = "arn:aws:devicefarm:us-west-2:111122223333:testgrid-project:99999999-4b5a-6978-8796-a5b4c3d2e1f0"
	first := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--max-items", "3", "--output", "ndjson",
		"--status", "CLOSED", "--created-after", "24d", "--ended-before", "1741600000")...)
	require.Equal(t, cmdutil.ExitOK, first.code, first.stderr)
	token := decodePrinted(t, output.FormatNDJSON, first).token
	require.NotEmpty(t, token)
	same := []string{"--status", "closed", "--created-after", "24d", "--ended-before", "1741600000"}
	with := func(extra ...string) []string {
		return append(append([]string{"sessions", "--project", testProject, "--endpoint", srv.URL}, extra...), "--starting-token", token)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"another project", append([]string{"sessions", "--project", other, "--endpoint", srv.URL, "--starting-token", token}, same...),
			`--starting-token is for project "` + testProject + `", not "` + other + `"; give the same --project, --status and time flags as the run that printed the token`},
		{"no status", with("--created-after", "24d", "--ended-before", "1741600000"),
			`--starting-token is for a listing with --status "CLOSED", but this run has no --status; give the same`},
		{"another status", with("--status", "ERRORED", "--created-after", "24d", "--ended-before", "1741600000"),
			`--starting-token is for a listing with --status "CLOSED", but this run has --status "ERRORED"`},
		{"another relative time", with("--status", "CLOSED", "--created-after", "23d", "--ended-before", "1741600000"),
			`--starting-token is for a listing with --created-after "24d", but this run has --created-after "23d"`},
		{"the same instant typed differently", with("--status", "CLOSED", "--created-after", "24d", "--ended-before", "2025-03-10T09:46:40Z"),
			`--starting-token is for a listing with --ended-before "1741600000", but this run has --ended-before "2025-03-10T09:46:40Z"`},
		{"a missing time flag, AWS CLI spelling", with("--status", "CLOSED", "--creation-time-after", "24d"),
			`--starting-token is for a listing with --ended-before "1741600000", but this run has no --ended-before`},
		{"an extra time flag, AWS CLI spelling", with(append(same, "--end-time-after", "2025-01-01")...),
			`--starting-token is for a listing with no --ended-after, but this run has --end-time-after "2025-01-01"`},
		{"garbage", []string{"sessions", "--project", testProject, "--starting-token", "hello world"}, "--starting-token: " + listing.NotResumeToken},
		{"an AWS CLI nextToken", []string{"sessions", "--project", testProject, "--next-token", "AAMA-EFRSURBSGhp"}, "--next-token: " + listing.NotResumeToken},
		{"not JSON", []string{"sessions", "--project", testProject, "--starting-token", b64([]byte("nope"))}, "--starting-token: " + listing.NotResumeToken},
		{"another version", []string{"sessions", "--project", testProject, "--starting-token", b64([]byte(`{"v":2,"t":"","skip":1,"ps":0,"q":{"project":"` + testProject + `"}}`))}, "--starting-token: " + listing.NotResumeToken},
		{"unknown member", []string{"sessions", "--project", testProject, "--starting-token", b64([]byte(`{"v":1,"t":"","skip":1,"ps":0,"x":1,"q":{"project":"` + testProject + `"}}`))}, "--starting-token: " + listing.NotResumeToken},
		{"negative skip", []string{"sessions", "--project", testProject, "--starting-token", b64([]byte(`{"v":1,"t":"","skip":-1,"ps":0,"q":{"project":"` + testProject + `"}}`))}, "--starting-token: " + listing.NotResumeToken},
		{"page size over 1000", []string{"sessions", "--project", testProject, "--starting-token", b64([]byte(`{"v":1,"t":"","skip":1,"ps":1001,"q":{"project":"` + testProject + `"}}`))}, "--starting-token: " + listing.NotResumeToken},
		{"too long", []string{"sessions", "--project", testProject, "--starting-token", strings.Repeat("A", 9000)}, "--starting-token: " + listing.NotResumeToken},
		{"empty", []string{"sessions", "--project", testProject, "--starting-token", ""}, "--starting-token: " + listing.NotResumeToken},
		{"both spellings", with(append(same, "--next-token", token)...), "--starting-token and --next-token are the same flag; give one"},
		{"with --demo", []string{"sessions", "--demo", "--starting-token", token}, "--starting-token cannot be used with --demo"},
	}
	for _, tt := range tests {
		r := runTestgrid(t.Context(), awsEnv(srv), tt.args...)
		assert.Equal(t, cmdutil.ExitUsage, r.code, "%s: %s", tt.name, r.stderr)
		assert.Empty(t, r.stdout, tt.name)
		l := lines(r.stderr)
		if assert.Len(t, l, 2, "%s: %s", tt.name, r.stderr) {
			assert.Contains(t, l[0], "testgrid sessions: "+tt.want, tt.name)
			assert.Equal(t, "run 'testgrid sessions --help' for usage", l[1])
		}
	}
	assert.Len(t, srv.Requests(), 1, "refused tokens send nothing")

	// The flags typed the same way, in another order and case, resume.
	r := runTestgrid(t.Context(), awsEnv(srv), with("--ended-before", "1741600000", "--created-after", " 24d", "--status", "closed", "--output", "ndjson")...)
	assert.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
}

// TestResumeTokenRefusalEscapesTokenValues: a hand-edited token's values
// are echoed escaped, so that they cannot clear the screen (ESC) or
// reorder the error line (U+202E, which the one-line folding keeps).
func TestResumeTokenRefusalEscapesTokenValues(t *testing.T) {
	t.Parallel()
	const evil = "\u202e\x1b[2J"
	for _, tt := range []struct {
		name string
		q    listing.ResumeQuery
		want string
	}{
		{"project", listing.ResumeQuery{Project: testProject + evil + `"`},
			`--starting-token is for project "` + testProject + `\u202e\x1b[2J\"", not "` + testProject + `"`},
		{"status", listing.ResumeQuery{Project: testProject, Status: "CLOSED" + evil},
			`--starting-token is for a listing with --status "CLOSED\u202e\x1b[2J", but this run has no --status`},
		{"time text", listing.ResumeQuery{Project: testProject, CreatedAfter: &listing.TimeBound{Raw: "24h" + evil, At: testNow}},
			`--starting-token is for a listing with --created-after "24h\u202e\x1b[2J", but this run has no --created-after`},
	} {
		token := listing.EncodeResumeToken(tt.q, listing.ResumePoint{Token: "t", Skip: 1})
		r := runTestgrid(t.Context(), cmdutil.Env{}, "sessions", "--project", testProject, "--starting-token", token)
		assert.Equal(t, cmdutil.ExitUsage, r.code, "%s: %s", tt.name, r.stderr)
		assert.Contains(t, r.stderr, "testgrid sessions: "+tt.want, tt.name)
		assert.NotContains(t, r.stderr, "\u202e", tt.name)
		assert.NotContains(t, r.stderr, "\x1b", tt.name)
	}
}

// The real binary, across process runs: each run's token resumes in the
// next process.
func TestResumeAcrossProcesses(t *testing.T) {
	t.Parallel()
	bin := testgridBinary(t)

	srv := newServer(t)
	all := srv.Seed(testProject, 50, 34)
	opts := srv.Options()
	env := cleanEnv(t, "PATH=/nonexistent", "AWS_ACCESS_KEY_ID="+opts.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+opts.SecretAccessKey)
	run := func(args ...string) result {
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = env
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		code := 0
		var exitErr *exec.ExitError
		if err := cmd.Run(); errors.As(err, &exitErr) {
			code = exitErr.ExitCode()
		} else {
			require.NoError(t, err)
		}
		return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	}
	for _, tc := range []struct{ format, pageSize string }{
		{output.FormatNDJSON, "5"}, {output.FormatAWSJSON, "10"}, {output.FormatCSV, ""}, {output.FormatJSON, "1000"},
	} {
		got, runs := walk(t, run, tc.format, []string{"sessions", "--project-arn", testProject, "--endpoint-url", srv.URL, "--max-items", "7"},
			func(int) string { return tc.pageSize }, nil)
		assert.Equal(t, ids(all), got, "%s, page size %q", tc.format, tc.pageSize)
		assert.Equal(t, 8, runs)
	}

	// --max-result N is one request of N, as the AWS CLI makes, and
	// --next-token resumes.
	srv.ResetRequests()
	got, runs := walk(t, run, output.FormatAWSJSON, []string{"sessions", "--project-arn", testProject, "--endpoint-url", srv.URL, "--max-result", "20"},
		func(int) string { return "" }, nil)
	assert.Equal(t, ids(all), got)
	assert.Equal(t, 3, runs)
	assert.Len(t, srv.Requests(), 3, "one request per run")

	r := run("--version")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Regexp(t, `^testgrid: \S+\n(commit: [0-9a-f]+( \(modified\))?\n)?library: devicefarm `+regexp.QuoteMeta(devicefarm.Version)+`( \(local checkout\))?\ngo: go\S* \S+/\S+\n$`, r.stdout)
	assert.Contains(t, r.stdout, "testgrid: (devel)\n", "built from a checkout")
	assert.Empty(t, r.stderr)
}
