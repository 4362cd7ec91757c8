package summary

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/stats"
)

// gate is a --max-STATUS limit: a share of all sessions ("5%") or a count
// ("3") of sessions in one status that the summary must not exceed.
type gate struct {
	flag    string // the flag's name, without dashes: max-errored
	status  devicefarm.TestGridSessionStatus
	text    string  // the limit as typed, trimmed: "5%" or "3"
	share   float64 // the limit as a fraction when percent
	count   int     // the limit as a count when not percent
	percent bool
}

// gateStatuses are the statuses that have a gate flag, by flag name.
var gateStatuses = []struct {
	flag   string
	status devicefarm.TestGridSessionStatus
}{
	{"max-errored", devicefarm.TestGridSessionStatusErrored},
	{"max-active", devicefarm.TestGridSessionStatusActive},
}

// parseGate reads the value of a gate flag: a percentage from 0% to 100%
// or a whole number of sessions.
func parseGate(flag string, status devicefarm.TestGridSessionStatus, value string) (gate, error) {
	g := gate{flag: flag, status: status, text: strings.TrimSpace(value)}
	bad := cmdutil.Usagef("--%s %q is neither a share such as 5%% nor a number of sessions such as 3", flag, value)
	if num, ok := strings.CutSuffix(g.text, "%"); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || math.IsNaN(f) || f < 0 || f > 100 {
			return gate{}, bad
		}
		g.percent, g.share = true, f/100
		return g, nil
	}
	n, err := strconv.Atoi(g.text)
	if err != nil || n < 0 {
		return gate{}, bad
	}
	g.count = n
	return g, nil
}

// check returns the message of a gate that s exceeds, such as
// "errored 8.8% (22 of 250) exceeds --max-errored 5%", or "" when s keeps
// within it. A share is exceeded when strictly above the limit, as is a
// count.
func (g gate) check(s *stats.Summary) string {
	n := 0
	for _, st := range s.Statuses {
		if st.Status == string(g.status) {
			n = st.Sessions
		}
	}
	share := 0.0
	if s.Sessions > 0 {
		share = float64(n) / float64(s.Sessions)
	}
	exceeded := n > g.count
	if g.percent {
		exceeded = share > g.share
	}
	if !exceeded {
		return ""
	}
	return fmt.Sprintf("%s %s (%d of %d) exceeds --%s %s",
		strings.ToLower(string(g.status)), stats.Percent(share), n, s.Sessions, g.flag, g.text)
}
