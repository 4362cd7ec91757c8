package sessions

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
)

// TestOutputFile: -o writes every format to the file, byte for byte what
// standard output gets, and nothing to standard output.
func TestOutputFile(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 30, 4)
	for _, format := range output.Formats {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			want := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--page-size", "7", "--output", format)...)
			require.Equal(t, cmdutil.ExitOK, want.code, want.stderr)
			dir := t.TempDir()
			path := filepath.Join(dir, "sessions."+format)
			for _, flag := range []string{"-o", "--output-file"} {
				r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--page-size", "7", "--output", format, flag, path)...)
				require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
				assert.Empty(t, r.stdout)
				got, err := os.ReadFile(path)
				require.NoError(t, err)
				assert.Equal(t, want.stdout, string(got))
				clitest.AssertDirHolds(t, dir, "sessions."+format)
			}
		})
	}
}

// TestOutputFileNotLeftHalfWritten: after a service error on page 2 or
// an interruption after page 1, the file keeps its old content, no
// temporary file remains, and the resume token goes to stderr.
func TestOutputFileNotLeftHalfWritten(t *testing.T) {
	t.Parallel()
	for _, tt := range clitest.StopEarlyCases() {
		for _, format := range []string{output.FormatJSON, output.FormatCSV} {
			t.Run(tt.Name+"/"+format, func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				srv.Seed(testProject, 30, 4)
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				e := awsEnv(srv)
				tt.Arm(srv, &e, cancel)
				dir := t.TempDir()
				path := filepath.Join(dir, "out")
				require.NoError(t, os.WriteFile(path, []byte("previous run\n"), 0o644))

				r := runTestgrid(ctx, e, listArgs(srv, "--page-size", "7", "--output", format, "-o", path)...)
				assert.Equal(t, tt.Code, r.code, r.stderr)
				assert.Empty(t, r.stdout)
				got, err := os.ReadFile(path)
				require.NoError(t, err)
				assert.Equal(t, "previous run\n", string(got), "the file is left as it was")
				clitest.AssertDirHolds(t, dir, "out")
				assert.Contains(t, r.stderr, "resume with --starting-token ", "the token is not lost with the document")
			})
		}
	}
}

func TestOutputFileUnwritable(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 3, 4)
	r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "-o", filepath.Join(t.TempDir(), "missing", "out.json"))...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Regexp(t, `^testgrid: writing output: create .*/missing/out\.json: no such file or directory\n$`, r.stderr)
	assert.Empty(t, srv.Requests(), "nothing is listed when the output cannot be written")

	r = runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "-o", " ")...)
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Contains(t, r.stderr, "-o is empty")
}
