package summary

import (
	"flag"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listflags"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
)

func TestSummaryFlags(t *testing.T) {
	t.Parallel()
	o, err := NewOptions([]string{"--demo"}, testNow)
	require.NoError(t, err)
	assert.True(t, o.list.Demo)
	assert.Equal(t, time.UTC, o.loc)
	assert.Equal(t, output.FormatTable, o.output)
	assert.False(t, o.ascii)

	o, err = NewOptions([]string{
		"--project", testProject, "--status", "errored", "--created-after", "7d", "--ended-before", "2025-03-09",
		"--page-size", "25", "--region", "us-west-2", "--profile", "ci", "--endpoint-url", "http://127.0.0.1:9",
		"--tz", "Europe/Paris", "--ascii", "--output", "HTML",
	}, testNow)
	require.NoError(t, err)
	assert.Equal(t, testProject, o.list.Project)
	assert.EqualValues(t, "ERRORED", o.list.Status)
	assert.Equal(t, testNow.Add(-7*24*time.Hour), o.list.CreatedAfter)
	assert.Equal(t, time.Date(2025, 3, 9, 0, 0, 0, 0, time.UTC), o.list.EndedBefore)
	assert.EqualValues(t, 25, o.list.PageSize)
	assert.Equal(t, "ci", o.list.Profile)
	assert.Equal(t, "http://127.0.0.1:9", o.list.Endpoint)
	assert.Equal(t, "Europe/Paris", o.loc.String())
	assert.True(t, o.ascii)
	assert.Equal(t, formatHTML, o.output)

	_, err = NewOptions([]string{"--help"}, testNow)
	assert.ErrorIs(t, err, flag.ErrHelp)
}

func TestSummaryFlagErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string // part of the message
	}{
		{[]string{}, "missing --project"},
		{[]string{"--demo", "extra"}, `unexpected argument "extra": testgrid summary takes only flags`},
		{[]string{"--demo", "--tz", "Mars/Olympus"}, `--tz "Mars/Olympus" is not an IANA time zone`},
		{[]string{"--demo", "--tz", " "}, "--tz is empty"},
		{[]string{"--demo", "--output", "ndjson"}, `--output "ndjson" is not one of table, json, csv, markdown, html`},
		{[]string{"--demo", "--max-items", "5"}, "flag provided but not defined: --max-items"},
		{[]string{"--demo", "--region", "us-west-2"}, "--region cannot be used with --demo"},
		{[]string{"--demo", "--status", "DONE"}, `--status "DONE"`},
		{[]string{"--demo", "--page-size", "0"}, "--page-size 0 is out of range"},
		{[]string{"--demo", "--page-size", "x"}, "page-size"},
		{[]string{"--demo", "--created-after", "yesterday"}, "--created-after"},
		{[]string{"--project", "arn:aws:devicefarm:us-west-2:1:testgrid-session:x/y"}, "--project"},
		{[]string{"--demo", "--endpoint", "ftp://x"}, "--endpoint"},
	}
	for _, tt := range tests {
		_, err := NewOptions(tt.args, testNow)
		var ue *cmdutil.UsageError
		if assert.ErrorAs(t, err, &ue, "%q", tt.args) {
			assert.Contains(t, ue.Error(), tt.want, "%q", tt.args)
		}
	}
}

func TestSummaryUsageErrorExitCode(t *testing.T) {
	t.Parallel()
	r := runTestgrid(t.Context(), cmdutil.Env{}, "summary", "--demo", "--output", "pdf")
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, []string{
		`testgrid summary: --output "pdf" is not one of table, json, csv, markdown, html`,
		"run 'testgrid summary --help' for usage",
	}, lines(r.stderr))
}

func TestSummaryHelpDocumentsEveryFlag(t *testing.T) {
	t.Parallel()
	var (
		r     listflags.Raw
		tz    string
		names []string
	)
	summaryFlagSet(&Options{list: &listflags.Options{}}, &r, &tz, gateFlags{}).VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	assert.Equal(t, []string{
		"ascii", "created-after", "created-before", "demo", "ended-after", "ended-before", "endpoint", "endpoint-url",
		"list-errored", "max-active", "max-errored", "o", "output", "output-file", "page-size", "profile", "project", "region", "status", "tz",
	}, names, "the listing flags of addListFlags, one AWS CLI spelling and the summary's own")
	for _, form := range []string{"RFC 3339", "a date", "epoch seconds (1740821400", "a duration before now"} {
		assert.Contains(t, Usage, form, "every time form is listed")
	}
	for _, name := range names {
		if len(name) == 1 {
			assert.Regexp(t, `(?m)^  -`+name+`\b`, Usage, "flag -%s", name)
			continue
		}
		assert.Regexp(t, `(?m)^  (-o FILE, )?--`+name+`\b`, Usage, "flag --%s", name)
	}
}
