package serve

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A flood of rejected 1 MiB requests leaves the log small; /health counts
// it without copying it, and /requests answers a bounded page (issue 20,
// row 1).
func TestRequestLogBoundedAndPaged(t *testing.T) {
	st := newServeTest(t, "--request-log", "50", "--request-log-mb", "1")
	big := strings.Repeat("x", 1<<20)
	for range 8 {
		resp, err := st.http.Post(st.url+"/", "text/plain", strings.NewReader(big))
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	}
	held := 0
	for _, r := range st.fake.Requests() {
		held += len(r.Body)
		assert.True(t, r.Rejected)
	}
	assert.Zero(t, held, "no rejected body is kept")

	h := st.control(t, http.MethodGet, controlPrefix+"/health", "")
	assert.EqualValues(t, 8, h.body["requests"])
	r := st.control(t, http.MethodGet, controlPrefix+"/requests?limit=3", "")
	require.Equal(t, http.StatusOK, r.status, r.raw)
	assert.EqualValues(t, 8, r.body["total"])
	reqs := r.body["requests"].([]any)
	require.Len(t, reqs, 3)
	last := reqs[2].(map[string]any)
	assert.Equal(t, true, last["rejected"])
	assert.EqualValues(t, 1<<20, last["bodySize"])
	assert.Equal(t, strings.Repeat("x", 64), last["excerpt"])
	bad := st.control(t, http.MethodGet, controlPrefix+"/requests?limit=100000", "")
	assert.Equal(t, http.StatusBadRequest, bad.status)
	assert.Contains(t, bad.raw, "0 to 1000")
}

// The data the control API adds is bounded in total; a request that would
// pass a bound gets 413 naming it and its flag (issue 20, row 9).
func TestControlBounds(t *testing.T) {
	st := newServeTest(t, "--project", testProject, "--sessions", "5", "--max-stored-sessions", "12", "--max-faults", "4")
	r := st.control(t, http.MethodPost, controlPrefix+"/seed", `{"projectArn":"`+testProject+`","sessions":8,"seed":2}`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	assert.Contains(t, r.raw, "bound of 12 sessions (--max-stored-sessions)")
	r = st.control(t, http.MethodPost, controlPrefix+"/seed", `{"projectArn":"`+testProject+`","sessions":7,"seed":2}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	one := testProjectSessions(1, 99)[0]
	one.Arn += "-new"
	r = st.control(t, http.MethodPost, controlPrefix+"/sessions", `{"testGridSessions":[`+wireJSON(t, one)+`]}`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	assert.Contains(t, r.raw, "--max-stored-sessions")
	assert.Len(t, st.fake.Sessions(testProject), 12, "nothing added")

	r = st.control(t, http.MethodPost, controlPrefix+"/faults", `{"faults":[{"preset":"throttling","count":5}]}`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	assert.Contains(t, r.raw, "bound of 4 (--max-faults)")
	r = st.control(t, http.MethodPost, controlPrefix+"/faults", `{"faults":[{"preset":"throttling","count":3}]}`)
	require.Equal(t, http.StatusOK, r.status, r.raw)
	r = st.control(t, http.MethodPost, controlPrefix+"/faults", `{"faults":[{"preset":"throttling","count":2}]}`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	assert.Equal(t, 3, pendingCount(st.fake))
}

// A project that exists but holds no sessions is listed empty, not 404.
func TestControlSessionsOfEmptyProject(t *testing.T) {
	st := newServeTest(t, "--project", testProject)
	r := st.control(t, http.MethodGet, controlPrefix+"/sessions?projectArn="+testProject, "")
	require.Equal(t, http.StatusOK, r.status, r.raw)
	assert.JSONEq(t, `{"testGridSessions":[]}`, r.raw)
}

// startLimited serves serve's handler with limits l on a loopback
// listener capped by newLimitListener, closed at the end of the test.
func startLimited(t *testing.T, l limits) string {
	t.Helper()
	st := newServeTest(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	control := &controlAPI{fake: st.fake, limits: l}
	srv := newHTTPServer(serveHandler(st.fake, control, newRequestGuard(ln.Addr().(*net.TCPAddr))), l, log.New(io.Discard, "", 0))
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(newLimitListener(ln, l.maxConns)) }()
	t.Cleanup(func() { _ = srv.Close(); <-done })
	return ln.Addr().String()
}

// readsToEOF reports whether the server closes conn: a read ends in EOF
// (or a reset) rather than the client's own deadline, which only keeps a
// broken server from hanging the test.
func readsToEOF(t *testing.T, conn net.Conn) {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(time.Minute)))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if err != nil && assert.ErrorAs(t, err, &ne) {
		assert.False(t, ne.Timeout(), "the server held the connection: %v", err)
	}
}

// Idle keep-alive connections and slow bodies are cut by the idle and
// read timeouts (issue 20, row 3).
func TestServeTimeouts(t *testing.T) {
	l := defaultLimits
	l.idleTimeout, l.readTimeout = 50*time.Millisecond, 100*time.Millisecond
	addr := startLimited(t, l)

	t.Run("idle keep-alive", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer conn.Close()
		_, err = fmt.Fprintf(conn, "GET %s/health HTTP/1.1\r\nHost: %s\r\n\r\n", controlPrefix, addr)
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		readsToEOF(t, conn)
	})
	t.Run("slow body", func(t *testing.T) {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer conn.Close()
		_, err = fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Length: 1000\r\n\r\n{", addr)
		require.NoError(t, err)
		readsToEOF(t, conn)
	})
}

// The listener holds at most maxConns connections: the next is accepted
// once one closes.
func TestLimitListener(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln := newLimitListener(inner, 2).(*limitListener)
	defer ln.Close()
	var clients []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", inner.Addr().String())
		require.NoError(t, err)
		defer c.Close()
		clients = append(clients, c)
	}
	a, err := ln.Accept()
	require.NoError(t, err)
	b, err := ln.Accept()
	require.NoError(t, err)
	defer b.Close()
	assert.Len(t, ln.sem, 2, "full")
	third := make(chan net.Conn)
	go func() {
		c, err := ln.Accept()
		assert.NoError(t, err)
		third <- c
	}()
	require.NoError(t, a.Close())
	_ = a.Close() // a second Close gives no second slot back
	c := <-third
	require.NotNil(t, c)
	assert.Len(t, ln.sem, 2)
	require.NoError(t, c.Close())
	assert.Len(t, ln.sem, 1)
	_ = clients

	blocked := make(chan error)
	ln2 := newLimitListener(inner, 1)
	d, err := net.Dial("tcp", inner.Addr().String())
	require.NoError(t, err)
	defer d.Close()
	first, err := ln2.Accept()
	require.NoError(t, err)
	defer first.Close()
	go func() { _, err := ln2.Accept(); blocked <- err }()
	require.NoError(t, ln2.Close())
	assert.ErrorIs(t, <-blocked, net.ErrClosed, "Close releases a waiting Accept")
}
