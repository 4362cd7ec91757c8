package devicefarm

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/testgridkit/devicefarm/internal/endpointurl"
)

// servedRegions lists the regions DeviceFarm serves, with their partition's
// DNS suffixes (botocore endpoints.json and the official SDK's table list
// us-west-2 only).
var servedRegions = map[string]struct{ dns, dualStackDNS string }{
	"us-west-2": {dns: "amazonaws.com", dualStackDNS: "api.aws"},
}

// resolveEndpoint returns the URL to POST to and the region to sign for.
func resolveEndpoint(o Options) (*url.URL, string, error) {
	region := o.Region
	if !validRegion(region) {
		return nil, "", fmt.Errorf("invalid region %q: it must be a DNS label such as us-west-2", region)
	}
	fips := o.UseFIPSEndpoint
	if mapped := mapFIPSRegion(region); mapped != region {
		region, fips = mapped, true
	}
	if o.BaseEndpoint != "" {
		switch {
		case fips:
			//lint:ignore ST1005 the official client's words, letter for letter
			return nil, "", errors.New("Invalid Configuration: FIPS and custom endpoint are not supported")
		case o.UseDualStackEndpoint:
			//lint:ignore ST1005 the official client's words, letter for letter
			return nil, "", errors.New("Invalid Configuration: Dualstack and custom endpoint are not supported")
		}
		u, err := parseEndpoint(o.BaseEndpoint, endpointSourceOf(&o))
		return u, region, err
	}
	suffixes, ok := servedRegions[region]
	if !ok {
		return nil, "", fmt.Errorf("region %q is not served by DeviceFarm, which is only available in us-west-2; use Region %q (or set BaseEndpoint to call another endpoint)", region, DefaultRegion)
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

// parseEndpoint checks a configured endpoint with the rule of package
// endpointurl: an absolute http or https URL with a host, no credentials,
// query or fragment, and plain http only for loopback. source names the
// setting it came from, for the error.
func parseEndpoint(raw, source string) (*url.URL, error) {
	u, problem, err := endpointurl.Check(raw)
	switch problem {
	case endpointurl.NoScheme:
		return nil, fmt.Errorf("invalid endpoint in %s: it has no scheme; write https://HOST[:PORT], or http://127.0.0.1:PORT for a local fake", source)
	case endpointurl.Unparseable:
		return nil, fmt.Errorf("invalid endpoint in %s: %v", source, err)
	case endpointurl.BadScheme:
		return nil, fmt.Errorf("invalid endpoint %q in %s: scheme must be https (or http for loopback)", u.Redacted(), source)
	case endpointurl.NoHost:
		return nil, fmt.Errorf("invalid endpoint %q in %s: no host", u.Redacted(), source)
	case endpointurl.UserInfo:
		return nil, fmt.Errorf("invalid endpoint in %s: user information is not allowed in the URL", source)
	case endpointurl.QueryOrFragment:
		return nil, fmt.Errorf("invalid endpoint %q in %s: query and fragment are not allowed", u.Redacted(), source)
	case endpointurl.Plaintext:
		return nil, fmt.Errorf("refusing plaintext endpoint %q from %s: http:// is only allowed for loopback hosts, since the request signature and session token would travel in clear; use https://", u.Redacted(), source)
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/"
	u.RawPath = ""
	return u, nil
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
