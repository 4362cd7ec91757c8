//lint:file-ignore SA1019 the deprecated endpoint resolvers are among the settings tested

package compat_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	official "github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
)

// The endpoints the cases configure. Each setting uses its own, so the
// request's host says which setting won. None is ever dialed: requests go
// to a recordingTransport.
const (
	globalURL   = "http://127.0.0.1:1111" // AWS_ENDPOINT_URL, profile endpoint_url, resolvers
	serviceURL  = "http://127.0.0.1:2222" // AWS_ENDPOINT_URL_DEVICE_FARM, services section
	optionURL   = "http://localhost:3333" // config.WithBaseEndpoint, EndpointResolver
	defaultURL  = "https://devicefarm.us-west-2.amazonaws.com"
	defaultSign = "us-west-2/devicefarm"
)

// servicesSection is a shared-config services section giving Device Farm
// serviceURL; profiles reference it with "services = compat".
const servicesSection = `
[services compat]
device_farm =
  endpoint_url = ` + serviceURL + `
`

// isolateEnv removes every AWS_* variable for the test (the developer's or
// CI's profile, region, CA bundle or endpoint must not leak in), points the
// shared config and credentials files at temporary files (sharedConfig is
// the config file's content), sets HOME to an empty directory, static
// credentials, AWS_REGION=us-west-2 and disables IMDS, then sets env.
//
// The variables are unset, not set empty: the official client tests
// whether AWS_ENDPOINT_URL is present with os.LookupEnv.
func isolateEnv(t *testing.T, sharedConfig string, env map[string]string) {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "") // restored after the test
			require.NoError(t, os.Unsetenv(k))
		}
	}
	dir := t.TempDir()
	configFile := filepath.Join(dir, "config")
	credentialsFile := filepath.Join(dir, "credentials")
	require.NoError(t, os.WriteFile(configFile, []byte(sharedConfig), 0o600))
	require.NoError(t, os.WriteFile(credentialsFile, nil, 0o600))
	t.Setenv("HOME", dir)
	t.Setenv("AWS_CONFIG_FILE", configFile)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", credentialsFile)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDCOMPATTEST000001")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "compat/FAKE/secret")
	t.Setenv("AWS_REGION", "us-west-2")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for k, v := range env {
		t.Setenv(k, v)
	}
}

// resolverCalls records the (service, region) pairs a deprecated endpoint
// resolver was asked for.
type resolverCalls struct {
	mu    sync.Mutex
	calls []string
}

func (c *resolverCalls) add(service, region string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, service+"|"+region)
}

// distinct returns the distinct pairs, sorted: the official client asks on
// every call, ours once in NewFromConfig.
func (c *resolverCalls) distinct() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := slices.Clone(c.calls)
	slices.Sort(out)
	return slices.Compact(out)
}

// resolverWithOptions returns a deprecated aws.EndpointResolverWithOptions
// that records its arguments and answers ep, or err when set.
func resolverWithOptions(calls *resolverCalls, ep aws.Endpoint, err error) aws.EndpointResolverWithOptions {
	return aws.EndpointResolverWithOptionsFunc(func(service, region string, _ ...any) (aws.Endpoint, error) {
		calls.add(service, region)
		if err != nil {
			return aws.Endpoint{}, err
		}
		return ep, nil
	})
}

// endpointOutcome is what one client did for one setting.
type endpointOutcome struct {
	err      error
	sent     []sentRequest
	resolver []string // distinct (service|region) asked of the resolver
}

