package serve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/devicefarmtest"
	"github.com/testgridkit/devicefarm/internal/chromedriver"
)

// The test grid behind CreateTestGridUrl's URLs: serve starts Debian's
// chromedriver (or uses --webdriver URL) and the fake proxies WebDriver
// sessions to it (see devicefarmtest.Options.WebDriverURL).

// noChromedriver is the --chromedriver value that turns the grid off.
const noChromedriver = "none"

// Restart backoff of the chromedriver serve runs: the first attempt
// waits restartMinDelay, each failure doubles the wait up to
// restartMaxDelay.
const (
	restartMinDelay = 500 * time.Millisecond
	restartMaxDelay = 30 * time.Second
)

// gridDriver is the WebDriver server of a serve run. The chromedriver
// serve started is watched (see watch): one that exits is replaced on the
// same port, so that the fake's WebDriverURL stays valid.
type gridDriver struct {
	url  string // "" when the grid is off
	mode string // "chromedriver", "external" or "off"
	path string // the chromedriver binary, in mode "chromedriver"

	mu       sync.Mutex
	driver   *chromedriver.Driver // the one serve runs now, if any
	running  bool                 // false while a dead driver is replaced
	restarts int                  // drivers started after the first

	// minDelay and maxDelay bound the restart backoff (restartMinDelay,
	// restartMaxDelay when zero).
	minDelay, maxDelay time.Duration

	quit     chan struct{} // closed by stop
	stopOnce sync.Once
	watching chan struct{} // closed when watch's goroutine returns; nil without one
}

// gridHealth is the grid's state in the control API's health.
type gridHealth struct {
	// Mode is the ready line's grid: "chromedriver", "external" or "off".
	Mode string `json:"mode"`
	// Running is false while serve replaces a chromedriver that exited
	// (always true for an external driver, false when the grid is off).
	Running bool `json:"running"`
	// Restarts counts the chromedrivers serve started to replace one
	// that exited.
	Restarts int `json:"restarts"`
}

// health returns the grid's state.
func (g *gridDriver) health() gridHealth {
	g.mu.Lock()
	defer g.mu.Unlock()
	return gridHealth{Mode: g.mode, Running: g.running, Restarts: g.restarts}
}

// stop ends the watch, then kills the chromedriver serve runs, and every
// browser it runs. It may be called more than once.
func (g *gridDriver) stop() {
	g.stopOnce.Do(func() { close(g.quit) })
	if g.watching != nil {
		<-g.watching
	}
	g.mu.Lock()
	d := g.driver
	g.mu.Unlock()
	if d != nil {
		d.Stop()
	}
}

// watch replaces the chromedriver serve started each time it exits,
// until stop or the end of ctx (serve stopping: a Ctrl-C reaches the
// driver too): one notice line on stderr, the sessions that ran on it
// ended ERRORED with their browsers (fake.EndGridSessions), then a new
// driver on the same port, retried with a capped backoff. A failure is
// reported once for each different error, not at each attempt, and the
// restart that follows failures once.
func (g *gridDriver) watch(ctx context.Context, fake *devicefarmtest.Server, stderr io.Writer, cmd string) {
	if g.driver == nil {
		return
	}
	g.watching = make(chan struct{})
	go func() {
		defer close(g.watching)
		for {
			g.mu.Lock()
			d := g.driver
			g.mu.Unlock()
			select {
			case <-g.quit:
				return
			case <-d.Exited():
			}
			select {
			case <-g.quit:
				return
			case <-ctx.Done():
				return // killed by the signal that stops serve
			default:
			}
			g.mu.Lock()
			g.running = false
			g.mu.Unlock()
			fmt.Fprintf(stderr, "%s: notice: chromedriver (pid %d) exited; its sessions end ERRORED and a new one starts on port %d\n", cmd, d.PID(), d.Port)
			fake.EndGridSessions()
			d.Stop() // reaps it; it started nothing that is left
			if !g.restart(d.Port, stderr, cmd) {
				return
			}
		}
	}()
}

// restart starts a chromedriver on port until one runs (true) or stop is
// called (false).
func (g *gridDriver) restart(port int, stderr io.Writer, cmd string) bool {
	delay, maxDelay := cmp.Or(g.minDelay, restartMinDelay), cmp.Or(g.maxDelay, restartMaxDelay)
	lastErr := ""
	for {
		t := time.NewTimer(delay)
		select {
		case <-g.quit:
			t.Stop()
			return false
		case <-t.C:
		}
		d, err := chromedriver.StartOnPort(g.path, port)
		if err == nil {
			g.mu.Lock()
			g.driver, g.running = d, true
			g.restarts++
			g.mu.Unlock()
			if lastErr != "" { // the failures were told: so is their end
				fmt.Fprintf(stderr, "%s: notice: chromedriver restarted (pid %d) on port %d\n", cmd, d.PID(), port)
			}
			return true
		}
		if msg := err.Error(); msg != lastErr {
			lastErr = msg
			fmt.Fprintf(stderr, "%s: notice: chromedriver did not restart: %s; retrying, every %s at most\n", cmd, safetext.OneLine(msg), maxDelay)
		}
		delay = min(2*delay, maxDelay)
	}
}

// startGridDriver returns the WebDriver server the options ask for: the
// --webdriver one, else a chromedriver serve starts, else none (the grid
// is off, with a notice on stderr, when the binary is missing).
func startGridDriver(o *Options, stderr io.Writer, cmd string) (*gridDriver, error) {
	switch {
	case o.webdriver != "":
		return &gridDriver{url: o.webdriver, mode: "external", running: true, quit: make(chan struct{})}, nil
	case o.chromedriver == noChromedriver:
		return &gridDriver{mode: "off", quit: make(chan struct{})}, nil
	}
	if _, err := os.Stat(o.chromedriver); err != nil {
		fmt.Fprintf(stderr, "%s: notice: the test grid is off: %s is missing (apt-get install chromium-driver, or pass --webdriver URL)\n",
			cmd, safetext.OneLine(o.chromedriver))
		return &gridDriver{mode: "off", quit: make(chan struct{})}, nil
	}
	d, err := chromedriver.Start(o.chromedriver)
	if err != nil {
		return nil, err
	}
	return &gridDriver{url: d.URL, mode: "chromedriver", path: o.chromedriver, driver: d, running: true, quit: make(chan struct{})}, nil
}

// checkWebDriverURL accepts an http URL of a loopback host, with no path
// beyond "/", query or credentials: the grid speaks plaintext to it.
func checkWebDriverURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return errors.New("it must be http://HOST:PORT of a WebDriver server")
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return errors.New("its host must be loopback (localhost, 127.x.x.x or [::1]): commands and typed text travel in plaintext")
	}
	return nil
}
