package devicefarmtest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/testgridkit/devicefarm/devicefarmtest"
)

const (
	fuzzHost = "devicefarm.us-west-2.amazonaws.com"

	// Placeholders replaced in a fuzzed body before it is signed, so that
	// corpus entries can carry nextTokens that are valid for the server of
	// the run (tokens only work with the server that issued them).
	fuzzNextPlaceholder  = "$NEXT"  // the token after the first 5 sessions of {"projectArn":projectArn}
	fuzzStartPlaceholder = "$START" // a token for the start of that listing (from a FaultEmptyPage)

	fuzzMaxResponse = 1 << 20
)

// Mutations applied to a signed request (mutation % fuzzMutations).
const (
	mutNone        = iota
	mutTamperBody  // the body changes after signing
	mutTamperSig   // the signature's last hex digit changes
	mutNoDate      // X-Amz-Date is removed
	mutWrongToken  // X-Amz-Security-Token changes after signing
	mutGet         // signed as a GET
	mutExpired     // signed 10 minutes before the server's clock
	mutWrongRegion // signed for eu-west-1
	fuzzMutations  // count
)

// fuzzMutationNames names the mutations, in order, for failure messages.
var fuzzMutationNames = strings.Fields("none tamper-body tamper-signature no-date wrong-token GET expired wrong-region")

// fuzzStatuses are the statuses ServeHTTP can send with no fault queued.
var fuzzStatuses = map[int]bool{
	http.StatusOK:                    true,
	http.StatusBadRequest:            true, // protocol, IncompleteSignature, validation, nextToken, project
	http.StatusForbidden:             true, // authentication
	http.StatusRequestEntityTooLarge: true, // body over MaxRequestBytes
}

// fuzzServer is the server of a fuzz run and what the checks need of it.
type fuzzServer struct {
	srv       *devicefarmtest.Server
	creds     aws.Credentials
	signer    *v4.Signer
	now       time.Time
	order     map[string]int // session ARN -> index in the listing
	next      string         // live $NEXT
	start     string         // live $START
	pageLimit int
}

func newFuzzServer(f *testing.F) *fuzzServer {
	now := epoch.Add(time.Hour)
	srv := devicefarmtest.NewServer(func(o *devicefarmtest.Options) {
		o.Epoch = epoch
		o.Now = func() time.Time { return now }
		o.SecretAccessKey = canarySecret
		o.SessionToken = canaryToken
	})
	f.Cleanup(srv.Close)
	srv.Seed(projectArn, 30, 1)
	srv.AddSessions(projectArn, session("fuzz-active", active, epoch.Add(-time.Minute), time.Time{}))
	_ = srv.AddActions(srv.Sessions(projectArn)[0].Arn, devicefarmtest.Action{Action: "GET /title", Duration: time.Millisecond})
	_ = srv.AddArtifacts(srv.Sessions(projectArn)[0].Arn, devicefarmtest.Artifact{Filename: "selenium.log", Type: devicefarmtest.ArtifactSeleniumLog, Data: []byte("x")})
	fs := &fuzzServer{
		srv:       srv,
		creds:     serverCreds(f, srv),
		signer:    v4.NewSigner(),
		now:       now,
		order:     map[string]int{},
		pageLimit: srv.Options().DefaultPageSize,
	}
	for i, s := range srv.Sessions(projectArn) {
		fs.order[s.Arn] = i
	}
	liveToken := func(body string) string {
		rec, _ := fs.serve(fs.request([]byte(body), listTarget, jsonType, true, mutNone))
		var p struct{ NextToken string }
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &p) != nil || p.NextToken == "" {
			f.Fatalf("no nextToken: %d %s", rec.Code, rec.Body)
		}
		return p.NextToken
	}
	fs.next = liveToken(`{"projectArn":"` + projectArn + `","maxResult":5}`)
	srv.Inject(devicefarmtest.Match{}, devicefarmtest.Fault{Kind: devicefarmtest.FaultEmptyPage})
	fs.start = liveToken(`{"projectArn":"` + projectArn + `"}`)
	srv.ResetRequests()
	return fs
}

