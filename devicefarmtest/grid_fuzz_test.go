package devicefarmtest

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzGridNewSession: whatever New Session body a client sends, the grid
// either refuses it or records valid JSON capabilities and sends the
// driver Chromium capabilities with the grid's flags and exactly one
// profile directory, its own.
func FuzzGridNewSession(f *testing.F) {
	for _, s := range []string{
		`{"capabilities":{"alwaysMatch":{"browserName":"chrome"}}}`,
		`{"capabilities":{"alwaysMatch":{"goog:chromeOptions":{"args":["--user-data-dir=/x","headless",7]}},"firstMatch":[{"browserName":"firefox"}]}}`,
		`{"capabilities":{"alwaysMatch":{"goog:chromeOptions":[]}}}`,
		`{"capabilities":null}`, `{}`, `[]`, `{"capabilities":{"firstMatch":[]}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		requested, up, err := sessionCapabilities([]byte(body))
		if err != nil {
			return
		}
		if !json.Valid([]byte(requested)) {
			t.Fatalf("seleniumProperties %q is not JSON", requested)
		}
		setChromeProfile(up, "/tmp/profile")
		if up["browserName"] != "chrome" {
			t.Fatalf("browserName %v", up["browserName"])
		}
		b, err := json.Marshal(up)
		if err != nil {
			t.Fatal(err)
		}
		args := up["goog:chromeOptions"].(map[string]any)["args"].([]any)
		dirs := 0
		for _, a := range args {
			if s, ok := a.(string); ok && strings.Contains(s, "user-data-dir") {
				dirs++
				if s != "--user-data-dir=/tmp/profile" {
					t.Fatalf("a profile of the client's: %q in %s", s, b)
				}
			}
		}
		if dirs != 1 {
			t.Fatalf("%d profile directories in %s", dirs, b)
		}
	})
}
