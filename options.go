package devicefarm

import (
	"context"
	"errors"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/metrics"
	"github.com/aws/smithy-go/tracing"
)

// DefaultRegion is the only region DeviceFarm serves.
const DefaultRegion = "us-west-2"

// DefaultMaxResponseBytes is the default cap on a response body: a full page
// of 1000 sessions is well under 2 MiB.
const DefaultMaxResponseBytes = 16 << 20

// DefaultStallTimeout is the default Options.StallTimeout.
const DefaultStallTimeout = time.Minute

// HTTPClient sends one HTTP request. *http.Client satisfies it; tests can
// inject a function or a fake.
type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

// Options configures a Client. The zero value of every field selects the
// default written beside it.
type Options struct {
	// Region is the AWS region to call and to sign for. Default us-west-2,
	// the only region DeviceFarm serves; any other region fails fast unless
	// BaseEndpoint is set. "fips-us-west-2" and "us-west-2-fips" select the
	// FIPS endpoint and sign for us-west-2.
	Region string

	// Credentials provides the AWS credentials used to sign requests.
	// Required. A provider that is not already an *aws.CredentialsCache is
	// wrapped in one, so it is not asked on every call.
	Credentials aws.CredentialsProvider

	// BaseEndpoint overrides the resolved endpoint, e.g. a local fake such as
	// "http://127.0.0.1:8080". Plain http:// is accepted only for loopback
	// hosts, because the signature and session token would travel in clear.
	BaseEndpoint string

	// UseFIPSEndpoint selects https://devicefarm-fips.us-west-2.amazonaws.com.
	UseFIPSEndpoint bool

	// UseDualStackEndpoint selects the IPv4/IPv6 endpoint
	// https://devicefarm.us-west-2.api.aws.
	UseDualStackEndpoint bool

	// HTTPClient sends requests. Default: a client shared by all Clients
	// with connect/TLS/response-header timeouts and no redirects.
	// Redirects are never followed, since they would carry the signed
	// headers to another host: a supplied *http.Client is copied and set
	// not to follow them, and an *awshttp.BuildableClient (what
	// config.LoadDefaultConfig supplies) is built into such a copy. Any
	// other implementation must not follow redirects itself: if it does,
	// the call fails with a *RedirectError (Followed true). Set a timeout
	// on your own client for production use, or pass contexts with
	// deadlines.
	HTTPClient HTTPClient

	// Retryer decides whether and when to retry. Default:
	// aws-sdk-go-v2's retry.NewStandard (3 attempts, exponential jitter
	// backoff capped at 20 s, a client-side retry token bucket of 500).
	Retryer aws.Retryer

	// RetryMaxAttempts overrides the retryer's maximum number of attempts
	// (first try included) when non-zero. Set 1 to disable retries. A
	// negative value removes the limit, as it does for the official client
	// (whose retry loop stops at the maximum only when it is positive):
	// retryable errors are then retried until one is not, the context ends
	// or the retryer's retry token bucket runs out.
	RetryMaxAttempts int

	// Logger receives one debug record per HTTP attempt (operation,
	// attempt, status, request ID, latency, error, retry delay). A
	// *slog.Logger fits; its handler's level decides what is written. Nil:
	// silent. Credentials, signatures and session tokens are never logged.
	Logger Logger

	// AppID identifies your application in the User-Agent header
	// ("app/APPID"). Characters outside [A-Za-z0-9!#$%&'*+\-.^_`|~] are
	// replaced by '-'; at most 50 are kept.
	AppID string

	// MaxResponseBytes caps the size of a response body. Default (zero)
	// DefaultMaxResponseBytes; a larger body fails with ErrResponseTooLarge.
	// Negative is refused: every call fails with a *ValidationError.
	MaxResponseBytes int64

	// StallTimeout abandons an attempt that receives nothing for this long:
	// no response headers since the request was sent, or no body bytes
	// since the last ones. The attempt fails with a *ConnectionError
	// wrapping ErrStalled and is retried like a dropped connection. Default
	// (zero) DefaultStallTimeout (1 minute). Negative is refused: every call
	// fails with a *ValidationError; to wait longer, set a longer timeout.
	// It keeps a call without a context deadline from hanging on a server
	// that stops sending without closing the connection; a deadline still
	// bounds the call as a whole.
	StallTimeout time.Duration

	// DisableClockSkewCorrection turns off learning the clock offset from
	// the service's Date header and applying it when signing, as
	// aws.Config.DisableClockSkewCorrection does for the official client.
	DisableClockSkewCorrection bool

	// TracerProvider receives the call's spans, named and shaped as the
	// official client's: an operation span "Device Farm.ListTestGridSessions"
	// (kind client), a "RetryLoop" child, and an "Attempt" span per HTTP
	// attempt. The tracer's scope is "github.com/testgridkit/devicefarm".
	// Nil or tracing.NopTracerProvider: no spans, at no cost.
	TracerProvider tracing.TracerProvider

	// MeterProvider receives the official client's per-call metrics:
	// client.call.duration, client.call.attempts, client.call.errors and
	// client.call.attempt_duration, with the properties rpc.service and
	// rpc.method (and exception.type on errors). The meter's scope is
	// "github.com/testgridkit/devicefarm". Nil or metrics.NopMeterProvider:
	// nothing is recorded, at no cost.
	MeterProvider metrics.MeterProvider

	// now is the clock used for signing; tests replace it.
	now func() time.Time
	// sleep waits between attempts; tests replace it.
	sleep func(context.Context, time.Duration) error
	// stallTimer starts the countdown of StallTimeout (nil: afterFunc);
	// tests replace it with a timer that fires on cue.
	stallTimer func(time.Duration, func()) stallTimer

	// fromConfig is what NewFromConfig learned that Options has no field
	// for: where BaseEndpoint came from, and a configuration error.
	fromConfig configOrigin
}

