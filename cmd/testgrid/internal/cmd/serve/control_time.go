package serve

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/wiresession"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// The control requests that move a session through time: end-session
// ends an ACTIVE session now, and POST /sessions with "visibleAt" adds
// sessions the service lists only from that time on
// (devicefarmtest.Server.EndSession and AddSessionsVisibleAt).

// endSession: POST {"sessionArn":ARN,"status":"CLOSED"|"ERRORED"}. Ends
// the ACTIVE session now and answers {"testGridSession":{...}} in the
// service's wire shape: 404 for an unknown session, 409 for one that has
// already ended.
func (c *controlAPI) endSession(w http.ResponseWriter, r *http.Request) *controlError {
	var in struct {
		SessionArn string `json:"sessionArn"`
		Status     string `json:"status"`
	}
	if e := decodeControlBody(w, r, &in, false); e != nil {
		return e
	}
	if _, err := projectOfSession(in.SessionArn); err != nil {
		return badRequest("sessionArn: %v", err)
	}
	status := devicefarm.TestGridSessionStatus(strings.ToUpper(in.Status))
	if status != devicefarm.TestGridSessionStatusClosed && status != devicefarm.TestGridSessionStatusErrored {
		return badRequest("status must be CLOSED or ERRORED, not %s", safetext.QuoteEcho(in.Status))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s, err := c.fake.EndSession(in.SessionArn, status)
	switch {
	case errors.Is(err, devicefarmtest.ErrNoSession):
		return &controlError{status: http.StatusNotFound, msg: "no session " + safetext.QuoteEcho(in.SessionArn)}
	case errors.Is(err, devicefarmtest.ErrSessionNotActive):
		return &controlError{status: http.StatusConflict, msg: "session " + safetext.QuoteEcho(in.SessionArn) + " is " + string(s.Status) + ", not ACTIVE"}
	case err != nil:
		return badRequest("%v", err)
	}
	writeJSON(w, http.StatusOK, struct {
		Session json.RawMessage `json:"testGridSession"`
	}{wiresession.JSON(&s)})
	return nil
}
