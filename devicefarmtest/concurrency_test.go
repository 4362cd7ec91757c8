package devicefarmtest_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// TestConcurrentUse has goroutines adding sessions, seeding, listing,
// paginating, reading Requests and changing settings at the same time. Run
// it with -race. Every walk must be strictly ordered with no repeats.
func TestConcurrentUse(t *testing.T) {
	s := newServer(t)
	s.Seed(projectArn, 100, 1)
	c := s.Client()

	const writers, readers, perWriter = 6, 6, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers+readers+2)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				created := epoch.Add(time.Duration(w*perWriter+i) * time.Second)
				s.AddSessions(projectArn, session(fmt.Sprintf("w%d-%02d", w, i), closed, created, created.Add(time.Minute)))
				if i%10 == 0 {
					s.Seed(fmt.Sprintf("%s-%d", projectArn2, w), 20, int64(i))
				}
			}
		}()
	}
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				p := devicefarm.NewListTestGridSessionsPaginator(c, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn},
					func(o *devicefarm.ListTestGridSessionsPaginatorOptions) { o.Limit = int32(10 + 3*r) })
				var prev *devicefarm.TestGridSession
				for ss, err := range p.Sessions(ctx) {
					if err != nil {
						errs <- err
						return
					}
					if prev != nil && !(prev.Created.Before(ss.Created) || prev.Created.Equal(ss.Created) && prev.Arn < ss.Arn) {
						errs <- fmt.Errorf("out of order or repeated: %s after %s", ss.Arn, prev.Arn)
						return
					}
					prev = &ss
				}
			}
		}()
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range 50 {
			_ = s.Requests()
			s.SetLatency(0)
			if i%10 == 0 {
				s.ResetRequests()
			}
			_ = s.PendingFaults()
			_ = s.Sessions(projectArn)
		}
	}()
	go func() {
		defer wg.Done()
		for range 20 {
			out, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, MaxResult: 3})
			if err != nil {
				errs <- err
				return
			}
			if len(out.TestGridSessions) != 3 {
				errs <- fmt.Errorf("page of %d", len(out.TestGridSessions))
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	all := flatten(walk(t, c, devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}, 0))
	assert.Len(t, all, 100+writers*perWriter)
	assert.Equal(t, s.Sessions(projectArn), all)
}

// TestConcurrentRecording has a writer append actions and artifacts to a
// session, as a recording proxy would, while readers page through them:
// every walk is a prefix of what was recorded, in order, with no repeats.
func TestConcurrentRecording(t *testing.T) {
	s := newServer(t)
	arn := s.Seed(projectArn, 1, 1)[0].Arn
	const n = 200
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range n {
			assert.NoError(t, s.AddActions(arn, devicefarmtest.Action{Action: fmt.Sprint(i)}))
			if i%20 == 0 {
				assert.NoError(t, s.AddArtifacts(arn, devicefarmtest.Artifact{Filename: fmt.Sprint(i)}))
			}
		}
	}()
	// Readers are parallel subtests, so that they may fail with require.
	t.Run("readers", func(t *testing.T) {
		for r := range 4 {
			t.Run(fmt.Sprint(r), func(t *testing.T) {
				t.Parallel()
				for walks := 0; walks < 5; walks++ {
					got := walkOp(t, s, "ListTestGridSessionActions", `"sessionArn":"`+arn+`","maxResult":7`, "actions", "action")
					for i, a := range got {
						assert.Equal(t, fmt.Sprint(i), a, "walk in order, no repeats")
					}
					_ = callJSON(t, s, "ListTestGridSessionArtifacts", `{"sessionArn":"`+arn+`"}`)
				}
			})
		}
	})
	<-done
	assert.Len(t, s.Actions(arn), n)
	assert.Len(t, s.Artifacts(arn), n/20)
}
