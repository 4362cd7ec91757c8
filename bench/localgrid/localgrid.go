// Package localgrid drives WebDriver sessions through the fake test grid
// (devicefarmtest with a real chromedriver behind it), for the figures of
// SERVE.md and its example report.
package localgrid

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Session is a WebDriver session on a remote end: the grid's URL, or
// chromedriver's own.
type Session struct {
	Hub string
	ID  string
}

// Command sends one W3C WebDriver command and returns its value, or an
// error for a transport failure or a WebDriver error.
func Command(hub, method, path string, body any) (any, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, hub+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Value any `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %d %v", method, path, resp.StatusCode, out.Value)
	}
	return out.Value, nil
}

// Start opens a session with headless Chromium's flags (which the grid
// adds itself, and chromedriver needs from a direct client).
func Start(hub string, caps map[string]any) (*Session, error) {
	c := map[string]any{"goog:chromeOptions": map[string]any{"args": []string{"--headless", "--no-sandbox", "--disable-gpu"}}}
	for k, v := range caps {
		c[k] = v
	}
	v, err := Command(hub, http.MethodPost, "/session", map[string]any{"capabilities": map[string]any{"alwaysMatch": c}})
	if err != nil {
		return nil, err
	}
	m, _ := v.(map[string]any)
	id, _ := m["sessionId"].(string)
	if id == "" {
		return nil, fmt.Errorf("no sessionId in %v", v)
	}
	return &Session{Hub: hub, ID: id}, nil
}

// Do sends a command of the session: path is relative to /session/ID.
func (s *Session) Do(method, path string, body any) (any, error) {
	return Command(s.Hub, method, "/session/"+s.ID+path, body)
}

// Quit deletes the session.
func (s *Session) Quit() error {
	_, err := Command(s.Hub, http.MethodDelete, "/session/"+s.ID, nil)
	return err
}
