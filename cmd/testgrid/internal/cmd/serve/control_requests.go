package serve

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// The control API's view of the request log.

// requestJSON is a recorded request, without headers or body: nothing
// secret (the Authorization header, a session token) is ever sent.
type requestJSON struct {
	Time       string     `json:"time"`
	Method     string     `json:"method"`
	Path       string     `json:"path"`
	Target     string     `json:"target"`
	Status     int        `json:"status"`
	ErrorCode  string     `json:"errorCode,omitempty"`
	RequestID  string     `json:"requestId"`
	ProjectArn string     `json:"projectArn,omitempty"`
	Fault      *faultSpec `json:"fault,omitempty"`
	BodySize   int        `json:"bodySize"`
	HeaderSize int        `json:"headerSize"`
	Rejected   bool       `json:"rejected,omitempty"`
	Excerpt    string     `json:"excerpt,omitempty"`
}

// requests: GET [?limit=N]. The service requests received since the start
// or the last reset, oldest first: the last N (default and at most
// maxRequestsAnswer) of those the log keeps (--request-log,
// --request-log-mb), and "total", how many it keeps. status 0 means no
// response was sent (a dropped connection). A rejected request has
// "rejected", its sizes and a scrubbed excerpt of its body.
func (c *controlAPI) requests(w http.ResponseWriter, r *http.Request) *controlError {
	limit := maxRequestsAnswer
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxRequestsAnswer {
			return badRequest("limit %s is not a number from 0 to %d", safetext.QuoteEcho(v), maxRequestsAnswer)
		}
		limit = n
	}
	reqs := c.fake.LastRequests(limit)
	out := make([]requestJSON, len(reqs))
	for i, r := range reqs {
		out[i] = requestJSON{
			Time:       r.Time.UTC().Format(time.RFC3339Nano),
			Method:     safetext.EscapeControl(r.Method),
			Path:       safetext.EscapeControl(r.Path),
			Target:     safetext.EscapeControl(r.Target),
			Status:     r.StatusCode,
			ErrorCode:  safetext.EscapeControl(r.ErrorCode),
			RequestID:  r.RequestID,
			ProjectArn: safetext.EscapeControl(projectArnOf(r.Body)),
			BodySize:   r.BodySize,
			HeaderSize: r.HeaderSize,
			Rejected:   r.Rejected,
			Excerpt:    safetext.EscapeControl(r.Excerpt),
		}
		if r.Fault != nil {
			out[i].Fault = specOf(*r.Fault)
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Total    int           `json:"total"`
		Requests []requestJSON `json:"requests"`
	}{c.fake.RequestCount(), out})
	return nil
}

// projectArnOf returns the projectArn of a request body, or the project
// its sessionArn names, "" if it has neither.
func projectArnOf(body []byte) string {
	var in struct {
		ProjectArn string `json:"projectArn"`
		SessionArn string `json:"sessionArn"`
	}
	if json.Unmarshal(body, &in) != nil {
		return ""
	}
	if in.ProjectArn == "" {
		in.ProjectArn, _ = devicefarmtest.ProjectOfSession(in.SessionArn)
	}
	return in.ProjectArn
}
