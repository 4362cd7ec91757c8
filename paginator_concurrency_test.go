package devicefarm

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numberedPager serves sessions s000, s001, ... up to total, size per page.
// The page is chosen by the request's token ("" or "tok-N", N the first
// session's number), not by the call count, so a page fetched twice shows
// up as duplicate sessions.
func numberedPager(t testing.TB, total, size int) *fakePagerClient {
	return &fakePagerClient{t: t, fn: func(call int, in *ListTestGridSessionsInput) (*ListTestGridSessionsOutput, error) {
		start := 0
		if in.NextToken != "" {
			if _, err := fmt.Sscanf(in.NextToken, "tok-%d", &start); err != nil {
				t.Errorf("unexpected token %q", in.NextToken)
				return nil, err
			}
		}
		end := min(start+size, total)
		out := &ListTestGridSessionsOutput{RequestID: fmt.Sprintf("rid-%d", call)}
		for i := start; i < end; i++ {
			out.TestGridSessions = append(out.TestGridSessions, TestGridSession{Arn: fmt.Sprintf("s%03d", i)})
		}
		if end < total {
			out.NextToken = fmt.Sprintf("tok-%d", end)
		}
		return out, nil
	}}
}

func numberedArns(total int) []string {
	arns := make([]string, total)
	for i := range arns {
		arns[i] = fmt.Sprintf("s%03d", i)
	}
	return arns
}

// While one goroutine's range loop is inside a call, every other use of the
// paginator fails with ErrPaginatorInUse and changes nothing.
func TestPaginator_ConcurrentUseIsDetected(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	inner := numberedPager(t, 10, 4)
	f := &fakePagerClient{t: t, fn: func(call int, in *ListTestGridSessionsInput) (*ListTestGridSessionsOutput, error) {
		if call == 1 {
			close(entered)
			<-release
		}
		return inner.fn(call, in)
	}}
	p := NewListTestGridSessionsPaginator(f, testInput())
	ctx := context.Background()

	done := make(chan []string)
	go func() {
		var got []string
		for s, err := range p.Sessions(ctx) {
			if err != nil {
				got = append(got, errWord(err))
				continue
			}
			got = append(got, s.Arn)
		}
		done <- got
	}()
	<-entered

	assert.True(t, p.HasMorePages(), "HasMorePages is safe to call meanwhile")
	out, err := p.NextPage(ctx)
	assert.Nil(t, out)
	assert.ErrorIs(t, err, ErrPaginatorInUse)
	for name, errs := range map[string][]error{"Pages": onlyErrors(t, p.Pages(ctx)), "Sessions": onlyErrors(t, p.Sessions(ctx))} {
		require.Len(t, errs, 1, "%s yields once, then the iterator stops", name)
		assert.ErrorIs(t, errs[0], ErrPaginatorInUse, name)
	}

	close(release)
	assert.Equal(t, numberedArns(10), <-done, "the loop holding the paginator was not disturbed")
	assert.Equal(t, []string{"", "tok-4", "tok-8"}, f.SentTokens())

	// Free again once the loop has ended.
	_, err = p.NextPage(ctx)
	assert.ErrorIs(t, err, ErrNoMorePages)
}

// Inside a range loop the paginator is in use, so NextPage or a nested
// range over the same paginator fails instead of stealing its sessions.
func TestPaginator_NestedUseIsDetected(t *testing.T) {
	f := numberedPager(t, 6, 3)
	p := NewListTestGridSessionsPaginator(f, testInput())
	var got []string
	for s, err := range p.Sessions(context.Background()) {
		require.NoError(t, err)
		got = append(got, s.Arn)
		if s.Arn == "s001" {
			out, err := p.NextPage(context.Background())
			assert.Nil(t, out)
			assert.ErrorIs(t, err, ErrPaginatorInUse)
			for _, err := range p.Pages(context.Background()) {
				assert.ErrorIs(t, err, ErrPaginatorInUse)
			}
		}
	}
	assert.Equal(t, numberedArns(6), got)
	assert.Len(t, f.Calls(), 2)
}

