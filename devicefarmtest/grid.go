package devicefarmtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/testgridkit/devicefarm"
)

// The test grid's WebDriver remote end: a test grid URL, SERVER/_grid/TOKEN,
// takes W3C WebDriver commands and passes them to the WebDriver server of
// Options.WebDriverURL (chromedriver), recording each WebDriver session as
// a TestGridSession, each command as an Action and the session's commands
// and responses as its SELENIUM_LOG artifact.

// Defaults of the test grid's options.
const (
	// DefaultMaxSessions is the number of ACTIVE sessions the grid runs at
	// once: Device Farm's quota ("up to 50 sessions in an active state at
	// any time").
	DefaultMaxSessions = 50
	// DefaultIdleTimeout ends a session that received no command for that
	// long. Device Farm's documentation gives no idle timeout; this is
	// Selenium Grid's default session timeout (300 s).
	DefaultIdleTimeout = 5 * time.Minute
	// MaxWebDriverRequestBytes caps a WebDriver command's body: Device
	// Farm's "No POST payload may be greater than 30MB".
	MaxWebDriverRequestBytes = 30 << 20
	// maxDriverResponseBytes caps what the fake reads of a driver's answer
	// (screenshots of large pages are some MB).
	maxDriverResponseBytes = 64 << 20
	// maxLogBodyBytes caps each request or response body in a session's
	// log, and maxLogBytes the whole log.
	maxLogBodyBytes = 2 << 10
	maxLogBytes     = 4 << 20
	// driverCallTimeout bounds one command at the driver (a page load
	// included).
	driverCallTimeout = 5 * time.Minute
)

// ChromiumArgs are the command-line flags the grid adds to
// goog:chromeOptions args when the client's capabilities lack them, so
// that a browser runs headless, in a container, and makes no network
// call of its own. Each session also gets a fresh --user-data-dir,
// replacing any the client gave, removed when the session ends.
var ChromiumArgs = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
	"--disable-component-update", "--no-first-run",
}

// gridOffMessage is the message of the error a new session gets when no
// WebDriver server is configured.
const gridOffMessage = "this fake test grid runs no browser: set devicefarmtest.Options.WebDriverURL to a WebDriver server on loopback (testgrid serve starts /usr/bin/chromedriver, or takes --webdriver URL)"

// grid holds the WebDriver sessions in progress.
type grid struct {
	mu       sync.Mutex
	sessions map[string]*gridSession // by the driver's session ID
	pending  int                     // sessions being created
	closed   bool
	client   *http.Client
}

// gridSession is one WebDriver session in progress.
type gridSession struct {
	id          string // the driver's session ID, also the TestGridSession's ID
	projectArn  string
	session     devicefarm.TestGridSession
	userDataDir string

	mu      sync.Mutex
	ended   bool
	timer   *time.Timer
	log     bytes.Buffer
	logFull bool
	busy    int // commands in flight: the idle timer does not end a busy session
}

