package chromedriver

import (
	"net"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStartOnPort: a driver starts on the port asked for, and says so
// when that port is taken.
func TestStartOnPort(t *testing.T) {
	if _, err := os.Stat(DefaultPath); err != nil {
		t.Skip("no " + DefaultPath + " (apt-get install chromium-driver)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	_, err = StartOnPort(DefaultPath, port)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is taken")
	require.NoError(t, ln.Close())

	d, err := StartOnPort(DefaultPath, port)
	require.NoError(t, err)
	defer d.Stop()
	assert.Equal(t, port, d.Port)
	assert.Equal(t, "http://"+ln.Addr().String(), d.URL)

	_, err = StartOnPort(DefaultPath, 70000)
	assert.Error(t, err)
}
