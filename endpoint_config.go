package devicefarm

//lint:file-ignore SA1019 the deprecated endpoint resolvers are read on purpose, as the official client reads them

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// configOrigin is what NewFromConfig records beside Options.
type configOrigin struct {
	// endpoint and endpointSource say where BaseEndpoint came from, for
	// error messages; they apply while BaseEndpoint still equals endpoint.
	endpoint, endpointSource string
	// err is a configuration error (a legacy endpoint resolver's),
	// reported by every call.
	err error
}

// endpointSourceOf names where o.BaseEndpoint came from.
func endpointSourceOf(o *Options) string {
	if o.fromConfig.endpointSource != "" && o.BaseEndpoint == o.fromConfig.endpoint {
		return o.fromConfig.endpointSource
	}
	return "BaseEndpoint"
}

// endpointFromConfig sets o.BaseEndpoint (and, for a legacy resolver's
// endpoint with a signing region, o.Region) as the official client resolves
// its base endpoint from an aws.Config.
func endpointFromConfig(cfg aws.Config, o *Options) {
	set := func(url, source string) {
		o.BaseEndpoint = url
		o.fromConfig.endpoint, o.fromConfig.endpointSource = url, source
	}
	if cfg.BaseEndpoint != nil {
		set(*cfg.BaseEndpoint, "aws.Config.BaseEndpoint (AWS_ENDPOINT_URL or the profile's endpoint_url)")
	}
	// As the official client: a global AWS_ENDPOINT_URL in the environment
	// without the service's own variable ends the lookup.
	_, global := os.LookupEnv("AWS_ENDPOINT_URL")
	_, service := os.LookupEnv("AWS_ENDPOINT_URL_DEVICE_FARM")
	if !global || service {
		if url, found := serviceEndpointFromSources(cfg.ConfigSources); found {
			set(url, "the Device Farm endpoint configuration (AWS_ENDPOINT_URL_DEVICE_FARM or the profile's services section)")
		}
	}
	if ep, found, err := legacyEndpoint(cfg, o.Region); err != nil {
		o.fromConfig.err = err
	} else if found {
		set(ep.URL, "aws.Config.EndpointResolverWithOptions")
		if ep.SigningRegion != "" {
			o.Region = ep.SigningRegion
		}
	}
}

// serviceEndpointFromSources asks the config sources for Device Farm's own
// endpoint, unless one of them says configured endpoints are ignored. The
// interfaces are those aws-sdk-go-v2's internal/configsources asserts.
func serviceEndpointFromSources(sources []any) (string, bool) {
	ctx := context.Background()
	for _, s := range sources {
		if p, ok := s.(interface {
			GetIgnoreConfiguredEndpoints(context.Context) (bool, bool, error)
		}); ok {
			ignore, found, err := p.GetIgnoreConfiguredEndpoints(ctx)
			if err != nil || found {
				if found && ignore {
					return "", false
				}
				break
			}
		}
	}
	for _, s := range sources {
		if p, ok := s.(interface {
			GetServiceBaseEndpoint(context.Context, string) (string, bool, error)
		}); ok {
			url, found, err := p.GetServiceBaseEndpoint(ctx, ServiceID)
			if err != nil {
				return "", false
			}
			if found {
				return url, true
			}
		}
	}
	return "", false
}

// legacyEndpoint asks the deprecated cfg.EndpointResolverWithOptions (or
// cfg.EndpointResolver) for the Device Farm endpoint, as the official
// client does while they are set. aws.EndpointNotFoundError means "use the
// default resolution".
func legacyEndpoint(cfg aws.Config, region string) (aws.Endpoint, bool, error) {
	var (
		ep  aws.Endpoint
		err error
	)
	switch {
	case cfg.EndpointResolverWithOptions != nil:
		ep, err = cfg.EndpointResolverWithOptions.ResolveEndpoint(ServiceID, region)
	case cfg.EndpointResolver != nil:
		ep, err = cfg.EndpointResolver.ResolveEndpoint(ServiceID, region)
	default:
		return ep, false, nil
	}
	var notFound *aws.EndpointNotFoundError
	switch {
	case errors.As(err, &notFound):
		return ep, false, nil
	case err != nil:
		return ep, false, fmt.Errorf("failed to resolve service endpoint, %w", oneLineError(err))
	}
	return ep, true, nil
}

// endpointFlagsFromConfig reads the FIPS and dual-stack settings that
// config.LoadDefaultConfig stores in aws.Config.ConfigSources.
func endpointFlagsFromConfig(sources []any) (fips, dualStack bool) {
	ctx := context.Background()
	for _, s := range sources {
		if p, ok := s.(interface {
			GetUseFIPSEndpoint(context.Context) (aws.FIPSEndpointState, bool, error)
		}); ok && !fips {
			if v, found, err := p.GetUseFIPSEndpoint(ctx); err == nil && found {
				fips = v == aws.FIPSEndpointStateEnabled
			}
		}
		if p, ok := s.(interface {
			GetUseDualStackEndpoint(context.Context) (aws.DualStackEndpointState, bool, error)
		}); ok && !dualStack {
			if v, found, err := p.GetUseDualStackEndpoint(ctx); err == nil && found {
				dualStack = v == aws.DualStackEndpointStateEnabled
			}
		}
	}
	return fips, dualStack
}