func (g *grid) init() {
	g.sessions = make(map[string]*gridSession)
	g.client = &http.Client{
		// Its own transport: no proxy from the environment, and idle
		// connections closed with the server.
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute},
		Timeout:   driverCallTimeout,
		// Never follow a driver's redirect: the fake answers for it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// serveGrid answers a request to a test grid URL, BASE/_grid/TOKEN/PATH,
// with W3C WebDriver's endpoints under it: GET status, POST session, and
// every command of a session, /session/ID/..., which goes to the driver.
func (s *Server) serveGrid(rw *responder, body []byte, tooLarge bool) {
	rest := strings.TrimPrefix(rw.r.URL.Path, gridPathPrefix)
	token, path, _ := strings.Cut(rest, "/")
	if !isLoopbackRemote(rw.r.RemoteAddr) {
		rw.sendWebDriverError(http.StatusForbidden, "unknown error", "the test grid takes WebDriver clients on loopback only")
		return
	}
	s.store.mu.RLock()
	g, ok := s.store.grids[token]
	s.store.mu.RUnlock()
	if !ok || !s.opts.Now().Before(g.expires) {
		rw.sendWebDriverError(http.StatusNotFound, "unknown command", "the test grid URL is unknown or has expired; get one with CreateTestGridUrl")
		return
	}
	if tooLarge {
		rw.sendWebDriverError(http.StatusRequestEntityTooLarge, "invalid argument", fmt.Sprintf("the command's body is over %d bytes", MaxWebDriverRequestBytes))
		return
	}
	path = strings.TrimSuffix(path, "/")
	for _, seg := range strings.Split(path, "/") {
		if seg == "." || seg == ".." || strings.ContainsAny(seg, "?#\\") {
			// A dot segment would climb out of /session/ID at the driver.
			rw.sendWebDriverError(http.StatusNotFound, "unknown command", "a WebDriver command's path has no dot segments")
			return
		}
	}
	method := rw.r.Method
	switch {
	case path == "status" && method == http.MethodGet:
		ready := s.opts.WebDriverURL != ""
		msg := "the fake test grid is ready"
		if !ready {
			msg = gridOffMessage
		}
		b, _ := json.Marshal(map[string]any{"value": map[string]any{"ready": ready, "message": msg}})
		rw.send(http.StatusOK, "", jsonUTF8, b)
	case path == "session" && method == http.MethodPost:
		s.newGridSession(rw, g.projectArn, body)
	case strings.HasPrefix(path, "session/"):
		id, _, _ := strings.Cut(strings.TrimPrefix(path, "session/"), "/")
		s.gridCommand(rw, g.projectArn, id, path, body)
	default:
		rw.sendWebDriverError(http.StatusNotFound, "unknown command", "unknown WebDriver command "+method+" /"+path)
	}
}

const jsonUTF8 = "application/json; charset=utf-8"

func (rw *responder) sendWebDriverError(status int, code, msg string) {
	rw.send(status, "", jsonUTF8, appendWebDriverError(nil, code, msg))
}

// isLoopbackRemote reports whether a request's RemoteAddr is a loopback
// address. An empty one (a request handed to ServeHTTP directly) counts.
func isLoopbackRemote(addr string) bool {
	if addr == "" {
		return true
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// closeGrid ends the sessions in progress, ERRORED, and stops their
// browsers.
func (s *Server) closeGrid() {
	g := &s.grid
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	s.EndGridSessions()
	g.client.CloseIdleConnections()
}

// EndGridSessions ends every WebDriver session in progress ERRORED, as
// Device Farm records a session whose browser died, and stops its
// browser: deleted at the WebDriver server if that answers, else (on
// Linux) its processes killed, found by the session's own profile
// directory in their command line, before the profile is removed; the
// failed DELETE is then the last of the session's actions and log
// entries, "(the driver could not end it: browser killed)".
//
// A program that runs the WebDriver server of Options.WebDriverURL, as
// the testgrid command's serve runs chromedriver, calls it when that
// server exits: the sessions then end at once, not at their next command
// or the idle timeout. Without the call a dead server is noticed at the
// next command of each session, which ends it the same way. The grid
// stays open: new sessions go to Options.WebDriverURL, where the program
// may have started a new server.
func (s *Server) EndGridSessions() {
	g := &s.grid
	g.mu.Lock()
	live := make([]*gridSession, 0, len(g.sessions))
	for _, gs := range g.sessions {
		live = append(live, gs)
	}
	g.mu.Unlock()
	var wg sync.WaitGroup
	for _, gs := range live {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.endGridSession(gs, devicefarm.TestGridSessionStatusErrored, true)
		}()
	}
	wg.Wait()
}

// GridSessions returns the number of WebDriver sessions in progress.
func (s *Server) GridSessions() int {
	s.grid.mu.Lock()
	defer s.grid.mu.Unlock()
	return len(s.grid.sessions)
}
