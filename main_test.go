package devicefarm_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: every
// test closes its servers, and the client starts no goroutine of its own.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
