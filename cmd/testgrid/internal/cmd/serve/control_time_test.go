package serve

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
)

func TestControlEndSession(t *testing.T) {
	t.Parallel()
	st := newServeTest(t)
	running := devicefarm.TestGridSession{Arn: sessionArnOf(testProject, "run"), Status: devicefarm.TestGridSessionStatusActive, Created: time.Now().Add(-30 * time.Minute)}
	r := st.control(t, http.MethodPost, "/_testgrid/sessions", `{"testGridSessions":[`+wireJSON(t, running)+`]}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)

	before := time.Now().Truncate(time.Millisecond)
	r = st.control(t, http.MethodPost, "/_testgrid/end-session", `{"sessionArn":"`+running.Arn+`","status":"ERRORED"}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	got := st.fake.Sessions(testProject)
	require.Len(t, got, 1)
	assert.Equal(t, devicefarm.TestGridSessionStatusErrored, got[0].Status)
	assert.False(t, got[0].Ended.Before(before), "ended now")
	assert.GreaterOrEqual(t, got[0].BillingMinutes, 30.0)
	s := r.body["testGridSession"].(map[string]any)
	assert.Equal(t, "ERRORED", s["status"])
	assert.Equal(t, got[0].BillingMinutes, s["billingMinutes"])

	tests := []struct {
		name, body string
		status     int
		msg        string
	}{
		{"already ended", `{"sessionArn":"` + running.Arn + `","status":"CLOSED"}`, http.StatusConflict, "is ERRORED, not ACTIVE"},
		{"unknown session", `{"sessionArn":"` + sessionArnOf(testProject, "nope") + `","status":"CLOSED"}`, http.StatusNotFound, "no session"},
		{"not a session ARN", `{"sessionArn":"x\u001b","status":"CLOSED"}`, http.StatusBadRequest, "sessionArn"},
		{"active is no end", `{"sessionArn":"` + running.Arn + `","status":"ACTIVE"}`, http.StatusBadRequest, "CLOSED or ERRORED"},
		{"unknown member", `{"sessionArn":"` + running.Arn + `","status":"CLOSED","at":1}`, http.StatusBadRequest, "at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := st.control(t, http.MethodPost, "/_testgrid/end-session", tt.body)
			assert.Equal(t, tt.status, r.status, r.raw)
			assert.Contains(t, r.body["error"], tt.msg)
		})
	}
}

func TestControlAddSessionsVisibleAt(t *testing.T) {
	t.Parallel()
	st := newServeTest(t)
	late := devicefarm.TestGridSession{Arn: sessionArnOf(testProject, "late"), Status: devicefarm.TestGridSessionStatusActive, Created: time.Now().Add(-time.Minute)}
	r := st.control(t, http.MethodPost, "/_testgrid/sessions",
		`{"visibleAt":"`+time.Now().Add(time.Hour).Format(time.RFC3339)+`","testGridSessions":[`+wireJSON(t, late)+`]}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	assert.Empty(t, st.fake.Sessions(testProject), "listed only an hour from now")
	assert.Equal(t, 1, st.fake.PendingSessions())

	r = st.control(t, http.MethodPost, "/_testgrid/sessions",
		`{"visibleAt":"`+time.Now().Add(-time.Second).Format(time.RFC3339)+`","testGridSessions":[`+wireJSON(t, late)+`]}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	assert.Len(t, st.fake.Sessions(testProject), 1, "visible from a time past: at once")

	r = st.control(t, http.MethodPost, "/_testgrid/sessions", `{"visibleAt":"soon","testGridSessions":[`+wireJSON(t, late)+`]}`)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, r.body["error"], "visibleAt")
}
