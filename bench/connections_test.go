package bench

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/bench/internal/clients"
	"github.com/testgridkit/devicefarm/bench/internal/fakeserver"
)

// connReport, when set, names a file that TestConnectionReuse writes its
// table to, in Markdown.
var connReport = flag.String("connreport", "", "write the connection/retry table of TestConnectionReuse to this file")

const (
	// reuseCalls is how many sequential calls TestConnectionReuse makes
	// per client and scenario.
	reuseCalls = 200
	// reuseAttempts is how many times a client that must keep one
	// connection may try; see TestConnectionReuse.
	reuseAttempts = 3
)

// reuseRow is one client's record in one scenario.
type reuseRow struct {
	client, scenario          string
	attempt                   int
	requests, conns, failures int64
}

// retries is the number of requests beyond one per call.
func (r reuseRow) retries() int64 { return r.requests - reuseCalls }

// TestConnectionReuse makes 200 sequential calls per scenario (1, 50 and
// 1000 sessions) with each client against a healthy server of its own, so
// no connection pool starts warm, and records connections and retries.
//
// ours, floor and transport must use exactly one connection and make no
// retries. On this noisy 2-core machine net/http has, about once in several
// thousand calls, dropped a healthy idle connection and dialled a new one,
// for ours and floor alike (not reproducible on demand; the transport gives
// up on reusing a connection whose request write has not reported back
// within 50 ms of the response, which a stalled thread can cause). So such
// a client gets up to reuseAttempts tries, each with a fresh server; a real
// leak (an undrained body, a retry) fails every try. The official client's
// numbers are only reported: against a fast server it drops connections
// and retries (see clients.Spec.Flaky).
func TestConnectionReuse(t *testing.T) {
	var rows []reuseRow
	for _, spec := range clients.All {
		t.Run(spec.Name, func(t *testing.T) {
			for attempt := 1; ; attempt++ {
				got := measureReuse(t, spec, attempt)
				ok := reused(got)
				if spec.Flaky || ok || attempt == reuseAttempts {
					rows = append(rows, got...)
					if !spec.Flaky {
						assert.True(t, ok, "want exactly 1 connection and 0 retries over all calls: %+v", got)
					}
					return
				}
				t.Logf("attempt %d opened more than one connection or retried; trying again with a fresh server", attempt)
			}
		})
	}
	if *connReport != "" {
		require.NoError(t, os.WriteFile(*connReport, []byte(reuseTable(rows)), 0o644))
	}
}

// measureReuse makes the calls of every single-call scenario with a new
// client of spec against a new server, and returns a row per scenario.
func measureReuse(t *testing.T, spec clients.Spec, attempt int) []reuseRow {
	srv, err := fakeserver.Start()
	require.NoError(t, err)
	defer func() { assert.NoError(t, srv.Close()) }()
	c, err := spec.New(srv.URL)
	require.NoError(t, err)

	var rows []reuseRow
	for _, sc := range scenarios[:3] {
		row := reuseRow{client: spec.Name, scenario: sc.name, attempt: attempt}
		for range reuseCalls {
			n, err := sc.run(context.Background(), c)
			if err != nil || n != want(sc, spec) {
				row.failures++
				if !spec.Flaky {
					require.NoError(t, err)
					require.Equal(t, want(sc, spec), n)
				}
			}
		}
		st, err := srv.Reset()
		require.NoError(t, err)
		row.requests, row.conns = st.Requests, st.Conns
		rows = append(rows, row)
		t.Logf("scenario=%s: %d calls, %d requests (%d retries), %d new connections, %d failed calls",
			sc.name, reuseCalls, row.requests, row.retries(), row.conns, row.failures)
	}
	return rows
}

// reused reports whether rows add up to one connection and no retries.
func reused(rows []reuseRow) bool {
	var conns, retries int64
	for _, r := range rows {
		conns += r.conns
		retries += r.retries()
	}
	return conns == 1 && retries == 0
}

// reuseTable renders rows as a Markdown table.
func reuseTable(rows []reuseRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d sequential calls per client and scenario, in the order shown; each client has a fresh server, so its first call opens a connection.\n\n", reuseCalls)
	b.WriteString("| client | scenario | calls | requests | retries | new connections | failed calls | attempt |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %d | %d |\n",
			r.client, r.scenario, reuseCalls, r.requests, r.retries(), r.conns, r.failures, r.attempt)
	}
	return b.String()
}
