package cmdutil

import (
	"fmt"
	"strings"

	"github.com/testgridkit/devicefarm"
)

// regionSources says where the region of a run comes from, in order.
const regionSources = "--region, else AWS_REGION or AWS_DEFAULT_REGION, else the profile's region"

// profileNotFound is the message for a --profile (or AWS_PROFILE) that no
// shared config or credentials file defines, saying what to do.
func profileNotFound(profile string) string {
	return fmt.Sprintf("AWS profile %q not found in the shared config files (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE); "+
		"check --profile and AWS_PROFILE, or create it with 'aws configure --profile %s'", profile, profile)
}

// configHint rewrites the library's message for a client configuration
// that cannot work, which speaks of Options fields, in terms of this
// command's flags and the AWS settings, saying what to do. Other messages
// are returned unchanged.
func configHint(msg string) string {
	switch {
	case strings.Contains(msg, "is not served by DeviceFarm"):
		if i := strings.Index(msg, "; use Region"); i >= 0 {
			msg = msg[:i]
		}
		return fmt.Sprintf("%s; pass --region %s (the region comes from %s), or --endpoint-url to call another endpoint",
			msg, devicefarm.DefaultRegion, regionSources)
	case strings.HasPrefix(msg, "invalid region "):
		return fmt.Sprintf("%s (the region comes from %s)", msg, regionSources)
	}
	return msg
}
