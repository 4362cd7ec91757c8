package devicefarmtest_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// Listings running while Replace swaps the data see the old data or the
// new, whole: never an empty page, never NotFound (issue 20, row 2).
func TestReplaceIsAtomic(t *testing.T) {
	s := newServer(t)
	const n = 300
	s.Seed(projectArn, n, 1)
	fill := func(f *devicefarmtest.Server) error { f.Seed(projectArn, n, 1); return nil }
	c := s.Client(oneAttempt)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				assert.NoError(t, s.Replace(fill))
			}
		}
	}()
	for range 4 {
		out, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, MaxResult: 1000})
		require.NoError(t, err)
		assert.Len(t, out.TestGridSessions, n, "one listing sees all the data")
	}
	close(stop)
	wg.Wait()
}

// A nextToken issued before Replace is refused, saying the data was reset;
// a failing fill changes nothing.
func TestReplaceRefusesOldTokens(t *testing.T) {
	s := newServer(t)
	s.Seed(projectArn, 20, 1)
	c := s.Client(oneAttempt)
	out, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, MaxResult: 5})
	require.NoError(t, err)
	require.NotNil(t, out.NextToken)

	boom := errors.New("boom")
	assert.ErrorIs(t, s.Replace(func(f *devicefarmtest.Server) error { f.Seed(projectArn, 3, 2); return boom }), boom)
	assert.Len(t, s.Sessions(projectArn), 20, "a failed fill changes nothing")
	_, err = c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, MaxResult: 5, NextToken: out.NextToken})
	require.NoError(t, err)

	require.NoError(t, s.Replace(func(f *devicefarmtest.Server) error { f.Seed(projectArn, 20, 1); return nil }))
	assert.Len(t, s.Sessions(projectArn), 20)
	_, err = c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, MaxResult: 5, NextToken: out.NextToken})
	ae := apiError(t, err)
	assert.Equal(t, "ArgumentException", ae.ErrorCode())
	assert.Contains(t, ae.ErrorMessage(), "the data was reset")
	fresh, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, MaxResult: 5})
	require.NoError(t, err)
	_, err = c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, MaxResult: 5, NextToken: fresh.NextToken})
	assert.NoError(t, err, "tokens issued after the reset resume")
}
