package devicefarmtest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// URLCreateRate lets 10 CreateTestGridUrl calls through in one second of
// the server's clock, throttles the 11th as the service does, and lets
// calls through again once a second has passed since the first ones.
func TestURLCreateRate(t *testing.T) {
	clock := &simClock{now: epoch}
	s := newServer(t, func(o *devicefarmtest.Options) {
		o.Now = clock.Now
		o.URLCreateRate = devicefarmtest.QuotaURLCreateRate
	})
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	create := func() rawResponse {
		return callOp(t, s, "CreateTestGridUrl", `{"projectArn":"`+projectArn+`","expiresInSeconds":300}`)
	}
	for i := range 10 {
		clock.advance(50 * time.Millisecond)
		r := create()
		require.Equal(t, http.StatusOK, r.Status, "call %d: %s", i+1, r.Body)
	}
	requireError(t, create(), http.StatusBadRequest, "ThrottlingException", "Rate exceeded", "10 calls per second")
	// Throttled before the input is checked, as the service throttles.
	bad := callOp(t, s, "CreateTestGridUrl", `{"projectArn":"`+projectArn+`","expiresInSeconds":1}`)
	requireError(t, bad, http.StatusBadRequest, "ThrottlingException")

	clock.advance(549 * time.Millisecond) // 999 ms after the first call
	requireError(t, create(), http.StatusBadRequest, "ThrottlingException")
	clock.advance(time.Millisecond) // a second after the first
	assert.Equal(t, http.StatusOK, create().Status, "the first call has left the window")
	requireError(t, create(), http.StatusBadRequest, "ThrottlingException") // the second call has not
	clock.advance(time.Second)
	for i := range 10 {
		assert.Equal(t, http.StatusOK, create().Status, "call %d of the next second", i+1)
	}
}

// Without URLCreateRate, the default, CreateTestGridUrl is never
// throttled.
func TestURLCreateRateOffByDefault(t *testing.T) {
	s := newServer(t, fixedClock(epoch))
	s.AddProject(devicefarmtest.Project{Arn: projectArn})
	for i := range 3 * devicefarmtest.QuotaURLCreateRate {
		r := callOp(t, s, "CreateTestGridUrl", `{"projectArn":"`+projectArn+`","expiresInSeconds":300}`)
		require.Equal(t, http.StatusOK, r.Status, "call %d: %s", i+1, r.Body)
	}
}

// SessionCreateRate lets 5 WebDriver sessions start in one second of the
// server's clock; the 6th fails with "session not created" naming the
// quota and is not recorded as a session; a second later, sessions start
// again.
func TestSessionCreateRate(t *testing.T) {
	d := newFakeDriver(t)
	clock := &simClock{now: epoch}
	s := newServer(t, func(o *devicefarmtest.Options) {
		o.Now = clock.Now
		o.WebDriverURL = d.URL
		o.SessionCreateRate = devicefarmtest.QuotaSessionCreateRate
	})
	u := gridURL(t, s)
	for i := range 5 {
		status, id, out := newSession(t, u, `{"browserName":"chrome"}`)
		require.Equal(t, http.StatusOK, status, "session %d: %v", i+1, out)
		require.NotEmpty(t, id)
	}
	status, _, out := newSession(t, u, `{"browserName":"chrome"}`)
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Equal(t, "session not created", wdError(out))
	assert.Contains(t, out["value"].(map[string]any)["message"], "up to 5 sessions per second")
	assert.Len(t, s.Sessions(projectArn), 5, "a refused session is not recorded")
	assert.Equal(t, 5, s.GridSessions())

	clock.advance(time.Second)
	status, _, out = newSession(t, u, `{"browserName":"chrome"}`)
	assert.Equal(t, http.StatusOK, status, out)
	assert.Len(t, s.Sessions(projectArn), 6)
}
