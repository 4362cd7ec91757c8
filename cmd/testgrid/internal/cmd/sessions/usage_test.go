package sessions

import (
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listflags"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
)

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

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"sessions", "--help"}, {"sessions", "-h"}, {"sessions", "-help"}, {"sessions", "--demo", "--help"}} {
		r := runTestgrid(t.Context(), cmdutil.Env{}, args...)
		assert.Equal(t, cmdutil.ExitOK, r.code, args)
		assert.Equal(t, Usage, r.stdout, args)
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
		if f.Name == "o" {
			assert.Regexp(t, `(?m)^  -o FILE, --output-file FILE\b`, Usage)
			assert.Contains(t, docText(t), "-o FILE", "doc.go mentions -o")
			return
		}
		assert.Regexp(t, `(?m)^  (-o FILE, )?--`+f.Name+`\b`, Usage, "flag --%s", f.Name)
		assert.Contains(t, docText(t), "--"+f.Name, "doc.go mentions --%s", f.Name)
	})
	assert.Equal(t, 25, n, "14 flags, --starting-token, --debug, -o and --output-file, and 7 AWS CLI spellings")
	for _, format := range output.Formats {
		assert.Contains(t, Usage, format)
	}
}
