package devicefarmtest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
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

// TestCloseReleasesHungRequest closes the server while a request hangs:
// Close returns and the call fails.
func TestCloseReleasesHungRequest(t *testing.T) {
	before := runtime.NumGoroutine()
	s := devicefarmtest.NewServer()
	s.AddProject(projectArn)
	s.FailNext(1, devicefarmtest.Fault{Kind: devicefarmtest.FaultHang})
	c := s.Client(oneAttempt)

	done := make(chan error, 1)
	go func() {
		_, err := c.ListTestGridSessions(context.Background(), &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
		done <- err
	}()
	require.Eventually(t, func() bool { return s.PendingFaults() == 0 }, 10*time.Second, time.Millisecond, "the request arrives")

	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(30 * time.Second): // a safety net, not a timing assertion
		t.Fatal("Close blocked on a hung request")
	}
	select {
	case err := <-done:
		require.Error(t, err)
		var ae *devicefarm.APIError
		assert.NotErrorAs(t, err, &ae, "no response was sent")
	case <-time.After(30 * time.Second):
		t.Fatal("the hung call was not released")
	}
	s.Close() // idempotent
	assert.Equal(t, 0, s.Requests()[0].StatusCode)
	// No goroutine is left behind (polled here: Eventually would add its own).
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
}

// TestCloseReleasesLatency closes the server during a long Latency.
func TestCloseReleasesLatency(t *testing.T) {
	s := devicefarmtest.NewServer(func(o *devicefarmtest.Options) { o.Latency = time.Hour })
	s.AddProject(projectArn)
	done := make(chan error, 1)
	go func() {
		_, err := s.Client(oneAttempt).ListTestGridSessions(context.Background(), &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
		done <- err
	}()
	require.Eventually(t, func() bool { return len(s.Requests()) == 1 }, 10*time.Second, time.Millisecond)
	s.Close()
	require.Error(t, <-done)
}

func TestLatency(t *testing.T) {
	s := newServer(t)
	s.AddProject(projectArn)
	c := s.Client()
	in := &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}

	s.SetLatency(time.Hour)
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err := c.ListTestGridSessions(cctx, in)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	s.SetLatency(time.Millisecond)
	_, err = c.ListTestGridSessions(ctx, in)
	require.NoError(t, err)

	s.SetLatency(0)
	_, err = c.ListTestGridSessions(ctx, in)
	require.NoError(t, err)
}

// TestHandler mounts the fake on another server.
func TestHandler(t *testing.T) {
	s := newServer(t)
	seeded := s.Seed(projectArn, 12, 1)
	outer := httptest.NewServer(s.Handler())
	defer outer.Close()
	c := s.Client(func(o *devicefarm.Options) {
		o.BaseEndpoint = outer.URL
		o.HTTPClient = outer.Client()
	})
	assert.Equal(t, seeded, flatten(walk(t, c, devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}, 5)))
}

// TestServeHTTPDirect calls ServeHTTP with a ResponseRecorder.
func TestServeHTTPDirect(t *testing.T) {
	s := newServer(t)
	s.Seed(projectArn, 2, 1)
	body := `{"projectArn":"` + projectArn + `"}`
	req := httptest.NewRequest(http.MethodPost, "http://devicefarm.example/", strings.NewReader(body))
	req.Header.Set("Content-Type", jsonType)
	req.Header.Set("X-Amz-Target", listTarget)
	sign(t, req, body, serverCreds(t, s), "devicefarm", "us-west-2", time.Now())
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), `"testGridSessions":[{`)

	nilBody, err := http.NewRequest(http.MethodPost, "http://devicefarm.example/", nil)
	require.NoError(t, err)
	w = httptest.NewRecorder()
	s.Handler().ServeHTTP(w, nilBody)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Equal(t, "SerializationException", w.Header().Get("X-Amzn-ErrorType"))

	s.FailNext(1, devicefarmtest.Fault{Kind: devicefarmtest.FaultCloseBeforeResponse})
	req = httptest.NewRequest(http.MethodPost, "http://devicefarm.example/", strings.NewReader(body))
	req.Header.Set("Content-Type", jsonType)
	req.Header.Set("X-Amz-Target", listTarget)
	sign(t, req, body, serverCreds(t, s), "devicefarm", "us-west-2", time.Now())
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() { s.ServeHTTP(httptest.NewRecorder(), req) },
		"a recorder cannot be hijacked")
}