// request builds the request a fuzz input describes.
func (fs *fuzzServer) request(body []byte, target, contentType string, signed bool, mutation byte) *http.Request {
	mut := mutNone
	if signed {
		mut = int(mutation % fuzzMutations)
	}
	method := http.MethodPost
	if mut == mutGet {
		method = http.MethodGet
	}
	req, err := http.NewRequest(method, "https://"+fuzzHost+"/", bytes.NewReader(body))
	if err != nil {
		panic(err) // constant URL
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Amz-Target", target)
	if !signed {
		return req
	}
	at, region := fs.now, fs.srv.Options().Region
	switch mut {
	case mutExpired:
		at = at.Add(-10 * time.Minute)
	case mutWrongRegion:
		region = "eu-west-1"
	}
	sum := sha256.Sum256(body)
	if err := fs.signer.SignHTTP(context.Background(), fs.creds, req, hex.EncodeToString(sum[:]), "devicefarm", region, at); err != nil {
		panic(err)
	}
	switch mut {
	case mutTamperBody:
		tampered := append([]byte(" "), body...)
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(tampered)), int64(len(tampered))
	case mutTamperSig:
		a := req.Header.Get("Authorization")
		last := "0"
		if strings.HasSuffix(a, "0") {
			last = "1"
		}
		req.Header.Set("Authorization", a[:len(a)-1]+last)
	case mutNoDate:
		req.Header.Del("X-Amz-Date")
	case mutWrongToken:
		req.Header.Set("X-Amz-Security-Token", "not-"+canaryToken)
	}
	return req
}

// serve runs ServeHTTP, turning a panic into a value.
func (fs *fuzzServer) serve(req *http.Request) (rec *httptest.ResponseRecorder, panicked any) {
	rec = httptest.NewRecorder()
	defer func() { panicked = recover() }()
	fs.srv.ServeHTTP(rec, req)
	return rec, nil
}

// FuzzServeHTTP drives Server.ServeHTTP directly (no sockets) with fuzzed
// bodies, X-Amz-Target and Content-Type headers, signed correctly or not
// at all, and with a mutation of the signed request. In the body, $NEXT
// and $START are replaced with nextTokens that are live for the run's
// server. For every input it checks that ServeHTTP does not panic and
// answers with one of the statuses it documents, never 5xx (no faults are
// queued), within 1 MiB, without the secret key or session token, with the
// common headers, and as recorded by Requests; that only a correctly
// signed request is answered 200 and that a correctly signed one is never
// refused for its signature; that an error is
// {"__type":CODE,"message":MSG} with CODE the X-Amzn-ErrorType and MSG
// valid UTF-8 without control characters; and that a 200 is a page of
// listed sessions, in listing order, of at most the requested page size,
// full when it has a nextToken, and that the nextToken continues the
// listing after it. The other operations' 200s must be JSON objects.
func FuzzServeHTTP(f *testing.F) {
	fs := newFuzzServer(f)
	p := `"projectArn":"` + projectArn + `"`
	const ct = jsonType
	for _, body := range []string{
		`{` + p + `}`,
		`{` + p + `,"maxResult":5}`,
		`{` + p + `,"maxResult":1000,"status":"CLOSED"}`,
		`{` + p + `,"status":"ACTIVE"}`,
		`{` + p + `,"status":"ERRORED","maxResult":1}`,
		`{` + p + `,"creationTimeAfter":1708000000,"maxResult":3}`,
		`{` + p + `,"creationTimeBefore":1709000000.5}`,
		`{` + p + `,"endTimeAfter":1708500000.123,"maxResult":2}`,
		`{` + p + `,"endTimeBefore":1.709e9}`,
		`{` + p + `,"creationTimeAfter":1708000000,"creationTimeBefore":1709294400,"endTimeAfter":1708000000,"endTimeBefore":1709294400,"status":"CLOSED","maxResult":4}`,
		`{` + p + `,"status":"RUNNING"}`,
		`{` + p + `,"status":"\u0000\n\u001b[31m\u2028"}`,
		`{"projectArn":"arn:aws:s3:::not-a-devicefarm-project-arn"}`,
		`{"projectArn":"` + projectArn2 + `"}`,
		`{"projectArn":12,"maxResult":"5"}`,
		`{` + p + `,"maxResult":2.5,"nextToken":{}}`,
		`{` + p + `,"maxResult":5,"nextToken":"` + fs.next + `"}`,
		`{` + p + `,"maxResult":5,"nextToken":"$NEXT"}`,
		`{` + p + `,"maxResult":7,"nextToken":"$START"}`,
		`{` + p + `,"status":"CLOSED","nextToken":"$NEXT"}`,
		`{` + p + `,"nextToken":"` + fs.next[:10] + "x" + fs.next[11:] + `"}`,
		`{` + p + `,"nextToken":"` + fs.next + `AAAA"}`,
		`{` + p + `,"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`,
		`{` + p + `,"maxResult":100000000000000000000000,"creationTimeAfter":1e308,"endTimeBefore":-1e-999}`,
		`{` + p + `,"creationTimeAfter":-62135596800.001,"endTimeAfter":253402300799.999}`,
		"{\"projectArn\":\"arn:aws:devicefarm:\xff\xfe\xfd-invalid-utf8-project-arn\"}",
		`{"projectArn":"arn:aws:devicefarm:x","projectArn":"` + projectArn + `","maxResult":0,"maxResult":3}`,
		``,
		`null`,
		`[]`,
		`{` + p,
	} {
		f.Add([]byte(body), listTarget, ct, true, byte(mutNone))
	}
	valid := []byte(`{` + p + `,"maxResult":5}`)
	f.Add(valid, listTarget, ct, false, byte(mutNone))
	f.Add(valid, "DeviceFarm_20150623.ListProjects", ct, true, byte(mutNone))
	f.Add(valid, "", ct, true, byte(mutNone))
	f.Add(valid, listTarget, "application/json", true, byte(mutNone))
	f.Add(valid, listTarget, ct+"; charset=utf-8", true, byte(mutNone))
	f.Add(valid, listTarget, "", true, byte(mutNone))
	for mut := byte(1); mut < fuzzMutations; mut++ {
		f.Add(valid, listTarget, ct, true, mut)
	}
	// The other operations. The project holds an ACTIVE session, so that
	// DeleteTestGridProject never takes the listing away.
	session := fs.srv.Sessions(projectArn)[0].Arn
	for op, bodies := range map[string][]string{
		"CreateTestGridProject":        {`{"name":"n","description":"d","vpcConfig":{"securityGroupIds":["s"],"subnetIds":["n"],"vpcId":"v"}}`, `{"name":" "}`},
		"GetTestGridProject":           {`{` + p + `}`},
		"ListTestGridProjects":         {`{"maxResult":1}`, `{"nextToken":"$NEXT"}`},
		"UpdateTestGridProject":        {`{` + p + `,"name":"renamed"}`},
		"DeleteTestGridProject":        {`{` + p + `}`, `{"projectArn":"` + projectArn2 + `"}`},
		"CreateTestGridUrl":            {`{` + p + `,"expiresInSeconds":60}`, `{` + p + `,"expiresInSeconds":1e3}`},
		"GetTestGridSession":           {`{"sessionArn":"` + session + `"}`, `{` + p + `,"sessionId":"x"}`},
		"ListTestGridSessionActions":   {`{"sessionArn":"` + session + `","maxResult":1}`},
		"ListTestGridSessionArtifacts": {`{"sessionArn":"` + session + `","type":"LOG","nextToken":"$START"}`},
	} {
		for _, body := range bodies {
			f.Add([]byte(body), "DeviceFarm_20150623."+op, ct, true, byte(mutNone))
		}
	}

	f.Fuzz(func(t *testing.T, body []byte, target, contentType string, signed bool, mutation byte) {
		fs.check(t, body, target, contentType, signed, mutation)
	})
}

