package devicefarmtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/testgridkit/devicefarm/internal/chromedriver"
)

// The grid's calls to the WebDriver server behind it, and what it does
// when that server cannot stop a browser.

// killBrowser kills the processes of the browser whose profile is dir,
// when its driver could not stop it (the driver died, or lost the
// session): the directory is the session's own, so they are found
// exactly. A no-op where /proc is not read.
func killBrowser(dir string) {
	chromedriver.KillProcessesWithArg(userDataDirArg + dir)
}

// callDriver sends one request to the WebDriver server.
func (s *Server) callDriver(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	// Joined as is: serveGrid refused dot segments, and cleaning the
	// path here would change what the client asked.
	u := strings.TrimSuffix(s.opts.WebDriverURL, "/") + (&url.URL{Path: path}).EscapedPath()
	var rd io.Reader
	if body != nil && method != http.MethodGet && method != http.MethodDelete {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := s.grid.client.Do(req)
	if err != nil {
		// The error names the driver's address: keep it out of what the
		// client sees.
		if errors.Is(err, context.Canceled) {
			return 0, nil, errors.New("the command was cancelled")
		}
		return 0, nil, errors.New("the connection to the WebDriver server failed")
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxDriverResponseBytes))
	if err != nil {
		return 0, nil, errors.New("the WebDriver server's answer broke off")
	}
	return resp.StatusCode, b, nil
}
