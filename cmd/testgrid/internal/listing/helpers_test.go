package listing

import (
	"testing"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
)

// The shared test helpers (clitest) under the names this package's tests
// use.

func TestMain(m *testing.M) { clitest.Main(m) }

const (
	testProject       = clitest.Project
	testSessionPrefix = clitest.SessionPrefix
)

var (
	testNow       = clitest.Now
	lines         = clitest.Lines
	fixedSessions = clitest.FixedSessions
)

type (
	syncBuffer = clitest.SyncBuffer
	errWriter  = clitest.ErrWriter
)
