package serve

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/internal/chromedriver"
)

// The test grid behind CreateTestGridUrl's URLs: serve starts Debian's
// chromedriver (or uses --webdriver URL) and the fake proxies WebDriver
// sessions to it (see devicefarmtest.Options.WebDriverURL).

// noChromedriver is the --chromedriver value that turns the grid off.
const noChromedriver = "none"

// gridDriver is the WebDriver server of a serve run.
type gridDriver struct {
	url    string               // "" when the grid is off
	mode   string               // "chromedriver", "external" or "off"
	driver *chromedriver.Driver // the one serve started, if any
}

// stop kills the chromedriver serve started, and every browser it runs.
func (g *gridDriver) stop() {
	if g.driver != nil {
		g.driver.Stop()
	}
}

// startGridDriver returns the WebDriver server the options ask for: the
// --webdriver one, else a chromedriver serve starts, else none (the grid
// is off, with a notice on stderr, when the binary is missing).
func startGridDriver(o *Options, stderr io.Writer, cmd string) (*gridDriver, error) {
	switch {
	case o.webdriver != "":
		return &gridDriver{url: o.webdriver, mode: "external"}, nil
	case o.chromedriver == noChromedriver:
		return &gridDriver{mode: "off"}, nil
	}
	if _, err := os.Stat(o.chromedriver); err != nil {
		fmt.Fprintf(stderr, "%s: notice: the test grid is off: %s is missing (apt-get install chromium-driver, or pass --webdriver URL)\n",
			cmd, safetext.OneLine(o.chromedriver))
		return &gridDriver{mode: "off"}, nil
	}
	d, err := chromedriver.Start(o.chromedriver)
	if err != nil {
		return nil, err
	}
	return &gridDriver{url: d.URL, mode: "chromedriver", driver: d}, nil
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
