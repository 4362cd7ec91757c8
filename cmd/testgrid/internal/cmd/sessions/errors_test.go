package sessions

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

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
