package sessions

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// The AWS CLI's spellings parse to the same options as testgrid's.
func TestAWSCLISpellings(t *testing.T) {
	t.Parallel()
	now := testNow
	canonical, err := NewOptions([]string{"--project", testProject, "--created-after", "1740821400",
		"--created-before", "2025-03-09T00:00:00Z", "--ended-after", "1740821400.5", "--ended-before", "1d",
		"--endpoint", "http://127.0.0.1:1", "--max-items", "50", "--page-size", "50", "--output", "aws-json"}, now)
	require.NoError(t, err)
	aws, err := NewOptions([]string{"--project-arn", testProject, "--creation-time-after", "1740821400",
		"--creation-time-before", "2025-03-09T00:00:00Z", "--end-time-after", "1740821400.5", "--end-time-before", "1d",
		"--endpoint-url", "http://127.0.0.1:1", "--max-result", "50", "--output", "aws-json"}, now)
	require.NoError(t, err)
	assert.Equal(t, canonical, aws)
	assert.Equal(t, 50, aws.MaxItems)
	assert.Equal(t, int32(50), aws.PageSize)
	assert.Equal(t, time.Date(2025, 3, 1, 9, 30, 0, 500e6, time.UTC), aws.EndedAfter)

	// Messages name the flag as typed.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--project-arn", "my-project"}, `--project-arn "my-project" is not a test grid project ARN`},
		{[]string{"--project", testProject, "--creation-time-after", "soon"}, `--creation-time-after: "soon" is not a time`},
		{[]string{"--project", testProject, "--end-time-after", "2d", "--end-time-before", "3d"}, "--end-time-after (2025-03-08T12:00:00Z) must be before --end-time-before (2025-03-07T12:00:00Z)"},
		{[]string{"--project", testProject, "--project-arn", testProject}, "--project and --project-arn are the same flag; give one"},
		{[]string{"--project", testProject, "--ended-after", "1d", "--end-time-after", "1d"}, "--ended-after and --end-time-after are the same flag; give one"},
		{[]string{"--project", testProject, "--endpoint", "http://127.0.0.1:1", "--endpoint-url", "http://127.0.0.1:1"}, "--endpoint and --endpoint-url are the same flag; give one"},
		{[]string{"--project", testProject, "--max-result", "0"}, "--max-result 0 is out of range: it must be 1 to 1000"},
		{[]string{"--project", testProject, "--max-result", "1001"}, "--max-result 1001 is out of range"},
		{[]string{"--project", testProject, "--max-result", "5", "--max-items", "5"}, "--max-result N means --max-items N --page-size N"},
		{[]string{"--project", testProject, "--max-result", "5", "--page-size", "5"}, "give either --max-result or those"},
		{[]string{"--demo", "--endpoint-url", "http://127.0.0.1:1"}, "--endpoint-url cannot be used with --demo"},
		{[]string{"--demo", "--next-token", "x"}, "--next-token cannot be used with --demo"},
	} {
		_, err := NewOptions(tt.args, now)
		if assert.Error(t, err, tt.args) {
			assert.Contains(t, err.Error(), tt.want, tt.args)
			assert.IsType(t, &cmdutil.UsageError{}, err)
		}
	}
}

// The AWS CLI's command line runs unchanged but for the program name and
// the output format: one request of --max-result sessions, the filters
// sent as the AWS CLI sends them.
func TestAWSCLICommandLine(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 60, 9)
	r := runTestgrid(t.Context(), awsEnv(srv), "sessions", "--project-arn", testProject, "--endpoint-url", srv.URL,
		"--status", "CLOSED", "--creation-time-after", "1739000000", "--max-result", "5", "--output", "aws-json")
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	doc := decodeAWSJSON(t, r.stdout)
	assert.Len(t, doc.TestGridSessions, 5)
	assert.NotEmpty(t, doc.NextToken)
	bodies := requestBodies(t, srv)
	require.Len(t, bodies, 1, "one request, as the AWS CLI makes")
	assert.Equal(t, "5", bodies[0]["maxResult"].(interface{ String() string }).String())
	assert.Equal(t, "1739000000", bodies[0]["creationTimeAfter"].(interface{ String() string }).String())
	assert.Equal(t, "CLOSED", bodies[0]["status"])
}

// A configuration that cannot work is a usage error whose line says what
// to do. Not parallel: it sets the process environment.
func TestConfigErrorsSayWhatToDo(t *testing.T) {
	srv := newServer(t)
	srv.Seed(testProject, 3, 1)
	config := filepath.Join(t.TempDir(), "config")
	require.NoError(t, os.WriteFile(config, []byte("[profile ireland]\nregion = eu-west-1\naws_access_key_id = "+srv.Options().AccessKeyID+
		"\naws_secret_access_key = "+srv.Options().SecretAccessKey+"\n"), 0o600))
	t.Setenv("AWS_CONFIG_FILE", config)
	t.Setenv("AWS_ACCESS_KEY_ID", srv.Options().AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", srv.Options().SecretAccessKey)
	e := awsEnv(srv)
	e.LoadOptions = nil // credentials from the environment, as a user's

	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"unknown --profile", nil, []string{"--profile", "nope"},
			`AWS profile "nope" not found in the shared config files (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE); check --profile and AWS_PROFILE, or create it with 'aws configure --profile nope'`},
		{"unknown AWS_PROFILE", map[string]string{"AWS_PROFILE": "gone"}, nil, `AWS profile "gone" not found`},
		{"a region DeviceFarm does not serve, from the profile", nil, []string{"--profile", "ireland"},
			`region "eu-west-1" is not served by DeviceFarm, which is only available in us-west-2; pass --region us-west-2 (the region comes from --region, else AWS_REGION or AWS_DEFAULT_REGION, else the profile's region), or --endpoint-url to call another endpoint`},
		{"a region DeviceFarm does not serve, from AWS_REGION", map[string]string{"AWS_REGION": "ap-south-1"}, nil, `region "ap-south-1" is not served by DeviceFarm`},
		{"an invalid region", nil, []string{"--region", "us west 2"},
			`invalid region "us west 2": it must be a DNS label such as us-west-2 (the region comes from --region, else AWS_REGION or AWS_DEFAULT_REGION, else the profile's region)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			r := runTestgrid(t.Context(), e, append([]string{"sessions", "--project", testProject}, tt.args...)...)
			assert.Equal(t, cmdutil.ExitUsage, r.code, r.stderr)
			assert.Empty(t, r.stdout)
			l := lines(r.stderr)
			require.Len(t, l, 2, r.stderr)
			assert.Contains(t, l[0], "testgrid sessions: "+tt.want)
			assert.Equal(t, "run 'testgrid sessions --help' for usage", l[1])
		})
	}
	assert.Empty(t, srv.Requests(), "nothing is sent")
}
