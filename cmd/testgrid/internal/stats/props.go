package stats

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// UnknownLabel names the browser or platform of a session whose
// seleniumProperties are empty, are not a JSON object, or do not say.
const UnknownLabel = "(unknown)"

// maxLabelBytes bounds a browser or platform label taken from the service;
// longer ones are cut at a character boundary and end in "…".
const maxLabelBytes = 100

// capabilities are the members of seleniumProperties that the summary
// reads: the W3C WebDriver names, and the JSON Wire Protocol ones
// (Selenium 3) as fallbacks. Values are kept raw so that a number (a
// version such as 120) is read as its text rather than failing the decode.
type capabilities struct {
	BrowserName    json.RawMessage `json:"browserName"`
	BrowserVersion json.RawMessage `json:"browserVersion"`
	PlatformName   json.RawMessage `json:"platformName"`
	Version        json.RawMessage `json:"version"`
	Platform       json.RawMessage `json:"platform"`
}

// browserInfo is what a session's seleniumProperties say about where it
// ran. Version is "" when not given; Name and Platform are unknownLabel.
type browserInfo struct {
	Name, Version, Platform string
}

// parseBrowserInfo reads browserName, browserVersion and platformName
// (else version and platform) from the text of seleniumProperties. It
// decodes only those members, which is cheaper than
// TestGridSession.DecodeSeleniumProperties' full map. in, when not nil,
// returns the label strings, so that repeated labels share one string.
func parseBrowserInfo(props string, in *interner) browserInfo {
	unknown := browserInfo{Name: UnknownLabel, Platform: UnknownLabel}
	p := strings.TrimSpace(props)
	if !strings.HasPrefix(p, "{") {
		return unknown
	}
	var c capabilities
	if err := json.Unmarshal([]byte(p), &c); err != nil {
		return unknown
	}
	info := browserInfo{
		Name:     label(c.BrowserName, in),
		Version:  label(c.BrowserVersion, in),
		Platform: label(c.PlatformName, in),
	}
	if info.Version == "" {
		info.Version = label(c.Version, in)
	}
	if info.Platform == "" {
		info.Platform = label(c.Platform, in)
	}
	if info.Name == "" {
		info.Name = UnknownLabel
	}
	if info.Platform == "" {
		info.Platform = UnknownLabel
	}
	return info
}

// label returns the text of a JSON string, number or boolean, trimmed and
// cut to maxLabelBytes; "" for anything else (absent, null, object,
// array).
func label(raw json.RawMessage, in *interner) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		if body := raw[1 : len(raw)-1]; bytes.IndexByte(body, '\\') < 0 {
			// No escapes: the text is the bytes between the quotes
			// (json.Unmarshal has checked that they are valid).
			return in.text(bytes.TrimSpace(body))
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return ""
		}
		return in.text([]byte(strings.TrimSpace(s)))
	case '{', '[', 'n':
		return ""
	default: // a number, true or false
		return in.text(raw)
	}
}

// maxInterned bounds the strings an interner keeps.
const maxInterned = 4096

// interner hands out one string per distinct label, so that labels that
// repeat from session to session are not allocated again. It keeps at most
// maxInterned strings; a nil *interner allocates every time.
type interner struct{ m map[string]string }

// text returns b as a string, cut to maxLabelBytes.
func (in *interner) text(b []byte) string {
	if in != nil {
		if s, ok := in.m[string(b)]; ok { // no allocation
			return s
		}
	}
	s := truncateLabel(string(b))
	if in != nil && len(in.m) < maxInterned {
		if in.m == nil {
			in.m = map[string]string{}
		}
		in.m[string(b)] = s
	}
	return s
}

// truncateLabel cuts s to at most maxLabelBytes bytes at a character
// boundary, marking the cut with "…".
func truncateLabel(s string) string {
	if len(s) <= maxLabelBytes {
		return s
	}
	cut := maxLabelBytes - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
