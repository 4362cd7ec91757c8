package serve

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// faultSpec is the JSON form of a fault in the control API: a
// devicefarmtest.Fault (kind by its Go name, delay as a Go duration), or a
// preset named after the Go function that builds it, queued count times.
// In the request log, the fault a request took has the same form (no
// preset or count).
type faultSpec struct {
	Preset  string `json:"preset,omitempty"`
	Kind    string `json:"kind,omitempty"`
	Status  int    `json:"status,omitempty"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	Delay   string `json:"delay,omitempty"`
	Size    int    `json:"size,omitempty"`
	Count   int    `json:"count,omitempty"`
}

// faultPresets are the devicefarmtest functions that build common faults.
var faultPresets = map[string]func() devicefarmtest.Fault{
	"Throttling":         devicefarmtest.Throttling,
	"ServiceUnavailable": devicefarmtest.ServiceUnavailable,
	"InternalError":      devicefarmtest.InternalError,
	"AccessDenied":       devicefarmtest.AccessDenied,
}

// Limits of a fault.
const (
	maxFaultCount   = 1_000_000
	maxFaultDelay   = 10 * time.Minute
	maxFaultSize    = 1 << 30
	maxCodeLen      = 128
	maxFaultMessage = 16384 // the model's limit for an exception message
)

// fault validates s and returns the fault and how many times to queue it.
func (s *faultSpec) fault() (devicefarmtest.Fault, int, error) {
	var f devicefarmtest.Fault
	switch {
	case s.Preset != "" && s.Kind != "":
		return f, 0, fmt.Errorf("give preset or kind, not both")
	case s.Preset != "":
		build, ok := faultPresets[s.Preset]
		if !ok {
			return f, 0, fmt.Errorf("unknown preset %s (one of %s)", safetext.QuoteEcho(s.Preset), strings.Join(presetNames(), ", "))
		}
		f = build()
	case s.Kind != "":
		if err := f.Kind.UnmarshalText([]byte(s.Kind)); err != nil {
			return f, 0, fmt.Errorf("kind: %w", err)
		}
	default:
		return f, 0, fmt.Errorf("give a preset (%s) or a kind (FaultError, FaultHang, ...)", strings.Join(presetNames(), ", "))
	}

	count := s.Count
	if count == 0 {
		count = 1
	}
	if count < 1 || count > maxFaultCount {
		return f, 0, fmt.Errorf("count %d is out of range: 1 to %d", s.Count, maxFaultCount)
	}
	if s.Status != 0 {
		if s.Status < 200 || s.Status > 599 {
			return f, 0, fmt.Errorf("status %d is out of range: 200 to 599", s.Status)
		}
		f.Status = s.Status
	}
	if s.Code != "" || s.Message != "" {
		if f.Kind != devicefarmtest.FaultError {
			return f, 0, fmt.Errorf("code and message apply to FaultError only, not %s", f.Kind)
		}
		if s.Code != "" {
			if !validErrorCode(s.Code) {
				return f, 0, fmt.Errorf("code %s must be 1 to %d letters, digits or ._:#-", safetext.QuoteEcho(s.Code), maxCodeLen)
			}
			f.Code = s.Code
		}
		if s.Message != "" {
			if len(s.Message) > maxFaultMessage || !utf8.ValidString(s.Message) {
				return f, 0, fmt.Errorf("message must be valid UTF-8 of at most %d bytes", maxFaultMessage)
			}
			f.Message = s.Message
		}
	}
	if s.Delay != "" {
		d, err := time.ParseDuration(s.Delay)
		if err != nil || d < 0 || d > maxFaultDelay {
			return f, 0, fmt.Errorf("delay %s is not a duration from 0s to %s (such as \"250ms\")", safetext.QuoteEcho(s.Delay), maxFaultDelay)
		}
		f.Delay = d
	}
	if s.Size != 0 {
		if f.Kind != devicefarmtest.FaultOversizedBody {
			return f, 0, fmt.Errorf("size applies to FaultOversizedBody only, not %s", f.Kind)
		}
		if s.Size < 0 || s.Size > maxFaultSize {
			return f, 0, fmt.Errorf("size %d is out of range: 0 to %d bytes", s.Size, maxFaultSize)
		}
		f.Size = s.Size
	}
	return f, count, nil
}

// specOf returns the JSON form of a fault a request took.
func specOf(f devicefarmtest.Fault) *faultSpec {
	s := &faultSpec{Kind: f.Kind.String(), Status: f.Status, Code: safetext.EscapeControl(f.Code), Message: safetext.EscapeControl(f.Message), Size: f.Size}
	if f.Delay != 0 {
		s.Delay = f.Delay.String()
	}
	return s
}

func presetNames() []string {
	names := make([]string, 0, len(faultPresets))
	for n := range faultPresets {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// validErrorCode reports whether code can be an X-Amzn-ErrorType value:
// letters, digits and ._:#- (as in com.amazonaws.devicefarm#NotFoundException).
func validErrorCode(code string) bool {
	if code == "" || len(code) > maxCodeLen {
		return false
	}
	for _, c := range code {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._:#-", c)) {
			return false
		}
	}
	return true
}
