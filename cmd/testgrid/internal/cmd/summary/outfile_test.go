package summary

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

func TestSummaryOutputFile(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.AddSessions(testProject, gateSessions()...)
	for _, format := range summaryFormats {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			want := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", format)...)
			require.Equal(t, cmdutil.ExitOK, want.code, want.stderr)
			dir := t.TempDir()
			path := filepath.Join(dir, "summary")
			r := runTestgrid(t.Context(), awsEnv(srv), summaryArgs(srv, "--output", format, "--output-file", path, "--max-errored", "1")...)
			assert.Equal(t, cmdutil.ExitFailure, r.code, "the gate fails after the file is written")
			assert.Empty(t, r.stdout)
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, want.stdout, string(got))
			clitest.AssertDirHolds(t, dir, "summary")
		})
	}
}

// TestSummaryOutputFileNotLeftHalfWritten: a failed or interrupted
// listing leaves the file as it was, with no temporary file.
func TestSummaryOutputFileNotLeftHalfWritten(t *testing.T) {
	t.Parallel()
	for _, tt := range clitest.StopEarlyCases() {
		t.Run(tt.Name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			srv.Seed(testProject, 30, 4)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			e := awsEnv(srv)
			tt.Arm(srv, &e, cancel)
			dir := t.TempDir()
			path := filepath.Join(dir, "report.html")
			require.NoError(t, os.WriteFile(path, []byte("previous run\n"), 0o644))
			r := runTestgrid(ctx, e, summaryArgs(srv, "--page-size", "7", "--output", "html", "-o", path)...)
			assert.Equal(t, tt.Code, r.code, r.stderr)
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, "previous run\n", string(got))
			clitest.AssertDirHolds(t, dir, "report.html")
		})
	}
}
