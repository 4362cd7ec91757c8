package compat_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	official "github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// TestNewFromConfigSettingsAgree builds both clients with NewFromConfig
// from the same aws.Config and requires the same behaviour for the
// settings other than the endpoint (TestEndpointResolutionAgrees covers
// that): Region and Credentials sign requests devicefarmtest accepts;
// cfg.Retryer is used and cfg.RetryMaxAttempts caps it (same attempt count,
// same *retry.MaxAttemptsError); RetryMode adaptive gives a
// *retry.AdaptiveMode; AppID reaches the User-Agent as app/ID; HTTPClient
// sends every request. DisableClockSkewCorrection is checked on ours
// alone: the official devicefarm v1.39.0 does not read it from aws.Config;
// so is the deprecated endpoint resolver being asked once per Client.
func TestNewFromConfigSettingsAgree(t *testing.T) {
	isolateEnv(t, "", nil) // NewFromConfig reads AWS_ENDPOINT_URL* from the environment
	ctx := context.Background()
	srv := newServer(t)

	t.Run("Region and Credentials", func(t *testing.T) {
		cfg := aws.Config{Region: "us-west-2", Credentials: srv.Credentials(), BaseEndpoint: aws.String(srv.URL)}
		srv.ResetRequests()
		require.NoError(t, listOfficial(ctx, official.NewFromConfig(cfg), project), "official client")
		require.NoError(t, listOurs(ctx, devicefarm.NewFromConfig(cfg), project), "our client")
		reqs := srv.Requests()
		require.Len(t, reqs, 2)
		for _, r := range reqs {
			require.Equal(t, http.StatusOK, r.StatusCode, "the signature verified")
		}
	})

	t.Run("Retryer and RetryMaxAttempts", func(t *testing.T) {
		for _, tc := range []struct {
			retryMaxAttempts int
			want             int
		}{{0, maxAttempts}, {2, 2}, {5, 5}} {
			t.Run(fmt.Sprintf("RetryMaxAttempts=%d", tc.retryMaxAttempts), func(t *testing.T) {
				cfg := aws.Config{
					Region:           "us-west-2",
					Credentials:      srv.Credentials(),
					BaseEndpoint:     aws.String(srv.URL),
					Retryer:          newRetryer,
					RetryMaxAttempts: tc.retryMaxAttempts,
				}
				attempts := func(call func() error) (int, *retry.MaxAttemptsError) {
					srv.ClearFaults()
					srv.ResetRequests()
					srv.Inject(devicefarmtest.Match{Times: 10}, devicefarmtest.ServiceUnavailable())
					err := call()
					var mae *retry.MaxAttemptsError
					require.True(t, errors.As(err, &mae), "want *retry.MaxAttemptsError, got %v", err)
					return len(srv.Requests()), mae
				}
				offN, offMAE := attempts(func() error { return listOfficial(ctx, official.NewFromConfig(cfg), project) })
				ourN, ourMAE := attempts(func() error { return listOurs(ctx, devicefarm.NewFromConfig(cfg), project) })
				require.Equal(t, tc.want, offN, "official: attempts")
				require.Equal(t, offN, ourN, "attempts: ours differ from the official client's")
				require.Equal(t, offMAE.Attempt, ourMAE.Attempt, "MaxAttemptsError.Attempt")
			})
		}
		srv.ClearFaults()
	})

	t.Run("RetryMode adaptive", func(t *testing.T) {
		cfg := aws.Config{Region: "us-west-2", Credentials: srv.Credentials(), RetryMode: aws.RetryModeAdaptive}
		off := fmt.Sprintf("%T", official.NewFromConfig(cfg).Options().Retryer)
		ours := fmt.Sprintf("%T", devicefarm.NewFromConfig(cfg).Options().Retryer)
		require.Equal(t, "*retry.AdaptiveMode", off, "official")
		require.Equal(t, off, ours, "retryer type")
	})

	t.Run("AppID and HTTPClient", func(t *testing.T) {
		run := func(call func(cfg aws.Config) error) []sentRequest {
			rt := &recordingTransport{}
			cfg := aws.Config{
				Region:      "us-west-2",
				Credentials: srv.Credentials(),
				AppID:       "compat-app",
				HTTPClient:  &http.Client{Transport: rt},
				Retryer: func() aws.Retryer {
					return retry.NewStandard(func(o *retry.StandardOptions) { o.RateLimiter = ratelimit.None })
				},
				BaseEndpoint: aws.String("http://127.0.0.1:1111"), // never dialed: rt answers
			}
			require.NoError(t, call(cfg))
			return rt.requests()
		}
		off := run(func(cfg aws.Config) error { return listOfficial(ctx, official.NewFromConfig(cfg), project) })
		ours := run(func(cfg aws.Config) error { return listOurs(ctx, devicefarm.NewFromConfig(cfg), project) })
		require.Len(t, off, 1, "official: the configured HTTPClient sent the request")
		require.Len(t, ours, 1, "ours: the configured HTTPClient sent the request")
		require.Contains(t, off[0].userAgent, "app/compat-app", "official User-Agent")
		require.Contains(t, ours[0].userAgent, "app/compat-app", "our User-Agent")
	})

	t.Run("EndpointResolverWithOptions asked once (ours only)", func(t *testing.T) {
		// The official client asks on every call; ours resolves once, in
		// NewFromConfig, so a resolver's answer is fixed for the Client.
		count := func(call func(cfg aws.Config) error) int {
			calls := &resolverCalls{}
			cfg := aws.Config{
				Region:      "us-west-2",
				Credentials: srv.Credentials(),
				HTTPClient:  &http.Client{Transport: &recordingTransport{}},
			}
			//lint:ignore SA1019 the deprecated resolver is what this case tests
			cfg.EndpointResolverWithOptions = resolverWithOptions(calls, aws.Endpoint{URL: "http://127.0.0.1:1111"}, nil)
			require.NoError(t, call(cfg))
			return len(calls.calls)
		}
		off := count(func(cfg aws.Config) error {
			c := official.NewFromConfig(cfg)
			return errors.Join(listOfficial(ctx, c, project), listOfficial(ctx, c, project))
		})
		ours := count(func(cfg aws.Config) error {
			c := devicefarm.NewFromConfig(cfg)
			return errors.Join(listOurs(ctx, c, project), listOurs(ctx, c, project))
		})
		t.Logf("resolver calls for two calls: official %d, ours %d", off, ours)
		require.Equal(t, 1, ours)
	})

	t.Run("DisableClockSkewCorrection (ours only)", func(t *testing.T) {
		cfg := aws.Config{Region: "us-west-2", Credentials: srv.Credentials(), DisableClockSkewCorrection: true}
		require.True(t, devicefarm.NewFromConfig(cfg).Options().DisableClockSkewCorrection)
		require.False(t, devicefarm.NewFromConfig(aws.Config{Region: "us-west-2"}).Options().DisableClockSkewCorrection)
	})
}
