package awsclient

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/listflags"
)

// Open returns the client to list with and a function that releases
// it: the demo's fake service with --demo, else DeviceFarm (or --endpoint)
// with the configuration of config.LoadDefaultConfig.
func Open(ctx context.Context, o *listflags.Options, e cmdutil.Env) (*devicefarm.Client, func(), error) {
	if o.Demo {
		c, closeFn := startDemo(e.Now(), e.ClientOptions)
		return c, closeFn, nil
	}
	c, err := newAWSClient(ctx, o, e)
	return c, func() {}, err
}

// newAWSClient loads the AWS configuration (environment, shared files and
// profiles, SSO, roles), applies --profile, --region and --endpoint,
// retrieves the credentials and returns a client.
func newAWSClient(ctx context.Context, o *listflags.Options, e cmdutil.Env) (*devicefarm.Client, error) {
	// The SDK's default logger writes warnings (such as IMDS fallbacks) to
	// stderr; errors reach the user through our one-line message instead.
	loadOpts := []func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}
	if o.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		loadOpts = append(loadOpts, config.WithRegion(o.Region))
	}
	loadOpts = append(loadOpts, e.LoadOptions...)
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration: %w", err)
	}
	// Resolve credentials now, through the SDK's provider chain, to report
	// a missing or expired login clearly. The result stays in the
	// provider's cache (an *aws.CredentialsCache), which the client reuses.
	if cfg.Credentials == nil {
		return nil, &credentialsError{errors.New("no credentials provider configured")}
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, &credentialsError{err}
	}
	if cfg.Region == "" {
		cfg.Region = devicefarm.DefaultRegion
	}
	if cfg.AppID == "" {
		cfg.AppID = appID
	}
	var fns []func(*devicefarm.Options)
	if o.Endpoint != "" {
		fns = append(fns, func(do *devicefarm.Options) { do.BaseEndpoint = o.Endpoint })
	}
	fns = append(fns, e.ClientOptions...)
	return devicefarm.NewFromConfig(cfg, fns...), nil
}

// credentialsError reports that no usable credentials were found.
type credentialsError struct{ err error }

func (e *credentialsError) Error() string {
	return "cannot get AWS credentials: " + e.err.Error() +
		" (configure them with environment variables, a shared config profile and --profile, or 'aws sso login'; or try --demo)"
}

func (e *credentialsError) Unwrap() error { return e.err }

// AnnounceDemo, with --demo, says on stderr that the sessions listed are
// generated, not from AWS, and lists demoProject unless --project was
// given.
func AnnounceDemo(stderr io.Writer, o *listflags.Options) {
	if !o.Demo {
		return
	}
	if o.Project == "" {
		o.Project = DemoProject
	}
	fmt.Fprintln(stderr, "testgrid: demo mode: generated sessions from a built-in fake service, not from AWS")
}
