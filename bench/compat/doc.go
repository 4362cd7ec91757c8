// Package compat holds side-by-side tests that run aws-sdk-go-v2's official
// service/devicefarm client and github.com/testgridkit/devicefarm on the
// same setup and require them to agree: endpoint resolution from aws.Config
// and the environment, the error chain, tracing spans and metrics, and
// redirects. It also holds runnable examples: devicefarmtest serving the
// official client, and OpenTelemetry wired into ours.
//
// The package has no non-test code. Tests talk only to loopback servers or
// to a RoundTripper that records requests and never dials.
package compat
