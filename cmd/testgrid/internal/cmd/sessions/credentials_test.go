package sessions

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

func TestCredentialsNeverPrinted(t *testing.T) {
	t.Parallel()
	const token = "SESSION-TOKEN-sekrit-123"
	srv := newServer(t, func(o *devicefarmtest.Options) { o.SessionToken = "the-right-token" })
	srv.Seed(testProject, 5, 1)
	opts := srv.Options()
	for _, creds := range []aws.Credentials{
		{AccessKeyID: opts.AccessKeyID, SecretAccessKey: "wrong-secret-abcdef", SessionToken: opts.SessionToken},
		{AccessKeyID: opts.AccessKeyID, SecretAccessKey: opts.SecretAccessKey, SessionToken: token},
	} {
		e := awsEnv(srv)
		e.LoadOptions = []func(*config.LoadOptions) error{config.WithCredentialsProvider(aws.CredentialsProviderFunc(
			func(context.Context) (aws.Credentials, error) { return creds, nil }))}
		r := runTestgrid(t.Context(), e, listArgs(srv)...)
		assert.Equal(t, cmdutil.ExitFailure, r.code)
		line := requireOneErrorLine(t, r)
		assert.Regexp(t, `(InvalidSignatureException|UnrecognizedClientException)`, line)
		for _, secret := range []string{creds.SecretAccessKey, creds.SessionToken, opts.SecretAccessKey, opts.SessionToken} {
			assert.NotContains(t, r.stderr+r.stdout, secret)
		}
	}
}

func TestProfileAndRegion(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	all := srv.Seed(testProject, 12, 4)
	opts := srv.Options()
	dir := t.TempDir()
	configFile := filepath.Join(dir, "config")
	require.NoError(t, os.WriteFile(configFile, []byte(fmt.Sprintf(`[profile ci]
aws_access_key_id = %s
aws_secret_access_key = %s

[profile ireland]
region = eu-west-1
aws_access_key_id = %[1]s
aws_secret_access_key = %[2]s
`, opts.AccessKeyID, opts.SecretAccessKey)), 0o600))
	e := awsEnv(srv)
	e.LoadOptions = []func(*config.LoadOptions) error{
		config.WithSharedConfigFiles([]string{configFile}),
		config.WithSharedCredentialsFiles([]string{filepath.Join(dir, "none")}),
	}

	// Credentials from the profile; no region anywhere: us-west-2.
	r := runTestgrid(t.Context(), e, listArgs(srv, "--profile", "ci", "--output", "ndjson")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	assert.Equal(t, ids(all), ndjsonIDs(t, r.stdout))
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Contains(t, reqs[0].Header.Get("Authorization"), "/us-west-2/devicefarm/aws4_request")
	assert.Contains(t, reqs[0].Header.Get("User-Agent"), "app/testgrid")

	// The profile's region is used, and the fake refuses its signature...
	r = runTestgrid(t.Context(), e, listArgs(srv, "--profile", "ireland")...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Contains(t, requireOneErrorLine(t, r), "InvalidSignatureException")
	// ...unless --region overrides it.
	r = runTestgrid(t.Context(), e, listArgs(srv, "--profile", "ireland", "--region", "us-west-2")...)
	assert.Equal(t, cmdutil.ExitOK, r.code, r.stderr)

	// Without --endpoint, a region DeviceFarm does not serve is a usage
	// error, reported before anything is sent.
	srv.ResetRequests()
	r = runTestgrid(t.Context(), e, "sessions", "--project", testProject, "--profile", "ireland")
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Contains(t, r.stderr, `region "eu-west-1" is not served by DeviceFarm`)
	assert.Contains(t, r.stderr, "run 'testgrid sessions --help' for usage")
	assert.Empty(t, srv.Requests())

	// An unknown profile is a usage error.
	r = runTestgrid(t.Context(), e, listArgs(srv, "--profile", "nope")...)
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Contains(t, r.stderr, `testgrid sessions: AWS profile "nope" not found`)
}

func TestMissingCredentials(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 5, 1)
	e := awsEnv(srv)
	e.LoadOptions = []func(*config.LoadOptions) error{config.WithCredentialsProvider(aws.CredentialsProviderFunc(
		func(context.Context) (aws.Credentials, error) { return aws.Credentials{}, errors.New("no role found") }))}
	r := runTestgrid(t.Context(), e, listArgs(srv)...)
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Empty(t, r.stdout)
	line := requireOneErrorLine(t, r)
	assert.Contains(t, line, "testgrid: cannot get AWS credentials: ")
	assert.Contains(t, line, "no role found")
	assert.Contains(t, line, "--profile")
	assert.Empty(t, srv.Requests(), "nothing is sent without credentials")
}
