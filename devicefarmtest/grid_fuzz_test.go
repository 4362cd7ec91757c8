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
		`{"capabilities":{"alwaysMatch":{"goog:chromeOptions":{"args":["--","--user-data-dir=/x"]}}}}`,
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
			if a == "--" {
				t.Fatalf(`a "--", after which Chromium reads no switch, in %s`, b)
			}
			if s, ok := a.(string); ok && chromiumSwitch(s) == "user-data-dir" {
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

// chromiumSwitch returns the name of the switch that arg sets as
// Chromium's command line parser reads it on POSIX (a "--" or "-" prefix,
// a value after "="; names are case-sensitive), or "" for an argument that
// is no switch, such as "user-data-dir0", which Chromium opens as a URL.
// (A bare "--" ends the switches: the fuzz target refuses one.)
func chromiumSwitch(arg string) string {
	rest, ok := strings.CutPrefix(arg, "--")
	if !ok {
		if rest, ok = strings.CutPrefix(arg, "-"); !ok {
			return ""
		}
	}
	name, _, _ := strings.Cut(rest, "=")
	return name
}
