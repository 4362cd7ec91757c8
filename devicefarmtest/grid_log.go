package devicefarmtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// What the grid records of a WebDriver session: the capabilities asked
// for, and the SELENIUM_LOG artifact, with secrets scrubbed.

func seleniumLog(data []byte) Artifact {
	return Artifact{Filename: "selenium.log", Type: ArtifactSeleniumLog, ContentType: "text/plain; charset=utf-8", Data: data}
}

// appendLogEntry writes one command to a log: its time, method and path,
// status, and both bodies, each cut to maxLogBodyBytes.
func appendLogEntry(b *bytes.Buffer, t time.Time, method, path string, req []byte, status int, resp []byte) {
	fmt.Fprintf(b, "%s %s %s -> %d\n", t.UTC().Format("2006-01-02T15:04:05.000Z"), method, path, status)
	for _, part := range []struct {
		name string
		body []byte
	}{{"request", req}, {"response", resp}} {
		if len(bytes.TrimSpace(part.body)) == 0 {
			continue
		}
		body := part.body
		cut := ""
		if len(body) > maxLogBodyBytes {
			body, cut = body[:maxLogBodyBytes], fmt.Sprintf(" ... (%d bytes)", len(part.body))
		}
		fmt.Fprintf(b, "  %s: %s%s\n", part.name, strings.ToValidUTF8(strings.ReplaceAll(string(body), "\n", `\n`), "\uFFFD"), cut)
	}
}

// scrubCommand hides what a command may carry of the user's secrets: the
// keys typed into elements and sent as actions (passwords among them) and
// cookie values.
func scrubCommand(path string, body []byte) []byte {
	switch {
	case strings.HasSuffix(path, "/value"), strings.HasSuffix(path, "/actions"),
		strings.HasSuffix(path, "/cookie"), strings.HasSuffix(path, "/alert/text"):
		if len(body) > 0 {
			return []byte(`"[scrubbed]"`)
		}
	}
	return body
}

// scrubCapabilities drops from a driver's answer what would reveal the
// browser's own endpoints or files: the DevTools address, the profile
// directory, the BiDi WebSocket URL.
func scrubCapabilities(caps map[string]any) {
	delete(caps, "webSocketUrl")
	delete(caps, "se:cdp")
	delete(caps, "goog:processID")
	for _, k := range []string{"goog:chromeOptions", "chrome", "ms:edgeOptions", "msedge"} {
		if m, ok := caps[k].(map[string]any); ok {
			delete(m, "debuggerAddress")
			delete(m, "userDataDir")
		}
	}
}

// sessionCapabilities reads a New Session body: it returns the capabilities
// the client asked for (alwaysMatch merged with the first firstMatch), as
// JSON for seleniumProperties, and those to send the driver.
func sessionCapabilities(body []byte) (string, map[string]any, error) {
	var req struct {
		Capabilities *struct {
			AlwaysMatch map[string]any   `json:"alwaysMatch"`
			FirstMatch  []map[string]any `json:"firstMatch"`
		} `json:"capabilities"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return "", nil, errors.New("the New Session body is not a JSON object with a capabilities object: " + err.Error())
	}
	if req.Capabilities == nil {
		return "", nil, errors.New(`the New Session body has no "capabilities" object (W3C WebDriver)`)
	}
	caps := map[string]any{}
	for k, v := range req.Capabilities.AlwaysMatch {
		caps[k] = v
	}
	if len(req.Capabilities.FirstMatch) > 0 {
		for k, v := range req.Capabilities.FirstMatch[0] {
			caps[k] = v
		}
	}
	requested, err := json.Marshal(caps)
	if err != nil {
		return "", nil, err
	}
	// The driver runs Chromium whatever browser, version and platform
	// were asked for; Device Farm's own aws: capabilities stay here.
	up := map[string]any{}
	for k, v := range caps {
		switch {
		case k == "browserName", k == "browserVersion", k == "platformName", k == "platform", strings.HasPrefix(k, "aws:"),
			k == "moz:firefoxOptions", k == "ms:edgeOptions", k == "se:options":
			continue
		}
		up[k] = v
	}
	up["browserName"] = "chrome"
	return string(requested), up, nil
}

// userDataDirArg is the browser's flag for its profile directory, which
// also finds the processes of a session's browser.
const userDataDirArg = "--user-data-dir="

// setChromeProfile adds ChromiumArgs the client's args lack and points
// --user-data-dir at dir, replacing the client's. A bare "--" is dropped:
// Chromium reads no switch after it, so the grid's would be ignored.
func setChromeProfile(caps map[string]any, dir string) {
	opts, _ := caps["goog:chromeOptions"].(map[string]any)
	if opts == nil {
		opts = map[string]any{}
	}
	var args []any
	have := map[string]bool{}
	if list, ok := opts["args"].([]any); ok {
		for _, a := range list {
			str, _ := a.(string)
			name, _, _ := strings.Cut(strings.TrimLeft(str, "-"), "=")
			if name == "user-data-dir" || str == "--" {
				continue
			}
			have[name] = true
			args = append(args, a)
		}
	}
	for _, a := range ChromiumArgs {
		if !have[strings.TrimLeft(a, "-")] && !(a == "--headless" && have["headless"]) {
			args = append(args, a)
		}
	}
	args = append(args, userDataDirArg+dir)
	opts["args"] = args
	delete(opts, "debuggerAddress") // never attach to a browser of the client's choosing
	caps["goog:chromeOptions"] = opts
}
