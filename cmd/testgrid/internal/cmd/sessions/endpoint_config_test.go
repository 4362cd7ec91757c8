package sessions

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// testgrid sessions reaches the endpoint the AWS SDKs' settings name,
// through a real config.LoadDefaultConfig: a CI job that points Device Farm
// at a fake must never list the real project. Not parallel: it sets the
// process environment.
func TestSessionsHonoursEndpointSettings(t *testing.T) {
	fake := newServer(t)
	fake.Seed(testProject, 3, 1)
	other := newServer(t) // where a wrong precedence would send the request
	other.Seed(testProject, 3, 1)

	tests := []struct {
		name   string
		env    map[string]string
		config string // shared config file contents
		args   []string
	}{
		{name: "AWS_ENDPOINT_URL_DEVICE_FARM", env: map[string]string{"AWS_ENDPOINT_URL_DEVICE_FARM": fake.URL}},
		{name: "both variables: the service's wins", env: map[string]string{"AWS_ENDPOINT_URL": other.URL, "AWS_ENDPOINT_URL_DEVICE_FARM": fake.URL}},
		{name: "AWS_ENDPOINT_URL alone", env: map[string]string{"AWS_ENDPOINT_URL": fake.URL}},
		{name: "services section", config: "[default]\nservices = local\n\n[services local]\ndevice_farm =\n  endpoint_url = " + fake.URL + "\n"},
		{
			name:   "services section over the profile's endpoint_url",
			config: "[default]\nendpoint_url = " + other.URL + "\nservices = local\n\n[services local]\ndevice_farm =\n  endpoint_url = " + fake.URL + "\n",
		},
		{name: "--endpoint-url wins over the environment", env: map[string]string{"AWS_ENDPOINT_URL_DEVICE_FARM": other.URL}, args: []string{"--endpoint-url", fake.URL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.config != "" {
				path := filepath.Join(t.TempDir(), "config")
				require.NoError(t, os.WriteFile(path, []byte(tt.config), 0o600))
				t.Setenv("AWS_CONFIG_FILE", path)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			fake.ResetRequests()
			other.ResetRequests()
			args := append([]string{"sessions", "--project", testProject, "--output", "ndjson"}, tt.args...)
			r := runTestgrid(t.Context(), awsEnv(fake), args...)
			require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
			assert.Len(t, lines(r.stdout), 3)
			assert.Len(t, fake.Requests(), 1, "the configured endpoint was called")
			assert.Empty(t, other.Requests(), "the endpoint of lower precedence was not called")
		})
	}
}

// A plaintext endpoint off loopback is refused whatever the setting names
// it, before anything is sent.
func TestSessionsRefusesPlaintextEndpointFromEnvironment(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL_DEVICE_FARM", "http://devicefarm.example.com")
	r := runTestgrid(t.Context(), awsEnv(newServer(t)), "sessions", "--project", testProject)
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Contains(t, lines(r.stderr)[0], `refusing plaintext endpoint "http://devicefarm.example.com" from the Device Farm endpoint configuration (AWS_ENDPOINT_URL_DEVICE_FARM or the profile's services section)`)
}