// check runs one fuzz input and checks the properties FuzzServeHTTP lists.
func (fs *fuzzServer) check(t *testing.T, body []byte, target, contentType string, signed bool, mutation byte) {
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s\ninput: body=%q target=%q contentType=%q signed=%v mutation=%d (%s)", fmt.Sprintf(format, args...),
			body, target, contentType, signed, mutation, fuzzMutationNames[mutation%fuzzMutations])
	}
	fs.srv.ResetRequests()
	body = bytes.ReplaceAll(body, []byte(fuzzNextPlaceholder), []byte(fs.next))
	body = bytes.ReplaceAll(body, []byte(fuzzStartPlaceholder), []byte(fs.start))
	rec, panicked := fs.serve(fs.request(body, target, contentType, signed, mutation))
	if panicked != nil {
		fail("ServeHTTP panicked: %v", panicked)
	}
	resp := rec.Body.Bytes()
	fs.checkCommon(fail, rec)

	goodSig := signed && mutation%fuzzMutations == mutNone
	if rec.Code == http.StatusOK && !goodSig {
		fail("a request without a valid signature was answered 200: %s", resp)
	}
	code := rec.Header().Get("X-Amzn-Errortype")
	if goodSig && (rec.Code == http.StatusForbidden || code == "IncompleteSignatureException") {
		fail("a correctly signed request was refused: %d %s", rec.Code, resp)
	}
	if rec.Code != http.StatusOK {
		return
	}
	if target != listTarget { // another operation: a JSON object
		var out map[string]json.RawMessage
		if err := json.Unmarshal(resp, &out); err != nil || out == nil {
			fail("200 body of %s is not a JSON object: %v: %s", target, err, resp)
		}
		return
	}

	size := pageSize(body, fs.pageLimit)
	last, next := fs.checkPage(fail, resp, size, -1)
	if next == "" {
		return
	}
	// The token continues the listing: the same request with it, the
	// maxResult included, answers 200 with sessions after the page.
	members := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &members); err != nil {
			fail("a 200 for a body that is not a JSON object: %v", err)
		}
	}
	members["nextToken"], _ = json.Marshal(next)
	follow, _ := json.Marshal(members)
	fs.srv.ResetRequests()
	rec, panicked = fs.serve(fs.request(follow, listTarget, jsonType, true, mutNone))
	if panicked != nil {
		fail("ServeHTTP panicked on the follow-up %s: %v", follow, panicked)
	}
	fs.checkCommon(fail, rec)
	if rec.Code != http.StatusOK {
		fail("the follow-up %s with the page's nextToken got %d %s", follow, rec.Code, rec.Body)
	}
	fs.checkPage(fail, rec.Body.Bytes(), size, last)
}