// TestEndpointResolutionAgrees configures the endpoint in each way
// aws.Config and config.LoadDefaultConfig allow (FIPS and dual-stack
// included), builds both clients with
// NewFromConfig from the same config and environment, makes one call with
// each, and requires that both send exactly one request to the same
// scheme://host, signed for the same region and service, and that a
// deprecated resolver was asked the same (service, region). want is what
// the official client's resolveBaseEndpoint and legacy resolver produce.
func TestEndpointResolutionAgrees(t *testing.T) {
	cases := []struct {
		name      string
		env       map[string]string
		config    string // shared config file
		opts      func(calls *resolverCalls) []func(*config.LoadOptions) error
		want      string
		wantScope string // default defaultSign
		// wantResolver is the distinct (service|region) pairs the
		// deprecated resolver must have been asked, if one is set.
		wantResolver []string
	}{
		{
			name: "AWS_ENDPOINT_URL_DEVICE_FARM",
			env:  map[string]string{"AWS_ENDPOINT_URL_DEVICE_FARM": serviceURL},
			want: serviceURL,
		},
		{
			name: "AWS_ENDPOINT_URL",
			env:  map[string]string{"AWS_ENDPOINT_URL": globalURL},
			want: globalURL,
		},
		{
			name: "both env vars: the service-specific one wins",
			env:  map[string]string{"AWS_ENDPOINT_URL": globalURL, "AWS_ENDPOINT_URL_DEVICE_FARM": serviceURL},
			want: serviceURL,
		},
		{
			name:   "services section of the profile",
			config: "[default]\nservices = compat\n" + servicesSection,
			want:   serviceURL,
		},
		{
			name:   "profile endpoint_url alone",
			config: "[default]\nendpoint_url = " + globalURL + "\n",
			want:   globalURL,
		},
		{
			name:   "profile endpoint_url and services section: the service-specific one wins",
			config: "[default]\nendpoint_url = " + globalURL + "\nservices = compat\n" + servicesSection,
			want:   serviceURL,
		},
		{
			// AWS_ENDPOINT_URL set without AWS_ENDPOINT_URL_DEVICE_FARM stops
			// the lookup of the config sources: the services section is not read.
			name:   "AWS_ENDPOINT_URL hides the services section",
			env:    map[string]string{"AWS_ENDPOINT_URL": globalURL},
			config: "[default]\nservices = compat\n" + servicesSection,
			want:   globalURL,
		},
		{
			name: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores env and profile",
			env: map[string]string{
				"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
				"AWS_ENDPOINT_URL":                    globalURL,
				"AWS_ENDPOINT_URL_DEVICE_FARM":        serviceURL,
			},
			config: "[default]\nendpoint_url = " + globalURL + "\nservices = compat\n" + servicesSection,
			want:   defaultURL,
		},
		{
			name:   "ignore_configured_endpoint_urls in the profile ignores env and profile",
			env:    map[string]string{"AWS_ENDPOINT_URL_DEVICE_FARM": serviceURL},
			config: "[default]\nignore_configured_endpoint_urls = true\nendpoint_url = " + globalURL + "\nservices = compat\n" + servicesSection,
			want:   defaultURL,
		},
		{
			name: "AWS_USE_FIPS_ENDPOINT",
			env:  map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"},
			want: "https://devicefarm-fips.us-west-2.amazonaws.com",
		},
		{
			name:   "use_dualstack_endpoint in the profile",
			config: "[default]\nuse_dualstack_endpoint = true\n",
			want:   "https://devicefarm.us-west-2.api.aws",
		},
		{
			name: "FIPS and dual-stack",
			env:  map[string]string{"AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"},
			want: "https://devicefarm-fips.us-west-2.api.aws",
		},
		{
			name: "config.WithBaseEndpoint",
			opts: func(*resolverCalls) []func(*config.LoadOptions) error {
				return []func(*config.LoadOptions) error{config.WithBaseEndpoint(optionURL)}
			},
			want: optionURL,
		},
		{
			// config.LoadOptions is the first config source and answers
			// GetServiceBaseEndpoint with its BaseEndpoint for every service.
			name: "config.WithBaseEndpoint beats AWS_ENDPOINT_URL_DEVICE_FARM",
			env:  map[string]string{"AWS_ENDPOINT_URL_DEVICE_FARM": serviceURL},
			opts: func(*resolverCalls) []func(*config.LoadOptions) error {
				return []func(*config.LoadOptions) error{config.WithBaseEndpoint(optionURL)}
			},
			want: optionURL,
		},
		{
			name: "deprecated EndpointResolverWithOptions",
			opts: func(calls *resolverCalls) []func(*config.LoadOptions) error {
				return []func(*config.LoadOptions) error{
					config.WithEndpointResolverWithOptions(resolverWithOptions(calls, aws.Endpoint{URL: globalURL}, nil)),
				}
			},
			want:         globalURL,
			wantResolver: []string{"Device Farm|us-west-2"},
		},
		{
			name: "deprecated EndpointResolverWithOptions with SigningRegion",
			opts: func(calls *resolverCalls) []func(*config.LoadOptions) error {
				return []func(*config.LoadOptions) error{
					config.WithEndpointResolverWithOptions(resolverWithOptions(calls, aws.Endpoint{URL: globalURL, SigningRegion: "us-east-1"}, nil)),
				}
			},
			want:         globalURL,
			wantScope:    "us-east-1/devicefarm",
			wantResolver: []string{"Device Farm|us-west-2"},
		},
		{
			name: "deprecated EndpointResolverWithOptions answering EndpointNotFoundError falls back to the default",
			opts: func(calls *resolverCalls) []func(*config.LoadOptions) error {
				return []func(*config.LoadOptions) error{
					config.WithEndpointResolverWithOptions(resolverWithOptions(calls, aws.Endpoint{}, &aws.EndpointNotFoundError{})),
				}
			},
			want:         defaultURL,
			wantResolver: []string{"Device Farm|us-west-2"},
		},
		{
			name: "deprecated EndpointResolverWithOptions answering EndpointNotFoundError falls back to AWS_ENDPOINT_URL_DEVICE_FARM",
			env:  map[string]string{"AWS_ENDPOINT_URL_DEVICE_FARM": serviceURL},
			opts: func(calls *resolverCalls) []func(*config.LoadOptions) error {
				return []func(*config.LoadOptions) error{
					config.WithEndpointResolverWithOptions(resolverWithOptions(calls, aws.Endpoint{}, &aws.EndpointNotFoundError{})),
				}
			},
			want:         serviceURL,
			wantResolver: []string{"Device Farm|us-west-2"},
		},
		{
			name: "deprecated EndpointResolver",
			opts: func(calls *resolverCalls) []func(*config.LoadOptions) error {
				return []func(*config.LoadOptions) error{config.WithEndpointResolver(aws.EndpointResolverFunc(func(service, region string) (aws.Endpoint, error) {
					calls.add(service, region)
					return aws.Endpoint{URL: optionURL}, nil
				}))}
			},
			want:         optionURL,
			wantResolver: []string{"Device Farm|us-west-2"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			isolateEnv(t, tc.config, tc.env)
			wantScope := tc.wantScope
			if wantScope == "" {
				wantScope = defaultSign
			}

			run := func(call func(cfg aws.Config) error) endpointOutcome {
				t.Helper()
				rt := &recordingTransport{}
				calls := &resolverCalls{}
				opts := []func(*config.LoadOptions) error{config.WithHTTPClient(&http.Client{Transport: rt})}
				if tc.opts != nil {
					opts = append(opts, tc.opts(calls)...)
				}
				cfg, err := config.LoadDefaultConfig(context.Background(), opts...)
				require.NoError(t, err, "LoadDefaultConfig")
				err = call(cfg)
				return endpointOutcome{err: err, sent: rt.requests(), resolver: calls.distinct()}
			}
			off := run(func(cfg aws.Config) error {
				return listOfficial(context.Background(), official.NewFromConfig(cfg), project)
			})
			ours := run(func(cfg aws.Config) error {
				return listOurs(context.Background(), devicefarm.NewFromConfig(cfg), project)
			})

			// The official client first, so a wrong expectation is told
			// apart from a difference of ours.
			require.NoError(t, off.err, "official client")
			require.Len(t, off.sent, 1, "official client: requests")
			require.Equal(t, tc.want, off.sent[0].endpoint, "official client: endpoint")
			require.Equal(t, wantScope, off.sent[0].scope, "official client: signing scope")
			require.Equal(t, tc.wantResolver, off.resolver, "official client: resolver calls")

			require.NoError(t, ours.err, "our client")
			require.Len(t, ours.sent, 1, "our client: requests")
			require.Equal(t, off.sent[0].endpoint, ours.sent[0].endpoint, "endpoint: ours differs from the official client's")
			require.Equal(t, off.sent[0].scope, ours.sent[0].scope, "signing scope: ours differs from the official client's")
			require.Equal(t, off.resolver, ours.resolver, "resolver calls: ours differ from the official client's")
		})
	}
}

