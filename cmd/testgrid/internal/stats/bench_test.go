package stats

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// benchSessions is the size of the benchmark and of the memory test.
const (
	benchSessions = 200_000
	benchPageSize = 1000
)

// generatedPages calls page with n generated sessions, size at a time, in
// creation order, as the service lists them. Each page is generated only
// when it is needed, with devicefarmtest.GenerateSessions, and is garbage
// once page returns: the caller never holds more than one page.
//
// GenerateSessions spreads each call over the 30 days before testNow; the
// times of page i are mapped linearly into the ith slice of those 30 days
// (durations kept), so that pages follow each other. A session ACTIVE
// before the last page is closed after 10 minutes: a listing's active
// sessions are its most recent ones.
func generatedPages(n, size int, page func([]devicefarm.TestGridSession)) {
	const window = 30 * 24 * time.Hour
	start := testNow.Add(-window)
	pages := (n + size - 1) / size
	slice := window / time.Duration(pages)
	for i := range pages {
		sessions := devicefarmtest.GenerateSessions(testProject, min(size, n-i*size), int64(i+1), testNow)
		base := start.Add(time.Duration(i) * slice)
		for j := range sessions {
			s := &sessions[j]
			created := base.Add(s.Created.Sub(start) / time.Duration(pages)).Truncate(time.Millisecond)
			switch {
			case s.Status != devicefarm.TestGridSessionStatusActive:
				s.Ended = created.Add(s.Ended.Sub(s.Created))
			case i < pages-1:
				s.Status, s.Ended, s.BillingMinutes = devicefarm.TestGridSessionStatusClosed, created.Add(10*time.Minute), 10
			}
			s.Created = created
		}
		page(sessions)
	}
}

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// retainedLimit bounds what the aggregator keeps for 200,000 sessions of
// 30 days: the duration sketch (17.6 KiB), about 720 hours of series,
// 31 days, a dozen browsers and platforms, and a heap of end times as
// deep as the peak concurrency. Holding the sessions would take ~90 MB.
const retainedLimit = 256 << 10

// TestSummaryAggregatorMemoryIsBounded streams 200,000 generated sessions
// through an aggregator and measures the heap it retains. It is not
// parallel, so that no other test allocates meanwhile.
func TestSummaryAggregatorMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 200,000 sessions")
	}
	before := heapInUse()
	a := NewAggregator(testNow, time.UTC)
	generatedPages(benchSessions, benchPageSize, func(p []devicefarm.TestGridSession) {
		assert.NoError(t, a.WritePage(p))
	})
	s := a.Summary()
	retained := int64(heapInUse()) - int64(before)
	runtime.KeepAlive(a)

	assert.Equal(t, benchSessions, s.Sessions)
	assert.True(t, s.Concurrency.Exact, "pages arrive in creation order")
	assert.Less(t, retained, int64(retainedLimit))
	t.Logf("retained %d bytes for %d sessions (limit %d): %d days, %d hours, %d browsers, peak concurrency %d",
		retained, s.Sessions, retainedLimit, len(s.Days), len(s.Concurrency.Hours), len(s.Browsers), s.Concurrency.Peak)
}

// BenchmarkSummaryAggregate200k streams 200,000 generated sessions
// through an aggregator and summarises them. Generating the sessions is
// not timed (nor counted in B/op); retained-B/op is the heap the
// aggregator keeps at the end.
//
//	go test -run '^$' -bench SummaryAggregate -benchmem -benchtime 3x ./cmd/testgrid/
func BenchmarkSummaryAggregate200k(b *testing.B) {
	var retained int64
	b.ReportAllocs()
	b.StopTimer()
	for range b.N {
		before := heapInUse()
		a := NewAggregator(testNow, time.UTC)
		generatedPages(benchSessions, benchPageSize, func(p []devicefarm.TestGridSession) {
			b.StartTimer()
			a.WritePage(p)
			b.StopTimer()
		})
		b.StartTimer()
		s := a.Summary()
		b.StopTimer()
		retained += max(int64(heapInUse())-int64(before), 0)
		runtime.KeepAlive(s)
		runtime.KeepAlive(a)
	}
	b.ReportMetric(float64(retained)/float64(b.N), "retained-B/op")
	b.ReportMetric(float64(benchSessions), "sessions/op")
}
