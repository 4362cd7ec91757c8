package fakeserver

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
)

// Target is the X-Amz-Target of ListTestGridSessions.
const Target = "DeviceFarm_20150623.ListTestGridSessions"

// Stats counts what the server saw since it started or was last reset.
type Stats struct {
	// Requests is the number of HTTP requests received, answered or not.
	Requests int64 `json:"requests"`
	// Conns is the number of TCP connections accepted.
	Conns int64 `json:"conns"`
}

// Handler is the fake ListTestGridSessions service. It answers from
// pre-rendered pages, counts requests and connections, and checks only what
// a real client cannot get wrong by accident: the operation (X-Amz-Target)
// and the presence of a SigV4 Authorization header. Signatures are not
// verified.
type Handler struct {
	pages    *pages
	requests atomic.Int64
	conns    atomic.Int64
}

// NewHandler renders every scenario's responses and returns the handler.
func NewHandler() *Handler {
	return &Handler{pages: renderPages()}
}

// ConnState counts new connections; set it as http.Server.ConnState.
func (h *Handler) ConnState(_ net.Conn, state http.ConnState) {
	if state == http.StateNew {
		h.conns.Add(1)
	}
}

// Stats returns the counts so far.
func (h *Handler) Stats() Stats {
	return Stats{Requests: h.requests.Load(), Conns: h.conns.Load()}
}

// Reset zeroes the counts and returns what they were.
func (h *Handler) Reset() Stats {
	return Stats{Requests: h.requests.Swap(0), Conns: h.conns.Swap(0)}
}

// listInput holds the members of the request that choose the response.
type listInput struct {
	ProjectArn string `json:"projectArn"`
	MaxResult  int32  `json:"maxResult"`
	NextToken  string `json:"nextToken"`
}

// ServeHTTP answers one ListTestGridSessions request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.requests.Add(1)
	body, err := io.ReadAll(r.Body)
	switch {
	case err != nil:
		return // the connection broke; nothing to answer
	case r.Method != http.MethodPost || r.URL.Path != "/":
		writeError(w, http.StatusNotFound, "UnknownOperationException", "only POST / is served")
		return
	case r.Header.Get("X-Amz-Target") != Target:
		writeError(w, http.StatusBadRequest, "UnknownOperationException", "X-Amz-Target must be "+Target)
		return
	case !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 "):
		writeError(w, http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token")
		return
	}
	var in listInput
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", err.Error())
		return
	}
	if in.ProjectArn != ProjectARN {
		writeError(w, http.StatusBadRequest, "NotFoundException", "Project "+in.ProjectArn+" not found")
		return
	}
	pg, ok := h.pages.lookup(in.MaxResult, in.NextToken)
	if !ok {
		writeError(w, http.StatusBadRequest, "ArgumentException",
			fmt.Sprintf("no scenario for maxResult %d and nextToken %q", in.MaxResult, in.NextToken))
		return
	}
	hdr := w.Header()
	hdr["Content-Type"] = []string{"application/x-amz-json-1.1"}
	hdr["Content-Length"] = []string{pg.contentLength}
	hdr["X-Amzn-Requestid"] = []string{requestID()}
	_, _ = w.Write(pg.body)
}

// writeError answers with an awsJson1.1 error.
func writeError(w http.ResponseWriter, status int, code, message string) {
	body, _ := json.Marshal(map[string]string{"__type": code, "message": message})
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", requestID())
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// requestID returns a fresh UUID, as the service's x-amzn-RequestId.
func requestID() string {
	return uuid(rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())))
}
