package devicefarmtest_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: Close
// must release every handler, hung ones included.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
