package devicefarm

//lint:file-ignore SA1019 the deprecated endpoint resolvers are read on purpose, as the official client reads them

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// configSource answers the lookups that config.LoadDefaultConfig's sources
// answer (bench/compat checks the real ones against the official client);
// a zero field is a setting the source does not hold.
type configSource struct {
	ignore, ignoreFound bool
	services            map[string]string
	fips                aws.FIPSEndpointState
	dualStack           aws.DualStackEndpointState
}

func (s configSource) GetIgnoreConfiguredEndpoints(context.Context) (bool, bool, error) {
	return s.ignore, s.ignoreFound, nil
}

func (s configSource) GetServiceBaseEndpoint(_ context.Context, sdkID string) (string, bool, error) {
	v, ok := s.services[sdkID]
	return v, ok, nil
}

func (s configSource) GetUseFIPSEndpoint(context.Context) (aws.FIPSEndpointState, bool, error) {
	return s.fips, s.fips != aws.FIPSEndpointStateUnset, nil
}

func (s configSource) GetUseDualStackEndpoint(context.Context) (aws.DualStackEndpointState, bool, error) {
	return s.dualStack, s.dualStack != aws.DualStackEndpointStateUnset, nil
}

// Endpoint resolution from an aws.Config follows the official client's
// resolveBaseEndpoint, then its legacy resolver.
func TestNewFromConfig_Endpoint(t *testing.T) {
	const (
		global  = "http://127.0.0.1:1111"
		service = "http://127.0.0.1:2222"
		legacy  = "http://localhost:3333"
	)
	deviceFarm := configSource{services: map[string]string{ServiceID: service}}
	legacyResolver := aws.EndpointResolverWithOptionsFunc(func(svc, region string, _ ...any) (aws.Endpoint, error) {
		if svc != ServiceID {
			return aws.Endpoint{}, fmt.Errorf("asked for %q", svc)
		}
		return aws.Endpoint{URL: legacy, SigningRegion: "us-east-1"}, nil
	})
	tests := []struct {
		name        string
		env         map[string]string
		cfg         aws.Config
		wantURL     string
		wantRegion  string
		wantErrPart string
	}{
		{name: "nothing configured", wantURL: "https://devicefarm.us-west-2.amazonaws.com/"},
		{name: "BaseEndpoint", cfg: aws.Config{BaseEndpoint: aws.String(global)}, wantURL: global + "/"},
		{name: "service-specific source", cfg: aws.Config{ConfigSources: []any{deviceFarm}}, wantURL: service + "/"},
		{name: "service-specific wins over BaseEndpoint", cfg: aws.Config{BaseEndpoint: aws.String(global), ConfigSources: []any{deviceFarm}}, wantURL: service + "/"},
		{
			name: "AWS_ENDPOINT_URL without AWS_ENDPOINT_URL_DEVICE_FARM ends the lookup",
			env:  map[string]string{"AWS_ENDPOINT_URL": global},
			cfg:  aws.Config{BaseEndpoint: aws.String(global), ConfigSources: []any{deviceFarm}}, wantURL: global + "/",
		},
		{
			name: "both variables: the service's wins",
			env:  map[string]string{"AWS_ENDPOINT_URL": global, "AWS_ENDPOINT_URL_DEVICE_FARM": service},
			cfg:  aws.Config{BaseEndpoint: aws.String(global), ConfigSources: []any{deviceFarm}}, wantURL: service + "/",
		},
		{
			name: "configured endpoints ignored",
			cfg:  aws.Config{ConfigSources: []any{configSource{ignore: true, ignoreFound: true}, deviceFarm}}, wantURL: "https://devicefarm.us-west-2.amazonaws.com/",
		},
		{
			name: "ignore flag found false",
			cfg:  aws.Config{ConfigSources: []any{configSource{ignoreFound: true}, deviceFarm}}, wantURL: service + "/",
		},
		{
			name:    "legacy resolver wins and signs for its region",
			cfg:     aws.Config{BaseEndpoint: aws.String(global), ConfigSources: []any{deviceFarm}, EndpointResolverWithOptions: legacyResolver},
			wantURL: legacy + "/", wantRegion: "us-east-1",
		},
		{
			name: "legacy resolver without an endpoint falls back",
			cfg: aws.Config{ConfigSources: []any{deviceFarm}, EndpointResolverWithOptions: aws.EndpointResolverWithOptionsFunc(func(string, string, ...any) (aws.Endpoint, error) {
				return aws.Endpoint{}, &aws.EndpointNotFoundError{Err: errors.New("no")}
			})},
			wantURL: service + "/",
		},
		{
			name: "legacy resolver failing",
			cfg: aws.Config{EndpointResolver: aws.EndpointResolverFunc(func(string, string) (aws.Endpoint, error) {
				return aws.Endpoint{}, errors.New("resolver\nbroke")
			})},
			wantErrPart: "failed to resolve service endpoint, resolver broke",
		},
		{
			name:        "plaintext off loopback from the service setting",
			cfg:         aws.Config{ConfigSources: []any{configSource{services: map[string]string{ServiceID: "http://devicefarm.example.com"}}}},
			wantErrPart: `refusing plaintext endpoint "http://devicefarm.example.com" from the Device Farm endpoint configuration (AWS_ENDPOINT_URL_DEVICE_FARM or the profile's services section)`,
		},
		{
			name:        "no scheme in AWS_ENDPOINT_URL",
			cfg:         aws.Config{BaseEndpoint: aws.String("127.0.0.1:8080")},
			wantErrPart: "invalid endpoint in aws.Config.BaseEndpoint (AWS_ENDPOINT_URL or the profile's endpoint_url): it has no scheme; write https://HOST[:PORT], or http://127.0.0.1:PORT for a local fake",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DEVICE_FARM"} {
				t.Setenv(name, "") // restored after the test
				require.NoError(t, os.Unsetenv(name))
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg := tt.cfg
			cfg.Region = "us-west-2"
			cfg.Credentials = testCredentials()
			c := NewFromConfig(cfg)
			if tt.wantErrPart != "" {
				require.Error(t, c.resolved.err)
				assert.Contains(t, c.resolved.err.Error(), tt.wantErrPart)
				_, err := c.ListTestGridSessions(context.Background(), testInput())
				assert.Equal(t, 0, requireOperationError(t, err))
				return
			}
			require.NoError(t, c.resolved.err)
			assert.Equal(t, tt.wantURL, c.resolved.url)
			wantRegion := tt.wantRegion
			if wantRegion == "" {
				wantRegion = "us-west-2"
			}
			assert.Equal(t, wantRegion, c.resolved.signingRegion)
		})
	}
}

