package devicefarm

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// servedRegions lists the regions DeviceFarm serves, with their partition's
// DNS suffixes (botocore endpoints.json and the official SDK's table list
// us-west-2 only).
var servedRegions = map[string]struct{ dns, dualStackDNS string }{
	"us-west-2": {dns: "amazonaws.com", dualStackDNS: "api.aws"},
}

// resolvedOptions is what a call needs, derived once from Options.
type resolvedOptions struct {
	err           error // configuration error, reported by every call
	url           string
	host          string
	signingRegion string
	userAgent     string
	httpClient    HTTPClient
	retryer       aws.Retryer
}

func resolve(o Options) *resolvedOptions {
	r := &resolvedOptions{
		userAgent:  userAgent(o.AppID),
		httpClient: withoutRedirects(o.HTTPClient),
		retryer:    o.Retryer,
	}
	if o.RetryMaxAttempts > 0 && o.RetryMaxAttempts != r.retryer.MaxAttempts() {
		r.retryer = retry.AddWithMaxAttempts(r.retryer, o.RetryMaxAttempts)
	}
	u, region, err := resolveEndpoint(o)
	if err != nil {
		r.err = err
		return r
	}
	if o.Credentials == nil {
		r.err = errors.New("devicefarm: no credentials: set Options.Credentials, or build the client with NewFromConfig(config.LoadDefaultConfig(...))")
		return r
	}
	r.url, r.host, r.signingRegion = u.String(), u.Host, region
	return r
}

// resolveEndpoint returns the URL to POST to and the region to sign for.
func resolveEndpoint(o Options) (*url.URL, string, error) {
	region := o.Region
	if !validRegion(region) {
		return nil, "", fmt.Errorf("devicefarm: invalid region %q: it must be a DNS label such as us-west-2", region)
	}
	fips := o.UseFIPSEndpoint
	if mapped := mapFIPSRegion(region); mapped != region {
		region, fips = mapped, true
	}
	if o.BaseEndpoint != "" {
		switch {
		case fips:
			return nil, "", errors.New("devicefarm: Invalid Configuration: FIPS and custom endpoint are not supported")
		case o.UseDualStackEndpoint:
			return nil, "", errors.New("devicefarm: Invalid Configuration: Dualstack and custom endpoint are not supported")
		}
		u, err := parseBaseEndpoint(o.BaseEndpoint)
		return u, region, err
	}
	suffixes, ok := servedRegions[region]
	if !ok {
		return nil, "", fmt.Errorf("devicefarm: region %q is not served by DeviceFarm, which is only available in us-west-2; use Region %q (or set BaseEndpoint to call another endpoint)", region, DefaultRegion)
	}
	host := "devicefarm"
	if fips {
		host += "-fips"
	}
	dns := suffixes.dns
	if o.UseDualStackEndpoint {
		dns = suffixes.dualStackDNS
	}
	return &url.URL{Scheme: "https", Host: host + "." + region + "." + dns, Path: "/"}, region, nil
}

// parseBaseEndpoint checks a caller-supplied endpoint: http or https, a host,
// no credentials, query or fragment, and plain http only for loopback.
func parseBaseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// Not %w: *url.Error quotes the raw URL, which may hold a password.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("devicefarm: invalid BaseEndpoint: %v", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("devicefarm: invalid BaseEndpoint %q: scheme must be https (or http for loopback)", u.Redacted())
	case u.Host == "":
		return nil, fmt.Errorf("devicefarm: invalid BaseEndpoint %q: no host", u.Redacted())
	case u.User != nil:
		return nil, errors.New("devicefarm: invalid BaseEndpoint: user information is not allowed in the URL")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("devicefarm: invalid BaseEndpoint %q: query and fragment are not allowed", u.Redacted())
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("devicefarm: refusing plaintext BaseEndpoint %q: http:// is only allowed for loopback hosts, since the request signature and session token would travel in clear; use https://", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/"
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// validRegion reports whether r is a valid DNS label, as the official
// resolver requires before building a host name.
func validRegion(r string) bool {
	if r == "" || len(r) > 63 || r[0] == '-' || r[len(r)-1] == '-' {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// mapFIPSRegion strips the "fips-" and "-fips" pseudo-region markers, as the
// official SDK does before resolving the endpoint.
func mapFIPSRegion(region string) string {
	if !strings.Contains(region, "fips") {
		return region
	}
	region = strings.ReplaceAll(region, "-fips-", "-")
	region = strings.ReplaceAll(region, "fips-", "")
	return strings.ReplaceAll(region, "-fips", "")
}
