package sessions

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listing"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

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
