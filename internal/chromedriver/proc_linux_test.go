package chromedriver

import (
	"crypto/rand"
	"encoding/hex"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHasArg(t *testing.T) {
	const arg = "--user-data-dir=/tmp/p-1"
	for _, tc := range []struct {
		cmdline string
		want    bool
	}{
		{"chrome\x00--user-data-dir=/tmp/p-1\x00", true},
		{"chrome\x00--user-data-dir=/tmp/p-1", true},
		{"chrome --type=renderer --user-data-dir=/tmp/p-1 --x", true},
		{"--user-data-dir=/tmp/p-1", true},
		{"chrome\x00--user-data-dir=/tmp/p-12\x00", false},
		{"chrome\x00x--user-data-dir=/tmp/p-1\x00", false},
		{"chrome\x00--user-data-dir=/tmp/p-12\x00--user-data-dir=/tmp/p-1\x00", true},
		{"", false},
	} {
		assert.Equal(t, tc.want, hasArg([]byte(tc.cmdline), arg), "%q", tc.cmdline)
	}
}

// TestKillProcessesWithArg: a process and its child, found by a unique
// argument of the parent, are killed; another process is not.
func TestKillProcessesWithArg(t *testing.T) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	arg := "--user-data-dir=/nonexistent/chromedriver-test-" + hex.EncodeToString(b[:])

	// A shell with the argument runs a child that lacks it.
	parent := exec.Command("/bin/sh", "-c", "sleep 300 & wait", "sh", arg)
	require.NoError(t, parent.Start())
	other := exec.Command("/bin/sh", "-c", "sleep 300", "sh", arg+"0")
	require.NoError(t, other.Start())
	t.Cleanup(func() {
		_ = parent.Process.Kill()
		_ = other.Process.Kill()
		_ = parent.Wait()
		_ = other.Wait()
	})
	// Wait (bounded) for the shell to have started its child.
	require.Eventually(t, func() bool { return len(descendants(parent.Process.Pid)) > 0 }, 10*time.Second, 10*time.Millisecond)
	child := descendants(parent.Process.Pid)[0]

	assert.Equal(t, []int{parent.Process.Pid}, ProcessesWithArg(arg))
	assert.Equal(t, 2, KillProcessesWithArg(arg), "the shell and its sleep")
	assert.Empty(t, ProcessesWithArg(arg))
	p, ok := readProc(child, false)
	assert.True(t, !ok || !p.live(), "the child is killed too")
	assert.Equal(t, []int{other.Process.Pid}, ProcessesWithArg(arg+"0"), "another process is left alone")
	assert.Zero(t, KillProcessesWithArg(arg), "nothing left to kill")
}
