package cpustat

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestProcessCountsBusyWork spins until Process shows 5 ms more CPU time,
// which must happen well within 5 s of wall time even on a busy machine.
func TestProcessCountsBusyWork(t *testing.T) {
	before := Process()
	start := time.Now()
	for Process()-before < 5*time.Millisecond {
		require.Less(t, time.Since(start), 5*time.Second, "CPU time does not advance")
	}
}