// An endpoint set by a per-call option after NewFromConfig is named as
// BaseEndpoint in errors, not as the configuration's.
func TestNewFromConfig_EndpointSourceFollowsTheValue(t *testing.T) {
	c := NewFromConfig(aws.Config{Credentials: testCredentials(), ConfigSources: []any{configSource{services: map[string]string{ServiceID: "http://127.0.0.1:1"}}}})
	_, err := c.ListTestGridSessions(context.Background(), testInput(), func(o *Options) {
		o.BaseEndpoint = "http://elsewhere.example"
	})
	require.ErrorContains(t, err, `refusing plaintext endpoint "http://elsewhere.example" from BaseEndpoint`)
}

// The FIPS and dual-stack settings come from the config sources.
func TestNewFromConfig_EndpointFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		sources         []any
		fips, dualStack bool
		wantURL         string
	}{
		{
			name:    "FIPS and dual-stack enabled",
			sources: []any{configSource{fips: aws.FIPSEndpointStateEnabled}, configSource{dualStack: aws.DualStackEndpointStateEnabled}},
			fips:    true, dualStack: true, wantURL: "https://devicefarm-fips.us-west-2.api.aws/",
		},
		{
			name:    "FIPS disabled, and a source of another kind",
			sources: []any{configSource{fips: aws.FIPSEndpointStateDisabled}, "not a source"},
			wantURL: "https://devicefarm.us-west-2.amazonaws.com/",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := NewFromConfig(aws.Config{Region: "us-west-2", Credentials: testCredentials(), ConfigSources: tt.sources})
			assert.Equal(t, tt.fips, c.Options().UseFIPSEndpoint)
			assert.Equal(t, tt.dualStack, c.Options().UseDualStackEndpoint)
			assert.Equal(t, tt.wantURL, c.resolved.url)
		})
	}
}
