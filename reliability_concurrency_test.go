package devicefarm_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// TestSharedClientConcurrency: one client shared by 64 goroutines, each
// walking its own project (its own size and page size) through throttling
// and dropped connections, each getting exactly its own sessions.
//
// Faults are aimed, not raced for: every even-numbered worker meets exactly
// one, on a request of its own project chosen in advance (a throttle or a
// dropped connection, on its first, second or third page), through the
// fake's Inject(Match{ProjectArn, Nth}). No other request can take it, and
// every call meets at most one fault, well within the default three
// attempts and the retry token bucket, whatever the scheduling.
func TestSharedClientConcurrency(t *testing.T) {
	srv := devicefarmtest.NewServer(func(o *devicefarmtest.Options) {
		o.AccessKeyID, o.SecretAccessKey, o.SessionToken = canaryAccessKey, canarySecret, canaryToken
	})
	defer srv.Close()
	const workers = 64
	projects := make([]string, workers)
	var injections []*devicefarmtest.Injection
	for i := range projects {
		projects[i] = fmt.Sprintf("arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:00000000-0000-4000-8000-%012d", i)
		srv.Seed(projects[i], 10+i, int64(i)) // listed 3+i%7 at a time below
		if i%2 == 0 {
			f := devicefarmtest.Throttling()
			if i%4 == 2 {
				f = devicefarmtest.Fault{Kind: devicefarmtest.FaultCloseMidBody}
			}
			pages := (10 + i + 2 + i%7) / (3 + i%7) // sessions over page size, rounded up
			m := devicefarmtest.Match{Operation: "ListTestGridSessions", ProjectArn: projects[i], Nth: 1 + min(i/2%3, pages-1)}
			injections = append(injections, srv.Inject(m, f))
		}
	}
	client := srv.Client()

	got := make([][]devicefarm.TestGridSession, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := &devicefarm.ListTestGridSessionsInput{ProjectArn: projects[i], MaxResult: int32(3 + i%7)}
			p := devicefarm.NewListTestGridSessionsPaginator(client, in)
			for s, err := range p.Sessions(context.Background()) {
				if err != nil {
					errs[i] = err
					return
				}
				got[i] = append(got[i], s)
			}
		}()
	}
	wg.Wait()
	for i := range workers {
		require.NoError(t, errs[i], "worker %d", i)
		require.Equal(t, srv.Sessions(projects[i]), got[i], "worker %d got exactly its own sessions", i)
	}
	for _, inj := range injections {
		assert.Equal(t, 1, inj.Fired(), "every aimed fault was served")
	}
	assert.Empty(t, srv.PendingFaults(), "every fault was met and survived")
}
