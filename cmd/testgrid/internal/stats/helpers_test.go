package stats

import (
	"testing"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
)

// summarize aggregates sessions, as given, with the clock at testNow.
func summarize(loc *time.Location, sessions ...devicefarm.TestGridSession) *Summary {
	a := NewAggregator(testNow, loc)
	a.WritePage(sessions)
	return a.Summary()
}

// The shared test helpers (clitest) under the names this package's tests
// use.

func TestMain(m *testing.M) { clitest.Main(m) }

const (
	testProject       = clitest.Project
	testSessionPrefix = clitest.SessionPrefix
)

var (
	testNow         = clitest.Now
	at              = clitest.At
	closedSession   = clitest.ClosedSession
	inCreationOrder = clitest.InCreationOrder
	refConcurrency  = clitest.RefConcurrency
	refQuantile     = clitest.RefQuantile
	overlapSessions = clitest.OverlapSessions
	absurdSession   = clitest.AbsurdSession
)

type (
	interval = clitest.Interval
	refHour  = clitest.RefHour
)
