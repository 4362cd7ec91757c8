package devicefarm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
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
// dropped connection, on its first, second or third page). The aimed
// request queues the fault and is served alone, so no other request can
// take it; every call meets at most one fault, well within the default
// three attempts and the retry token bucket, whatever the scheduling.
func TestSharedClientConcurrency(t *testing.T) {
	srv := devicefarmtest.NewUnstartedServer(func(o *devicefarmtest.Options) {
		o.AccessKeyID, o.SecretAccessKey, o.SessionToken = canaryAccessKey, canarySecret, canaryToken
	})
	defer srv.Close()
	const workers = 64
	projects := make([]string, workers)
	plan := map[string]aimedFault{}
	for i := range projects {
		projects[i] = fmt.Sprintf("arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:00000000-0000-4000-8000-%012d", i)
		srv.Seed(projects[i], 10+i, int64(i)) // listed 3+i%7 at a time below
		if i%2 == 0 {
			f := devicefarmtest.Throttling()
			if i%4 == 2 {
				f = devicefarmtest.Fault{Kind: devicefarmtest.FaultCloseMidBody}
			}
			pages := (10 + i + 2 + i%7) / (3 + i%7) // sessions over page size, rounded up
			plan[projects[i]] = aimedFault{request: min(i/2%3, pages-1), fault: f}
		}
	}
	aimer := &faultAimer{srv: srv, plan: plan, seen: map[string]int{}}
	hs := httptest.NewServer(aimer)
	defer hs.Close()
	client := devicefarm.New(devicefarm.Options{
		BaseEndpoint: hs.URL,
		Credentials:  srv.Credentials(),
		HTTPClient:   hs.Client(),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})

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
	assert.Equal(t, len(plan), aimer.served(), "every aimed fault was served")
	assert.Zero(t, srv.PendingFaults(), "every fault was met and survived")
}

// aimedFault is a fault for one request of a project: its request-th
// (counting from 0) ListTestGridSessions request.
type aimedFault struct {
	request int
	fault   devicefarmtest.Fault
}

// faultAimer mounts a devicefarmtest.Server and gives each planned fault
// to exactly the request it is aimed at: that request queues the fault
// with FailNext and is served while no other request is in the server
// (lock held for writing); every other request is served concurrently
// (lock held for reading).
type faultAimer struct {
	srv  *devicefarmtest.Server
	plan map[string]aimedFault

	lock sync.RWMutex // exclusive while an aimed fault is queued and served

	mu     sync.Mutex
	seen   map[string]int // requests received, by project
	faults int            // aimed faults served
}

func (a *faultAimer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var in struct{ ProjectArn string }
	_ = json.Unmarshal(body, &in) // a body the fake refuses is the fake's to answer

	a.mu.Lock()
	n := a.seen[in.ProjectArn]
	a.seen[in.ProjectArn]++
	f, aimed := a.plan[in.ProjectArn]
	aimed = aimed && f.request == n
	if aimed {
		a.faults++
	}
	a.mu.Unlock()

	if !aimed {
		a.lock.RLock()
		defer a.lock.RUnlock()
		a.srv.ServeHTTP(w, r)
		return
	}
	a.lock.Lock()
	defer a.lock.Unlock()
	a.srv.FailNext(1, f.fault)
	a.srv.ServeHTTP(w, r)
}

func (a *faultAimer) served() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.faults
}
