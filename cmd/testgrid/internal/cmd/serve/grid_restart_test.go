//go:build linux

package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGridRestartRetries: a chromedriver that cannot start is retried
// until serve stops, with one notice for an error that repeats.
func TestGridRestartRetries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	count := filepath.Join(dir, "attempts")
	script := filepath.Join(dir, "chromedriver")
	require.NoError(t, os.WriteFile(script, []byte("#!/bin/sh\necho x >> '"+count+"'\necho 'IPv4 port not available. Exiting...'\nexit 1\n"), 0o755))
	g := &gridDriver{mode: "chromedriver", path: script, quit: make(chan struct{}), minDelay: time.Millisecond, maxDelay: 4 * time.Millisecond}
	stderr := &syncBuffer{}
	restarted := make(chan bool, 1)
	go func() { restarted <- g.restart(9, stderr, "testgrid serve") }()

	attempts := func() int {
		b, _ := os.ReadFile(count)
		return strings.Count(string(b), "\n")
	}
	require.Eventually(t, func() bool { return attempts() >= 3 }, readyTimeout, time.Millisecond, "stderr: %s", stderr)
	g.stop()
	assert.False(t, <-restarted, "stop ends the retries")
	assert.Equal(t, 1, strings.Count(stderr.String(), "\n"), "one notice: %s", stderr)
	assert.Contains(t, stderr.String(), "testgrid serve: notice: chromedriver did not restart: "+script+" exited before listening: port 9 is taken; retrying")
	h := g.health()
	assert.False(t, h.Running)
	assert.Zero(t, h.Restarts)
}
