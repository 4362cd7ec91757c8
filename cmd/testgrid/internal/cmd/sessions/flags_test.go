package sessions

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listflags"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listing"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/output"
)

func TestParseSessionsArgs(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	o, err := NewOptions([]string{
		"--project=" + testProject, "-status", "errored", "--created-after", "90m",
		"--created-before=2025-03-10T11:59:59Z", "--ended-after", "2025-03-01", "--ended-before", "1w",
		"--page-size", "1000", "--max-items=5", "--output", "JSON", "--region", "us-west-2", "--profile", "ci",
		"--endpoint", "https://devicefarm.example.com/base",
	}, now)
	require.NoError(t, err)
	assert.Equal(t, &listflags.Options{
		Project:       testProject,
		Status:        devicefarm.TestGridSessionStatusErrored,
		CreatedAfter:  now.Add(-90 * time.Minute),
		CreatedBefore: time.Date(2025, 3, 10, 11, 59, 59, 0, time.UTC),
		EndedAfter:    time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
		EndedBefore:   now.Add(-7 * 24 * time.Hour),
		PageSize:      1000,
		MaxItems:      5,
		Output:        output.FormatJSON,
		Region:        "us-west-2",
		Profile:       "ci",
		Endpoint:      "https://devicefarm.example.com/base",
		Query: listing.ResumeQuery{
			Project:       testProject,
			Status:        "ERRORED",
			CreatedAfter:  &listing.TimeBound{Raw: "90m", At: now.Add(-90 * time.Minute)},
			CreatedBefore: &listing.TimeBound{Raw: "2025-03-10T11:59:59Z", At: time.Date(2025, 3, 10, 11, 59, 59, 0, time.UTC)},
			EndedAfter:    &listing.TimeBound{Raw: "2025-03-01", At: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
			EndedBefore:   &listing.TimeBound{Raw: "1w", At: now.Add(-7 * 24 * time.Hour)},
		},
	}, o)
	assert.Equal(t, &devicefarm.ListTestGridSessionsInput{
		ProjectArn:         testProject,
		Status:             devicefarm.TestGridSessionStatusErrored,
		CreationTimeAfter:  o.CreatedAfter,
		CreationTimeBefore: o.CreatedBefore,
		EndTimeAfter:       o.EndedAfter,
		EndTimeBefore:      o.EndedBefore,
	}, o.Input())
}

func TestParseSessionsArgsDefaults(t *testing.T) {
	t.Parallel()
	o, err := NewOptions([]string{"--demo"}, time.Now())
	require.NoError(t, err)
	assert.Equal(t, &listflags.Options{Output: output.FormatTable, Demo: true}, o, "no filters, service page size, no limit")

	o, err = NewOptions([]string{"--project", testProject}, time.Now())
	require.NoError(t, err)
	assert.Equal(t, &listflags.Options{Project: testProject, Output: output.FormatTable, Query: listing.ResumeQuery{Project: testProject}}, o)
}

// TestEndpointFlagPlaintextOffLoopback: plain http:// to a host that is
// not loopback is a usage error when the flags are checked, naming the
// flag as typed, before any credentials are looked up.
func TestEndpointFlagPlaintextOffLoopback(t *testing.T) {
	t.Parallel()
	credentialsAsked := false
	e := cmdutil.Env{LoadOptions: []func(*config.LoadOptions) error{config.WithCredentialsProvider(aws.CredentialsProviderFunc(
		func(context.Context) (aws.Credentials, error) {
			credentialsAsked = true
			return aws.Credentials{}, errors.New("no credentials here")
		}))}}
	for _, tt := range []struct{ flag, value string }{
		{"--endpoint", "http://devicefarm.example.com"},
		{"--endpoint-url", "http://10.1.2.3:8080/base"},
		{"--endpoint", "http://[2001:db8::1]:8080"},
		{"--endpoint", "http://localhost.example.com"},
	} {
		r := runTestgrid(t.Context(), e, "sessions", "--project", testProject, tt.flag, tt.value)
		assert.Equal(t, cmdutil.ExitUsage, r.code, r.stderr)
		assert.Equal(t, fmt.Sprintf("testgrid sessions: %s %q must use https:// (plain http:// is only for loopback hosts)\nrun 'testgrid sessions --help' for usage\n", tt.flag, tt.value), r.stderr)
	}
	assert.False(t, credentialsAsked)
	for _, ok := range []string{"http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1", "http://127.5.6.7:1", "https://devicefarm.example.com"} {
		_, err := NewOptions([]string{"--project", testProject, "--endpoint", ok}, testNow)
		assert.NoError(t, err, ok)
	}
}
