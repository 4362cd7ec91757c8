package devicefarm

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Allocation budgets for the hot path, counted (not timed) so that a
// regression fails CI on any machine. The in-memory transport's own few
// allocations are included. Measured at the time of writing: 87, 185 and
// 2,085 per call (5 of them the stall guard's); the budgets leave a little
// room. The official SDK makes
// 394, 1,953 and 31,184 (bench/README.md).
//
// The race detector drops what is put in a sync.Pool at random (one time in
// four), so under -race the client's pooled body buffers add allocations
// that vary from run to run (90 or 91 for 87): the test runs without
// -race, as .ci/run runs it after the suite.
func TestAllocationBudget_ListTestGridSessions(t *testing.T) {
	if raceDetector {
		t.Skip("allocation counts vary under -race (sync.Pool drops at random): run without -race, as .ci/run does")
	}
	budgets := []struct {
		sessions int
		max      float64
	}{{1, 90}, {50, 195}, {1000, 2120}}
	for _, b := range budgets {
		t.Run(fmt.Sprintf("sessions=%d", b.sessions), func(t *testing.T) {
			page := renderPage(b.sessions, "")
			c := New(Options{BaseEndpoint: "http://127.0.0.1:1", Credentials: testCredentials(), HTTPClient: cannedDoer{page}})
			in := &ListTestGridSessionsInput{ProjectArn: testProjectArn, MaxResult: 1000}
			allocs := leastAllocsPerRun(20, func() {
				out, err := c.ListTestGridSessions(context.Background(), in)
				if err != nil || len(out.TestGridSessions) != b.sessions {
					panic(fmt.Sprint("unexpected result: ", err))
				}
			})
			t.Logf("%d sessions: %.0f allocs/call", b.sessions, allocs)
			assert.LessOrEqual(t, allocs, b.max)
		})
	}
}

// leastAllocsPerRun is the lowest of five testing.AllocsPerRun(runs, f)
// measurements. A GC during a measurement empties the sync.Pool of the
// client's body buffers, adding allocations no call makes of its own; an
// allocation added to every call still shows in every measurement.
func leastAllocsPerRun(runs int, f func()) float64 {
	least := testing.AllocsPerRun(runs, f)
	for range 4 {
		least = min(least, testing.AllocsPerRun(runs, f))
	}
	return least
}

// Decoding allocates one string per string member (the arn and the
// capabilities here), the list (sized from the body, so it does not grow),
// the token and one scratch buffer for unescaping: nothing per timestamp,
// number or known status.
func TestAllocationBudget_DecodeOutput(t *testing.T) {
	for _, n := range []int{1, 50, 1000} {
		t.Run(fmt.Sprintf("sessions=%d", n), func(t *testing.T) {
			page := renderPage(n, "next")
			budget := float64(2*n + 3)
			allocs := testing.AllocsPerRun(20, func() {
				var out ListTestGridSessionsOutput
				if err := decodeOutput(page, &out); err != nil {
					panic(err)
				}
			})
			t.Logf("%d sessions: %.0f allocs (budget %.0f)", n, allocs, budget)
			assert.LessOrEqual(t, allocs, budget)
		})
	}
}

// pagingDoer serves pages of a fixed body in memory, each with the next
// page's token, until pages pages were served.
type pagingDoer struct {
	body  []byte // a page without its closing brace
	pages int
}

func (d pagingDoer) Do(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	n := 0
	if token := jsonStringValue(body, "nextToken"); token != nil {
		n, _ = strconv.Atoi(string(token[len("page-"):]))
	}
	tail := "}"
	if n+1 < d.pages {
		tail = fmt.Sprintf(`,"nextToken":"page-%06d"}`, n+1)
	}
	return &http.Response{
		StatusCode:    200,
		Header:        http.Header{},
		Body:          io.NopCloser(io.MultiReader(bytes.NewReader(d.body), bytes.NewReader([]byte(tail)))),
		ContentLength: int64(len(d.body) + len(tail)),
		Request:       r,
	}, nil
}

// jsonStringValue returns the raw value of a top-level string member in a
// request body written by appendBody (no escapes in tokens we issue).
func jsonStringValue(body []byte, name string) []byte {
	key := []byte(`"` + name + `":"`)
	i := bytes.Index(body, key)
	if i < 0 {
		return nil
	}
	rest := body[i+len(key):]
	return rest[:bytes.IndexByte(rest, '"')]
}

// Iterating 200,000 sessions keeps the live heap bounded by about a page:
// the iterator holds one page at a time and the client keeps nothing.
func TestSessionsIterator_HeapStaysBounded(t *testing.T) {
	const pageSize, pages = 1000, 200
	page := renderPage(pageSize, "")
	d := pagingDoer{body: page[:len(page)-1], pages: pages}
	c := New(Options{BaseEndpoint: "http://127.0.0.1:1", Credentials: testCredentials(), HTTPClient: d})
	p := NewListTestGridSessionsPaginator(c, &ListTestGridSessionsInput{ProjectArn: testProjectArn}, func(o *ListTestGridSessionsPaginatorOptions) { o.Limit = pageSize })

	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	base := heap()
	var peak uint64
	count := 0
	for s, err := range p.Sessions(context.Background()) {
		require.NoError(t, err)
		if s.Arn == "" {
			t.Fatal("session without an ARN")
		}
		count++
		if count%(10*pageSize) == pageSize/2 {
			peak = max(peak, heap())
		}
	}
	require.Equal(t, pageSize*pages, count)

	// One decoded page is about 0.4 MB and a pooled body buffer 0.5 MB; all
	// 200 pages would be about 80 MB. Allow a few pages' worth.
	growth := int64(peak) - int64(base)
	t.Logf("live heap growth while iterating %d sessions: %.1f MB (page body %.1f MB)", count, float64(growth)/1e6, float64(len(page))/1e6)
	assert.Less(t, growth, int64(8<<20), "the iterator must not accumulate pages")
}