// Copy returns a copy of o.
func (o Options) Copy() Options { return o }

func setDefaults(o *Options) {
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.HTTPClient == nil {
		o.HTTPClient = defaultHTTPClient
	}
	if o.Retryer == nil {
		o.Retryer = retry.NewStandard()
	}
	if o.MaxResponseBytes == 0 {
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if o.StallTimeout == 0 {
		o.StallTimeout = DefaultStallTimeout
	}
	if o.Credentials != nil && !isCredentialsCache(o.Credentials) {
		o.Credentials = aws.NewCredentialsCache(o.Credentials)
	}
	if o.now == nil {
		o.now = time.Now
	}
	if o.sleep == nil {
		o.sleep = sleep
	}
	if isNilPointer(o.Logger) {
		o.Logger = nil // a typed nil *slog.Logger would panic when called
	}
}

func isCredentialsCache(p aws.CredentialsProvider) bool {
	_, ok := p.(*aws.CredentialsCache)
	return ok
}

// resolvedOptions is what a call needs, derived once from Options.
type resolvedOptions struct {
	err           error // configuration error, reported by every call
	url           string
	host          string
	signingRegion string
	userAgent     string
	// httpClient is what sends; source is the Options.HTTPClient it was
	// derived from, so that per-call options that keep the client keep its
	// connection pool.
	httpClient HTTPClient
	source     HTTPClient
	retryer    aws.Retryer
	// telemetry was built from these providers (both nil until it was
	// built without error), so that per-call options that keep them do not
	// build the instruments again.
	telemetry      telemetry
	tracerProvider tracing.TracerProvider
	meterProvider  metrics.MeterProvider
}

// resolve derives what calls need from o.
func resolve(o Options) *resolvedOptions { return resolveFrom(o, nil) }

// resolveFrom is resolve for per-call options: the HTTP client and the
// telemetry derived for the Client (prev) are reused when o keeps the same
// HTTP client and providers.
func resolveFrom(o Options, prev *resolvedOptions) *resolvedOptions {
	r := &resolvedOptions{
		userAgent: userAgent(o.AppID),
		source:    o.HTTPClient,
		retryer:   o.Retryer,
	}
	if prev != nil && same(prev.source, o.HTTPClient) {
		r.httpClient = prev.httpClient
	} else {
		r.httpClient = withoutRedirects(o.HTTPClient)
	}
	if o.RetryMaxAttempts != 0 && o.RetryMaxAttempts != r.retryer.MaxAttempts() {
		r.retryer = retry.AddWithMaxAttempts(r.retryer, o.RetryMaxAttempts)
	}
	if prev != nil && same(prev.tracerProvider, o.TracerProvider) && same(prev.meterProvider, o.MeterProvider) {
		r.telemetry = prev.telemetry
	} else {
		var err error
		if r.telemetry, err = newTelemetry(&o); err != nil {
			r.err = err
			return r
		}
	}
	r.tracerProvider, r.meterProvider = o.TracerProvider, o.MeterProvider
	if o.fromConfig.err != nil {
		r.err = o.fromConfig.err
		return r
	}
	if err := checkOptions(&o); err != nil {
		r.err = err
		return r
	}
	u, region, err := resolveEndpoint(o)
	if err != nil {
		r.err = err
		return r
	}
	if o.Credentials == nil {
		r.err = errors.New("no credentials: set Options.Credentials, or build the client with NewFromConfig(config.LoadDefaultConfig(...))")
		return r
	}
	r.url, r.host, r.signingRegion = u.String(), u.Host, region
	return r
}

// same reports whether a and b hold the same value, without panicking on
// values that are not comparable (an HTTPClient of a func type, say).
func same(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ta := reflect.TypeOf(a)
	return ta == reflect.TypeOf(b) && ta.Comparable() && a == b
}

// defaultHTTPClient is shared by every Client that was given none, so that
// they share one connection pool. It is never modified after init.
var defaultHTTPClient = &http.Client{
	Transport: &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: time.Minute,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   10,
	},
	CheckRedirect: noRedirects,
}

// checkOptions refuses the negative numeric options that have no meaning.
// (A negative RetryMaxAttempts has one: no limit, as for the official
// client.)
func checkOptions(o *Options) error {
	switch {
	case o.MaxResponseBytes < 0:
		return &ValidationError{Struct: "Options", Field: "MaxResponseBytes", Rule: "must not be negative, got " + strconv.FormatInt(o.MaxResponseBytes, 10)}
	case o.StallTimeout < 0:
		return &ValidationError{Struct: "Options", Field: "StallTimeout", Rule: "must not be negative, got " + o.StallTimeout.String()}
	}
	return nil
}
