package devicefarmtest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// A *Server is an http.Handler, to mount on a server of one's own.
var _ http.Handler = (*devicefarmtest.Server)(nil)

func TestServerAccessors(t *testing.T) {
	s := devicefarmtest.NewServer()
	defer s.Close()
	o := s.Options()
	assert.Equal(t, devicefarmtest.DefaultRegion, o.Region)
	assert.Equal(t, devicefarmtest.DefaultAccessKeyID, o.AccessKeyID)
	assert.Equal(t, devicefarmtest.DefaultSecretAccessKey, o.SecretAccessKey)
	assert.Empty(t, o.SessionToken)
	assert.Equal(t, devicefarmtest.DefaultPageSize, o.DefaultPageSize)
	assert.Equal(t, 50, devicefarmtest.DefaultPageSize)
	assert.NotNil(t, o.Now)
	assert.Regexp(t, `^http://127\.0\.0\.1:[0-9]+$`, s.URL)
	creds := serverCreds(t, s)
	assert.Equal(t, o.AccessKeyID, creds.AccessKeyID)
	assert.Equal(t, o.SecretAccessKey, creds.SecretAccessKey)

	co := s.Client().Options()
	assert.Equal(t, s.URL, co.BaseEndpoint)
	assert.Equal(t, "us-west-2", co.Region)
	assert.NotNil(t, co.Retryer)
	assert.Equal(t, 3, co.Retryer.MaxAttempts())
	assert.Equal(t, "eu-west-1", s.Client(func(o *devicefarm.Options) { o.Region = "eu-west-1" }).Options().Region)
}

// TestUnstartedServer mounts a server that does not listen on a server of
// one's own, pages through it, then starts it.
func TestUnstartedServer(t *testing.T) {
	s := devicefarmtest.NewUnstartedServer(func(o *devicefarmtest.Options) { o.Epoch = epoch })
	defer s.Close()
	assert.Empty(t, s.URL)
	assert.Panics(t, func() { s.Client() })
	seeded := s.Seed(projectArn, 12, 1)

	own := httptest.NewServer(s)
	defer own.Close()
	c := devicefarm.New(devicefarm.Options{
		Region: devicefarmtest.DefaultRegion, BaseEndpoint: own.URL, Credentials: s.Credentials(), HTTPClient: own.Client(),
	})
	assert.Equal(t, seeded, flatten(walk(t, c, devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn}, 5)))

	s.Start()
	assert.NotEmpty(t, s.URL)
	assert.Panics(t, s.Start, "started twice")
	out, err := s.Client().ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
	require.NoError(t, err)
	assert.Len(t, out.TestGridSessions, 12)
}

// TestServeHTTPDirect calls ServeHTTP with a ResponseRecorder.
func TestServeHTTPDirect(t *testing.T) {
	s := newServer(t)
	s.Seed(projectArn, 2, 1)
	body := `{"projectArn":"` + projectArn + `"}`
	signed := func() *http.Request {
		req := httptest.NewRequest(http.MethodPost, "http://devicefarm.example/", strings.NewReader(body))
		req.Header.Set("Content-Type", jsonType)
		req.Header.Set("X-Amz-Target", listTarget)
		sign(t, req, body, serverCreds(t, s), "devicefarm", "us-west-2", time.Now())
		return req
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, signed())
	assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), `"testGridSessions":[{`)

	nilBody, err := http.NewRequest(http.MethodPost, "http://devicefarm.example/", nil)
	require.NoError(t, err)
	w = httptest.NewRecorder()
	s.ServeHTTP(w, nilBody)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Equal(t, "SerializationException", w.Header().Get("X-Amzn-ErrorType"))

	s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultCloseBeforeResponse})
	req := signed()
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() { s.ServeHTTP(httptest.NewRecorder(), req) },
		"a recorder cannot be hijacked")
}

func TestLatency(t *testing.T) {
	s := newServer(t)
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
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

// TestCloseReleasesWaits closes the server while a request waits (a hang,
// a long Latency): Close returns, the call fails without a response, and
// no goroutine is left behind.
func TestCloseReleasesWaits(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*devicefarmtest.Server)
	}{
		{"hang", func(s *devicefarmtest.Server) {
			s.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultHang})
		}},
		{"latency", func(s *devicefarmtest.Server) { s.SetLatency(time.Hour) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			s := devicefarmtest.NewServer()
			s.AddProject(devicefarmtest.Project{Arn: projectArn})
			tc.setup(s)
			c := s.Client(oneAttempt)

			done := make(chan error, 1)
			go func() {
				_, err := c.ListTestGridSessions(context.Background(), &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn})
				done <- err
			}()
			require.Eventually(t, func() bool { return len(s.Requests()) == 1 && len(s.PendingFaults()) == 0 }, 10*time.Second, time.Millisecond, "the request arrives and waits")

			closed := make(chan struct{})
			go func() {
				s.Close()
				close(closed)
			}()
			select {
			case <-closed:
			case <-time.After(30 * time.Second): // a safety net, not a timing assertion
				t.Fatal("Close blocked on a waiting request")
			}
			select {
			case err := <-done:
				require.Error(t, err)
				var ae *devicefarm.APIError
				assert.NotErrorAs(t, err, &ae, "no response was sent")
			case <-time.After(30 * time.Second):
				t.Fatal("the waiting call was not released")
			}
			s.Close() // idempotent
			assert.Equal(t, 0, s.Requests()[0].StatusCode)
			// No goroutine is left behind (polled here: Eventually would add its own).
			for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			assert.LessOrEqual(t, runtime.NumGoroutine(), before)
		})
	}
}
