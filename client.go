package devicefarm

import (
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Client calls DeviceFarm ListTestGridSessions. Create it with New or
// NewFromConfig, and reuse it: it keeps connections, the retry token bucket
// and the learned clock skew. A Client is safe for concurrent use by multiple
// goroutines.
type Client struct {
	options Options
	// resolved holds what New derived from options: endpoint, credentials
	// cache, HTTP client, retryer. Per-call optFns derive a fresh one.
	resolved *resolvedOptions
	signer   v4.HTTPSigner // tests replace it
	// skew is the learned clock offset (server minus local), in nanoseconds.
	skew atomic.Int64
	// bodyBuffers recycles response buffers between calls.
	bodyBuffers bodyBufferPool
}

// New returns a Client configured by o and then optFns. The Options value
// is copied; later changes to it do not affect the Client. Configuration
// errors (a region DeviceFarm does not serve, a plaintext non-loopback
// endpoint, missing credentials) are reported by the first call.
func New(o Options, optFns ...func(*Options)) *Client {
	o = o.Copy()
	for _, fn := range optFns {
		fn(&o)
	}
	setDefaults(&o)
	return &Client{
		options:  o,
		resolved: resolve(o),
		signer:   v4.NewSigner(),
	}
}

// NewFromConfig returns a Client configured from an aws.Config, as loaded by
// config.LoadDefaultConfig (environment, shared files and profiles, SSO,
// IMDS), as the official client's NewFromConfig reads it:
//
//   - Region, Credentials, HTTPClient, Retryer (or RetryMode),
//     RetryMaxAttempts, AppID and DisableClockSkewCorrection;
//   - the endpoint: cfg.BaseEndpoint (AWS_ENDPOINT_URL or the profile's
//     endpoint_url), replaced by the service-specific setting from
//     cfg.ConfigSources (AWS_ENDPOINT_URL_DEVICE_FARM, or endpoint_url in the
//     device_farm part of the profile's services section) unless
//     AWS_ENDPOINT_URL is set without AWS_ENDPOINT_URL_DEVICE_FARM or
//     configured endpoints are ignored (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS,
//     ignore_configured_endpoint_urls); the deprecated
//     cfg.EndpointResolverWithOptions and cfg.EndpointResolver, when set and
//     not answering aws.EndpointNotFoundError, win over both. Whatever the
//     source, plain http:// is accepted only for loopback hosts;
//   - FIPS and dual-stack settings from cfg.ConfigSources;
//   - cfg.Logger, when cfg.ClientLogMode asks for retries, requests or
//     responses: it receives the per-attempt debug records (see
//     Options.Logger), never headers or bodies.
//
// cfg.APIOptions cannot apply: this client has no middleware stack. Use
// Options.TracerProvider and Options.MeterProvider for what instrumentation
// middleware (otelaws and the like) records per operation, and wrap
// Options.HTTPClient to add headers or HTTP-level spans. MIGRATING.md lists
// every aws.Config field and what becomes of it.
func NewFromConfig(cfg aws.Config, optFns ...func(*Options)) *Client {
	o := Options{
		Region:                     cfg.Region,
		Credentials:                cfg.Credentials,
		RetryMaxAttempts:           cfg.RetryMaxAttempts,
		AppID:                      cfg.AppID,
		DisableClockSkewCorrection: cfg.DisableClockSkewCorrection,
	}
	if cfg.HTTPClient != nil {
		o.HTTPClient = cfg.HTTPClient
	}
	switch {
	case cfg.Retryer != nil:
		o.Retryer = cfg.Retryer()
	case cfg.RetryMode == aws.RetryModeAdaptive:
		o.Retryer = retry.NewAdaptiveMode()
	}
	o.UseFIPSEndpoint, o.UseDualStackEndpoint = endpointFlagsFromConfig(cfg.ConfigSources)
	endpointFromConfig(cfg, &o)
	o.Logger = loggerFromConfig(cfg.Logger, cfg.ClientLogMode)
	return New(o, optFns...)
}

// Options returns a copy of the Client's options.
func (c *Client) Options() Options { return c.options.Copy() }
