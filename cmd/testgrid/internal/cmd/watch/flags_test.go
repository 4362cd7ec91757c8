package watch

import (
	"errors"
	"flag"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

func TestNewOptions(t *testing.T) {
	t.Parallel()
	o, err := NewOptions([]string{"--project-arn", project, "--interval", "2m", "--until-idle", "--allow-empty",
		"--fail-on-errored", "--output", "NDJSON", "--created-after", "2h", "--metrics-addr", "[::1]:9464", "--resume", " T "}, clitest.Now)
	require.NoError(t, err)
	assert.Equal(t, project, o.Project)
	assert.Equal(t, 2*time.Minute, o.Interval)
	assert.True(t, o.UntilIdle && o.AllowEmpty && o.FailOnErrored)
	assert.Equal(t, "ndjson", o.Output)
	assert.Equal(t, clitest.Now.Add(-2*time.Hour), o.CreatedAfter)
	assert.Equal(t, "[::1]:9464", o.MetricsAddr)
	assert.Equal(t, "T", o.Resume)

	o, err = NewOptions([]string{"--project", project}, clitest.Now)
	require.NoError(t, err)
	assert.Equal(t, devicefarm.DefaultWatchInterval, o.Interval)
	assert.Equal(t, "table", o.Output)
	assert.False(t, o.UntilIdle)

	o, err = NewOptions([]string{"--demo"}, clitest.Now)
	require.NoError(t, err)
	assert.True(t, o.UntilIdle, "a demo ends with its run")
	assert.Equal(t, time.Second, o.Interval)

	_, err = NewOptions([]string{"--help"}, clitest.Now)
	assert.True(t, errors.Is(err, flag.ErrHelp))
}

func TestNewOptionsRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{}, "missing --project"},
		{[]string{"--project", project, "--status", "ACTIVE"}, "--status cannot be used with watch"},
		{[]string{"--project", project, "--ended-after", "1h"}, "--ended-after cannot be used with watch"},
		{[]string{"--project", project, "--page-size", "10"}, "--page-size cannot be used with watch"},
		{[]string{"--project", project, "--interval", "500ms"}, "--interval 500ms is too short"},
		{[]string{"--project", project, "--interval", "soon"}, "invalid value"},
		{[]string{"--project", project, "--allow-empty"}, "--allow-empty goes with --until-idle"},
		{[]string{"--project", project, "--output", "csv"}, `--output "csv" is not one of table, ndjson`},
		{[]string{"--project", project, "--resume", " "}, "--resume is empty"},
		{[]string{"--demo", "--resume", "T"}, "--resume cannot be used with --demo"},
		{[]string{"--project", project, "--metrics-addr", "0.0.0.0:9464"}, "not a loopback address"},
		{[]string{"--project", project, "--metrics-addr", ":9464"}, "not a loopback address"},
		{[]string{"--project", project, "--metrics-addr", "10.1.2.3:9464"}, "--metrics-allow-remote"},
		{[]string{"--project", project, "--metrics-addr", "localhost"}, "is not HOST:PORT"},
		{[]string{"--project", project, "--metrics-allow-remote"}, "goes with --metrics-addr"},
		{[]string{"--project", "arn:aws:s3:::bucket"}, "--project"},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			_, err := NewOptions(tt.args, clitest.Now)
			var ue *cmdutil.UsageError
			require.ErrorAs(t, err, &ue, "%v", err)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
	_, err := NewOptions([]string{"--project", project, "--metrics-addr", "0.0.0.0:9464", "--metrics-allow-remote"}, clitest.Now)
	assert.NoError(t, err, "allowed when asked for")
	_, err = NewOptions([]string{"--project", project, "--metrics-addr", "localhost:0"}, clitest.Now)
	assert.NoError(t, err)
}

// The demo plays a short run on its own fake: four sessions, one ERRORED,
// each started then ended once, and ends with it. It runs in real time.
func TestWatchDemo(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("about eight seconds of real time")
	}
	r := clitest.Run(t.Context(), clitest.Subcommand("watch", Run), cmdutil.Env{}, "watch", "--demo", "--output", "ndjson", "--fail-on-errored")
	require.Equal(t, cmdutil.ExitFailure, r.Code, r.Stderr)
	assert.Equal(t, map[string][]string{
		"chrome-1":  {"started", "ended CLOSED"},
		"firefox-2": {"started", "ended ERRORED"},
		"chrome-3":  {"started", "ended CLOSED"},
		"edge-4":    {"started", "ended CLOSED"},
	}, lives(events(t, r.Stdout)))
	assert.Contains(t, r.Stderr, "testgrid: demo mode:")
	assert.NotContains(t, r.Stderr, "--resume", "a demo cannot be resumed")
}