// Goroutines sharing one paginator never race and never see a session
// twice: each range either gets sessions or fails with ErrPaginatorInUse
// (or, once the walk is over, ErrNoMorePages). Run with -race.
func TestPaginator_ConcurrentUseNeverDuplicates(t *testing.T) {
	const total, size, workers = 300, 7, 16
	pages := (total + size - 1) / size

	t.Run("whole ranges", func(t *testing.T) {
		f := numberedPager(t, total, size)
		p := NewListTestGridSessionsPaginator(f, testInput())
		got := make([][]string, workers)
		errs := make([]error, workers)
		runTogether(workers, func(w int) {
			for s, err := range p.Sessions(context.Background()) {
				if err != nil {
					errs[w] = err
					continue
				}
				got[w] = append(got[w], s.Arn)
			}
		})

		var union []string
		for w := range workers {
			if got[w] != nil {
				assert.NoError(t, errs[w], "worker %d got sessions and an error", w)
				union = append(union, got[w]...)
				continue
			}
			if !errors.Is(errs[w], ErrPaginatorInUse) {
				assert.ErrorIs(t, errs[w], ErrNoMorePages, "worker %d", w)
			}
		}
		assert.Equal(t, numberedArns(total), union, "one worker walked everything, once")
		assert.Len(t, f.Calls(), pages)
	})

	t.Run("short ranges and NextPage, mixed", func(t *testing.T) {
		f := numberedPager(t, total, size)
		serve := f.fn
		// The first request holds the paginator until another worker has
		// found it busy: contention is certain, not left to the scheduler.
		contended := make(chan struct{})
		var sawBusy sync.Once
		f.fn = func(call int, in *ListTestGridSessionsInput) (*ListTestGridSessionsOutput, error) {
			if call == 1 {
				<-contended
			}
			return serve(call, in)
		}
		p := NewListTestGridSessionsPaginator(f, testInput())
		got := make([][]string, workers)
		busy := make([]int, workers)
		runTogether(workers, func(w int) {
			take := 1 + w%5
			// step takes a little from p and reports whether the walk is over.
			step := func() bool {
				var err error
				switch w % 3 {
				case 0:
					n := 0
					for s, serr := range p.Sessions(context.Background()) {
						if err = serr; err != nil {
							break
						}
						got[w] = append(got[w], s.Arn)
						if n++; n == take {
							break
						}
					}
				case 1:
					for out, perr := range p.Pages(context.Background()) {
						if err = perr; err == nil {
							got[w] = append(got[w], sessionArns(out.TestGridSessions)...)
						}
						break
					}
				default:
					var out *ListTestGridSessionsOutput
					if out, err = p.NextPage(context.Background()); err == nil {
						got[w] = append(got[w], sessionArns(out.TestGridSessions)...)
					}
				}
				switch {
				case err == nil:
				case errors.Is(err, ErrPaginatorInUse):
					busy[w]++
					sawBusy.Do(func() { close(contended) })
					runtime.Gosched()
				case errors.Is(err, ErrNoMorePages):
					return true
				default:
					t.Errorf("worker %d: %v", w, err)
					return true
				}
				return false
			}
			for !step() {
			}
		})

		var union []string
		inUse := 0
		for w := range workers {
			assert.True(t, slices.IsSorted(got[w]), "worker %d received sessions out of order", w)
			union = append(union, got[w]...)
			inUse += busy[w]
		}
		slices.Sort(union)
		assert.Equal(t, numberedArns(total), union, "every session exactly once")
		assert.Len(t, f.Calls(), pages, "no page fetched twice")
		assert.Positive(t, inUse, "the workers contended")
		t.Logf("%d workers, %d ErrPaginatorInUse", workers, inUse)
	})
}

// runTogether runs work(0) to work(n-1) on n goroutines released at the
// same moment, and returns when all are done.
func runTogether(n int, work func(w int)) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			work(w)
		}()
	}
	close(start)
	wg.Wait()
}

// onlyErrors ranges seq, requiring that it yields no value, and returns
// the errors it yields.
func onlyErrors[T any](t *testing.T, seq iter.Seq2[T, error]) []error {
	var errs []error
	for v, err := range seq {
		assert.Zero(t, v)
		errs = append(errs, err)
	}
	return errs
}
