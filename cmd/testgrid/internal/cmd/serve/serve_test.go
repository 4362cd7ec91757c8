package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// TestRunServeInProcess runs "testgrid serve" through run, as main does:
// one ready line on stdout, a working service and control API, and exit
// status 0 when the context ends (main's SIGINT/SIGTERM), with no
// goroutine left behind (TestMain checks).
func TestRunServeInProcess(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stdoutR, stdoutW := io.Pipe()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--project", testProject, "--sessions", "42", "--seed", "3", "--page-size", "10"},
			stdoutW, &stderr, cmdutil.Env{Now: func() time.Time { return testNow }})
		stdoutW.Close()
	}()

	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	require.NoError(t, err, "stderr: %s", stderr.String())
	var ready readyLine
	require.NoError(t, json.Unmarshal([]byte(line), &ready))
	assert.Equal(t, "2025-03-10T12:00:00Z", ready.Epoch)
	assert.Equal(t, 10, ready.PageSize)
	assert.Equal(t, devicefarmDefaults(), [3]string{ready.Region, ready.AccessKeyID, ready.SecretAccessKey})
	assert.Empty(t, ready.SessionToken)

	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	c := devicefarm.New(devicefarm.Options{
		Region:       ready.Region,
		BaseEndpoint: ready.Endpoint,
		Credentials:  staticCreds(ready.AccessKeyID, ready.SecretAccessKey, ""),
		HTTPClient:   hc,
	})
	p := devicefarm.NewListTestGridSessionsPaginator(c, &devicefarm.ListTestGridSessionsInput{ProjectArn: testProject})
	var got []devicefarm.TestGridSession
	pages := 0
	for page, err := range p.Pages(t.Context()) {
		require.NoError(t, err)
		pages++
		got = append(got, page.TestGridSessions...)
	}
	assert.Equal(t, 5, pages)
	assert.Equal(t, testProjectSessions(42, 3), got)

	resp, err := hc.Get(ready.Control + "/health")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	cancel() // as main's signal context does on SIGINT or SIGTERM
	select {
	case code := <-done:
		assert.Equal(t, cmdutil.ExitOK, code)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	rest, _ := io.ReadAll(stdoutR)
	assert.Empty(t, rest, "exactly one line on stdout")
	assert.True(t, strings.HasSuffix(stderr.String(), "testgrid serve: stopped\n"), stderr.String())
}

func devicefarmDefaults() [3]string {
	return [3]string{"us-west-2", "AKIDDEVICEFARMTEST01", "devicefarmtest/FAKE/secret/0000000000000001"}
}

func TestRunServeListenError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	r := runTestgrid(t.Context(), cmdutil.Env{}, "serve", "--addr", ln.Addr().String())
	assert.Equal(t, cmdutil.ExitFailure, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "address already in use")
}

func TestEndpointHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr string
		ip   string
		want string
	}{
		{"127.0.0.1:0", "127.0.0.1", "127.0.0.1"},
		{"localhost:0", "127.0.0.1", "127.0.0.1"},
		{"0.0.0.0:0", "::", "127.0.0.1"},
		{":8080", "::", "127.0.0.1"},
		{"[::]:0", "::", "::1"},
		{"[::1]:0", "::1", "::1"},
		{"192.0.2.7:0", "192.0.2.7", "192.0.2.7"},
	} {
		assert.Equal(t, tc.want, endpointHost(tc.addr, net.ParseIP(tc.ip)), tc.addr)
	}
}