// TestPlaintextNonLoopbackEndpointRefused is the documented difference: an
// http:// endpoint on a host that is not loopback, from any source, makes
// every call of ours fail with an error naming the endpoint and the
// loopback rule, before any request is sent (the signature and session
// token would travel in clear). The official client sends the request; it
// is logged, not asserted.
func TestPlaintextNonLoopbackEndpointRefused(t *testing.T) {
	const plain = "http://example.com"
	cases := []struct {
		name string
		env  map[string]string
		opts []func(*config.LoadOptions) error
	}{
		{name: "AWS_ENDPOINT_URL_DEVICE_FARM", env: map[string]string{"AWS_ENDPOINT_URL_DEVICE_FARM": plain}},
		{name: "AWS_ENDPOINT_URL", env: map[string]string{"AWS_ENDPOINT_URL": plain}},
		{name: "config.WithBaseEndpoint", opts: []func(*config.LoadOptions) error{config.WithBaseEndpoint(plain)}},
		{name: "deprecated EndpointResolverWithOptions", opts: []func(*config.LoadOptions) error{
			config.WithEndpointResolverWithOptions(resolverWithOptions(&resolverCalls{}, aws.Endpoint{URL: plain}, nil)),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			isolateEnv(t, "", tc.env)
			load := func(rt *recordingTransport) aws.Config {
				cfg, err := config.LoadDefaultConfig(context.Background(),
					append([]func(*config.LoadOptions) error{config.WithHTTPClient(&http.Client{Transport: rt})}, tc.opts...)...)
				require.NoError(t, err)
				return cfg
			}

			offRT := &recordingTransport{}
			offErr := listOfficial(context.Background(), official.NewFromConfig(load(offRT)), project)
			t.Logf("official client (documented difference): err=%v, requests=%v", offErr, offRT.requests())

			rt := &recordingTransport{}
			err := listOurs(context.Background(), devicefarm.NewFromConfig(load(rt)), project)
			require.Error(t, err)
			require.Empty(t, rt.requests(), "a refused endpoint must cost no request")
			var oe *smithy.OperationError
			require.True(t, errors.As(err, &oe), "want a *smithy.OperationError, got %T: %v", err, err)
			msg := err.Error()
			require.Contains(t, msg, "example.com", "the error names the endpoint")
			require.Contains(t, msg, "loopback", "the error says why it is refused")
			t.Logf("ours: %v", err)
		})
	}
}
