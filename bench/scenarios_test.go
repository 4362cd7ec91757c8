package bench

import (
	"context"
	"strconv"

	"github.com/testgridkit/devicefarm/bench/internal/clients"
	"github.com/testgridkit/devicefarm/bench/internal/fakeserver"
)

// scenario is one unit of work measured per benchmark op.
type scenario struct {
	// name appears in benchmark names as scenario=<name>.
	name string
	// maxResult is the page size asked for.
	maxResult int32
	// pages is how many pages (HTTP requests without retries) one op needs.
	pages int
	// run does one op with c and returns the sessions decoded.
	run func(ctx context.Context, c clients.Client) (int, error)
}

// sessions is how many sessions one op decodes.
func (sc scenario) sessions() int { return sc.pages * int(sc.maxResult) }

// requests is how many requests an op that decoded n sessions and then
// succeeded (or failed, on the next page) needed, retries aside: pages
// decoded, plus the page whose call failed.
func (sc scenario) requests(n int, failed bool) int {
	if !failed {
		return sc.pages
	}
	return n/int(sc.maxResult) + 1
}

// list returns the scenario of one call for n sessions.
func list(n int32) scenario {
	return scenario{
		name:      strconv.Itoa(int(n)),
		maxResult: n,
		pages:     1,
		run: func(ctx context.Context, c clients.Client) (int, error) {
			return c.List(ctx, n)
		},
	}
}

// walk is the scenario of a paginated walk over every page.
var walk = scenario{
	name:      "walk" + strconv.Itoa(fakeserver.WalkPages) + "x" + strconv.Itoa(fakeserver.WalkPageSize),
	maxResult: fakeserver.WalkPageSize,
	pages:     fakeserver.WalkPages,
	run: func(ctx context.Context, c clients.Client) (int, error) {
		return c.Walk(ctx, fakeserver.WalkPageSize)
	},
}

// scenarios lists every benchmark scenario.
var scenarios = []scenario{list(1), list(50), list(1000), walk}

// want is how many sessions a successful op of sc decodes with spec.
func want(sc scenario, spec clients.Spec) int {
	if !spec.Decodes {
		return 0
	}
	return sc.sessions()
}
