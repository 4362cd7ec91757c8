package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// TestEndpointFlagNeverPrintsPassword: url.Parse's error quotes the raw
// URL, password included; the message must show neither, and name the
// flag as typed.
func TestEndpointFlagNeverPrintsPassword(t *testing.T) {
	t.Parallel()
	const password = "S3cretPass"
	for _, tt := range []struct {
		flag, value, want string
	}{
		{"--endpoint", "https://admin:" + password + "@host:badport/", `--endpoint is not a URL: invalid port ":badport" after host`},
		{"--endpoint-url", "https://admin:" + password + "@host:badport/", `--endpoint-url is not a URL: invalid port ":badport" after host`},
		{"--endpoint", "https://admin:" + password + "@host\x7f/", "--endpoint is not a URL: "},
		{"--endpoint-url", "admin:" + password + "@host", "--endpoint-url has no scheme: write https://HOST[:PORT]"},
		{"--endpoint", "https://admin:" + password + "@host/", "--endpoint must not contain user information"},
		{"--endpoint-url", "http://admin:" + password + "@10.0.0.1/", "--endpoint-url must not contain user information"},
		{"--endpoint", "https://host/?token=" + password, "--endpoint must not have a query or fragment"},
		{"--endpoint", "https://host/#" + password, "--endpoint must not have a query or fragment"},
	} {
		for _, cmd := range []string{"sessions", "summary"} {
			r := runTestgrid(t.Context(), cmdutil.Env{}, cmd, "--project", testProject, tt.flag, tt.value)
			assert.Equal(t, cmdutil.ExitUsage, r.code, "%s %q: %s", tt.flag, tt.value, r.stderr)
			assert.Contains(t, r.stderr, tt.want, tt.value)
			assert.NotContains(t, r.stderr, password, tt.value)
		}
	}
}
