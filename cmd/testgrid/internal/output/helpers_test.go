package output

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
	fixedSessions      = clitest.FixedSessions
	assertSameSession  = clitest.AssertSameSession
	decodeJSONDocument = clitest.DecodeJSONDocument
	decodeNDJSON       = clitest.DecodeNDJSON
	decodeCSV          = clitest.DecodeCSV
)

type (
	errWriter = clitest.ErrWriter
)
