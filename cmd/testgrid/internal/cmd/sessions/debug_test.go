package sessions

import (
	"bytes"
	"io"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// debugRecord matches one --debug record: log/slog's text format.
var debugRecord = regexp.MustCompile(`^time=\S+ level=DEBUG msg="devicefarm attempt" operation=ListTestGridSessions attempt=(\d) max_attempts=3 invocation_id=\S+ status=(\d+) request_id=(\S+) latency=\S+`)

func TestDebugRecordsOnStderrOnly(t *testing.T) {
	t.Parallel()
	for _, format := range output.Formats {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.Seed(testProject, 25, 6)
			args := listArgs(srv, "--page-size", "10", "--output", format)
			plain := runTestgrid(t.Context(), awsEnv(srv), args...)
			require.Equal(t, cmdutil.ExitOK, plain.code, plain.stderr)
			assert.Empty(t, plain.stderr)

			srv.ResetRequests()
			srv.Inject(devicefarmtest.Match{}, devicefarmtest.Throttling()) // the first attempt is retried
			var stdout, stderr bytes.Buffer
			e := awsEnv(srv)
			e.IsTerminal = func(w io.Writer) bool { return w == &stderr } // progress would be drawn
			code := run(t.Context(), append(args, "--debug"), &stdout, &stderr, e)
			require.Equal(t, cmdutil.ExitOK, code, stderr.String())
			assert.Equal(t, plain.stdout, stdout.String(), "--debug never changes stdout")

			reqs := srv.Requests()
			require.Len(t, reqs, 4, "a throttled attempt, then 3 pages")
			records := lines(stderr.String())
			require.Len(t, records, len(reqs), "one record per attempt, and nothing else (no progress line): %q", stderr.String())
			for i, rec := range records {
				m := debugRecord.FindStringSubmatch(rec)
				if !assert.NotNil(t, m, rec) {
					continue
				}
				assert.Equal(t, reqs[i].RequestID, m[3], "record %d names its request", i)
				assert.Equal(t, map[bool]string{true: "400", false: "200"}[i == 0], m[2], rec)
			}
			assert.Contains(t, records[0], "attempt=1")
			assert.Regexp(t, ` error="[^"]*ThrottlingException: Rate exceeded"`, records[0])
			assert.Contains(t, records[0], "retry_in=0s")
			assert.Contains(t, records[1], "attempt=2")
			assert.NotContains(t, records[1], "error=")
			opts := srv.Options()
			for _, secret := range []string{opts.SecretAccessKey, opts.AccessKeyID, "Signature=", "Authorization", "\x1b"} {
				assert.NotContains(t, stderr.String(), secret)
			}
		})
	}
}
