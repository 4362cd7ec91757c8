package fakeserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// call sends one request to h in process and returns the recorder.
func call(h http.Handler, target, auth, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	if target != "" {
		r.Header.Set("X-Amz-Target", target)
	}
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

const auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240301/us-west-2/devicefarm/aws4_request, SignedHeaders=host, Signature=00"

// wireSession is a session as decoded from a response, keeping timestamps
// as the JSON numbers they were.
type wireSession struct {
	Arn                string       `json:"arn"`
	Status             string       `json:"status"`
	Created            json.Number  `json:"created"`
	Ended              *json.Number `json:"ended"`
	BillingMinutes     float64      `json:"billingMinutes"`
	SeleniumProperties string       `json:"seleniumProperties"`
}

// decodePage decodes a response body.
func decodePage(t *testing.T, body []byte) ([]wireSession, string) {
	t.Helper()
	var out struct {
		TestGridSessions []wireSession `json:"testGridSessions"`
		NextToken        string        `json:"nextToken"`
	}
	require.NoError(t, json.Unmarshal(body, &out))
	return out.TestGridSessions, out.NextToken
}

func TestScenarios(t *testing.T) {
	h := NewHandler()
	for _, tc := range []struct {
		maxResult int
		token     string
		first, n  int
		next      string
	}{
		{1, "", 0, 1, ""},
		{50, "", 0, 50, "page-2"},
		{1000, "", 0, 1000, ""},
		{50, "page-2", 50, 50, "page-3"},
		{50, "page-20", 950, 50, ""},
		{0, "", 0, 50, "page-2"},
		{0, "page-3", 100, 50, "page-4"},
	} {
		body := `{"projectArn":"` + ProjectARN + `"`
		if tc.maxResult != 0 {
			body += `,"maxResult":` + strconv.Itoa(tc.maxResult)
		}
		if tc.token != "" {
			body += `,"nextToken":"` + tc.token + `"`
		}
		w := call(h, Target, auth, body+"}")
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		assert.Equal(t, "application/x-amz-json-1.1", w.Header().Get("Content-Type"))
		assert.Len(t, w.Header().Get("X-Amzn-RequestId"), 36)
		assert.Equal(t, strconv.Itoa(w.Body.Len()), w.Header().Get("Content-Length"))
		ss, next := decodePage(t, w.Body.Bytes())
		require.Len(t, ss, tc.n)
		assert.Equal(t, tc.next, next)
		want := SessionAt(tc.first)
		assert.Equal(t, want.Arn, ss[0].Arn)
		assert.Equal(t, want.SeleniumProperties, ss[0].SeleniumProperties)
	}
	assert.Equal(t, Stats{Requests: 7}, h.Reset())
	assert.Equal(t, Stats{}, h.Stats())
}

func TestRealisticSessions(t *testing.T) {
	ss, _ := decodePage(t, renderPage(0, 100, "").body)
	statuses := map[string]int{}
	for i, s := range ss {
		statuses[s.Status]++
		assert.Regexp(t, `^arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:[0-9a-f-]{36}/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, s.Arn)
		assert.Regexp(t, `^17\d{8}\.\d{3}$`, s.Created.String())
		assert.Equal(t, s.Status == "ACTIVE", s.Ended == nil, "only ACTIVE sessions lack ended")
		assert.InDelta(t, 200, len(s.SeleniumProperties), 40, "selenium properties of session %d", i)
		var caps map[string]any
		assert.NoError(t, json.Unmarshal([]byte(s.SeleniumProperties), &caps))
		want := SessionAt(i)
		assert.Equal(t, want.BillingMinutes, s.BillingMinutes)
		created, err := s.Created.Float64()
		require.NoError(t, err)
		assert.WithinDuration(t, want.Created, time.UnixMilli(int64(created*1000+0.5)), 0)
	}
	assert.Equal(t, map[string]int{"ACTIVE": 14, "CLOSED": 83, "ERRORED": 3}, statuses)
}

func TestRejects(t *testing.T) {
	h := NewHandler()
	ok := `{"maxResult":1,"projectArn":"` + ProjectARN + `"}`
	for _, tc := range []struct {
		name, target, auth, body string
		status                   int
		code                     string
	}{
		{"no target", "", auth, ok, http.StatusBadRequest, "UnknownOperationException"},
		{"other operation", "DeviceFarm_20150623.ListProjects", auth, ok, http.StatusBadRequest, "UnknownOperationException"},
		{"unsigned", Target, "", ok, http.StatusForbidden, "MissingAuthenticationTokenException"},
		{"bad json", Target, auth, "{", http.StatusBadRequest, "SerializationException"},
		{"other project", Target, auth, `{"maxResult":1,"projectArn":"arn:aws:devicefarm:us-west-2:1:testgrid-project:x"}`, http.StatusBadRequest, "NotFoundException"},
		{"no scenario", Target, auth, `{"maxResult":7,"projectArn":"` + ProjectARN + `"}`, http.StatusBadRequest, "ArgumentException"},
		{"bad token", Target, auth, `{"maxResult":50,"nextToken":"page-21","projectArn":"` + ProjectARN + `"}`, http.StatusBadRequest, "ArgumentException"},
	} {
		w := call(h, tc.target, tc.auth, tc.body)
		assert.Equal(t, tc.status, w.Code, tc.name)
		var e struct {
			Type string `json:"__type"`
		}
		assert.NoError(t, json.Unmarshal(w.Body.Bytes(), &e), tc.name)
		assert.Equal(t, tc.code, e.Type, tc.name)
	}
	assert.Equal(t, int64(7), h.Stats().Requests)
}

func TestConnState(t *testing.T) {
	h := NewHandler()
	h.ConnState(nil, http.StateNew)
	h.ConnState(nil, http.StateActive)
	h.ConnState(nil, http.StateIdle)
	h.ConnState(nil, http.StateNew)
	assert.Equal(t, Stats{Conns: 2}, h.Stats())
}