// checkCommon checks what every response must satisfy.
func (fs *fuzzServer) checkCommon(fail func(string, ...any), rec *httptest.ResponseRecorder) {
	resp := rec.Body.Bytes()
	if !fuzzStatuses[rec.Code] {
		fail("status %d is not one ServeHTTP sends: %s", rec.Code, resp)
	}
	if len(resp) > fuzzMaxResponse {
		fail("response of %d bytes", len(resp))
	}
	h := rec.Header()
	for _, canary := range []string{canarySecret, canaryToken} {
		if bytes.Contains(resp, []byte(canary)) {
			fail("the response body contains a credential: %s", resp)
		}
		for name, vs := range h {
			for _, v := range vs {
				if strings.Contains(v, canary) {
					fail("response header %s contains a credential: %q", name, v)
				}
			}
		}
	}
	if got := h.Get("Content-Type"); got != jsonType {
		fail("Content-Type %q", got)
	}
	if got := h.Get("Content-Length"); got != strconv.Itoa(len(resp)) {
		fail("Content-Length %q for %d bytes", got, len(resp))
	}
	if h.Get("X-Amzn-Requestid") == "" || h.Get("Date") != fs.now.UTC().Format(http.TimeFormat) {
		fail("x-amzn-RequestId %q, Date %q", h.Get("X-Amzn-Requestid"), h.Get("Date"))
	}
	reqs := fs.srv.Requests()
	if len(reqs) != 1 || reqs[0].StatusCode != rec.Code || reqs[0].ErrorCode != h.Get("X-Amzn-Errortype") ||
		reqs[0].RequestID != h.Get("X-Amzn-Requestid") || reqs[0].Fault != nil {
		fail("recorded %+v for a %d response", reqs, rec.Code)
	}

	code := h.Get("X-Amzn-Errortype")
	if rec.Code == http.StatusOK {
		if code != "" {
			fail("X-Amzn-ErrorType %q on a 200", code)
		}
		return
	}
	var e struct {
		Type    *string `json:"__type"`
		Message *string `json:"message"`
	}
	dec := json.NewDecoder(bytes.NewReader(resp))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || dec.More() || e.Type == nil || e.Message == nil {
		fail("error body %s is not {\"__type\":...,\"message\":...}: %v", resp, err)
	}
	if *e.Type == "" || *e.Type != code {
		fail("__type %q, X-Amzn-ErrorType %q", *e.Type, code)
	}
	msg := *e.Message
	if msg == "" || !utf8.ValidString(msg) || strings.ContainsFunc(msg, unicode.IsControl) {
		fail("error message %q is empty, not UTF-8 or has control characters", msg)
	}
}

// checkPage checks a 200 body: a JSON page of listed sessions, in listing
// order after index after, at most size of them and exactly size when a
// nextToken follows. It returns the listing index of the last session (or
// after) and the nextToken.
func (fs *fuzzServer) checkPage(fail func(string, ...any), resp []byte, size, after int) (int, string) {
	var page struct {
		Sessions []struct {
			Arn string `json:"arn"`
		} `json:"testGridSessions"`
		NextToken *string `json:"nextToken"`
	}
	if err := json.Unmarshal(resp, &page); err != nil || page.Sessions == nil {
		fail("200 body is not a page: %v: %s", err, resp)
	}
	if len(page.Sessions) > size {
		fail("%d sessions for a page size of %d", len(page.Sessions), size)
	}
	for _, s := range page.Sessions {
		i, ok := fs.order[s.Arn]
		if !ok || i <= after {
			fail("session %s is unknown or out of order (index %d after %d)", s.Arn, i, after)
		}
		after = i
	}
	if page.NextToken == nil {
		return after, ""
	}
	tok := *page.NextToken
	if tok == "" || len(tok) > 1024 || strings.ContainsFunc(tok, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) {
		fail("nextToken %q is not base64url of at most 1024 characters", tok)
	}
	if len(page.Sessions) != size {
		fail("a page of %d sessions with a nextToken for a page size of %d", len(page.Sessions), size)
	}
	return after, tok
}

// pageSize returns the page size of an accepted request body: its
// maxResult (member names are case-sensitive, the last of duplicates
// counts), else def.
func pageSize(body []byte, def int) int {
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return def
	}
	n, err := strconv.Atoi(string(members["maxResult"]))
	if err != nil {
		return def // absent or null
	}
	return n
}
