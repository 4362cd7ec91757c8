package serve

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// faultSpec is the JSON form of a fault in the control API: a
// devicefarmtest.Fault (kind by its Go name, delay as a Go duration), or a
// preset (devicefarmtest.Preset: a Go function's name or the error code it
// sends, in any case), aimed as a devicefarmtest.Match: operation,
// projectArn, nth, and count for Times. In the request log, the fault a
// request took has the same form (no preset or match).
type faultSpec struct {
	Preset     string `json:"preset,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Status     int    `json:"status,omitempty"`
	Code       string `json:"code,omitempty"`
	Message    string `json:"message,omitempty"`
	Delay      string `json:"delay,omitempty"`
	Size       int    `json:"size,omitempty"`
	Operation  string `json:"operation,omitempty"`
	ProjectArn string `json:"projectArn,omitempty"`
	Nth        int    `json:"nth,omitempty"`
	Count      int    `json:"count,omitempty"`
}

// Limits of a fault.
const (
	maxFaultCount   = 1_000_000
	maxFaultDelay   = 10 * time.Minute
	maxFaultSize    = 1 << 30
	maxCodeLen      = 128
	maxFaultMessage = 16384 // the model's limit for an exception message
)

// fault validates s and returns what it matches and the fault.
func (s *faultSpec) fault() (devicefarmtest.Match, devicefarmtest.Fault, error) {
	var (
		m devicefarmtest.Match
		f devicefarmtest.Fault
	)
	presets := strings.Join(devicefarmtest.PresetNames(), ", ")
	switch {
	case s.Preset != "" && s.Kind != "":
		return m, f, fmt.Errorf("give preset or kind, not both")
	case s.Preset != "":
		var ok bool
		if f, ok = devicefarmtest.Preset(s.Preset); !ok {
			return m, f, fmt.Errorf("unknown preset %s (one of %s, in any case, or the error code one sends)", safetext.QuoteEcho(s.Preset), presets)
		}
	case s.Kind != "":
		if err := f.Kind.UnmarshalText([]byte(s.Kind)); err != nil {
			return m, f, fmt.Errorf("kind: %w", err)
		}
	default:
		return m, f, fmt.Errorf("give a preset (%s) or a kind (FaultError, FaultHang, ...)", presets)
	}

	if s.Operation != "" {
		op, ok := devicefarmtest.CanonicalOperation(s.Operation)
		if !ok {
			return m, f, fmt.Errorf("unknown operation %s (one of %s)", safetext.QuoteEcho(s.Operation), strings.Join(devicefarmtest.OperationNames(), ", "))
		}
		m.Operation = op
	}
	if s.ProjectArn != "" {
		if err := cmdutil.CheckProjectArn(s.ProjectArn); err != nil {
			return m, f, fmt.Errorf("projectArn: %w", err)
		}
		m.ProjectArn = s.ProjectArn
	}
	if s.Nth < 0 || s.Nth > maxFaultCount {
		return m, f, fmt.Errorf("nth %d is out of range: 1 to %d", s.Nth, maxFaultCount)
	}
	m.Nth = s.Nth
	if s.Count < 0 || s.Count > maxFaultCount {
		return m, f, fmt.Errorf("count %d is out of range: 1 to %d", s.Count, maxFaultCount)
	}
	m.Times = s.Count
	if s.Status != 0 {
		if s.Status < 200 || s.Status > 599 {
			return m, f, fmt.Errorf("status %d is out of range: 200 to 599", s.Status)
		}
		f.Status = s.Status
	}
	if s.Code != "" || s.Message != "" {
		if f.Kind != devicefarmtest.FaultError {
			return m, f, fmt.Errorf("code and message apply to FaultError only, not %s", f.Kind)
		}
		if s.Code != "" {
			if !validErrorCode(s.Code) {
				return m, f, fmt.Errorf("code %s must be 1 to %d letters, digits or ._:#-", safetext.QuoteEcho(s.Code), maxCodeLen)
			}
			f.Code = s.Code
		}
		if s.Message != "" {
			if len(s.Message) > maxFaultMessage || !utf8.ValidString(s.Message) {
				return m, f, fmt.Errorf("message must be valid UTF-8 of at most %d bytes", maxFaultMessage)
			}
			f.Message = s.Message
		}
	}
	if s.Delay != "" {
		d, err := time.ParseDuration(s.Delay)
		if err != nil || d < 0 || d > maxFaultDelay {
			return m, f, fmt.Errorf("delay %s is not a duration from 0s to %s (such as \"250ms\")", safetext.QuoteEcho(s.Delay), maxFaultDelay)
		}
		f.Delay = d
	}
	if s.Size != 0 {
		if f.Kind != devicefarmtest.FaultOversizedBody {
			return m, f, fmt.Errorf("size applies to FaultOversizedBody only, not %s", f.Kind)
		}
		if s.Size < 0 || s.Size > maxFaultSize {
			return m, f, fmt.Errorf("size %d is out of range: 0 to %d bytes", s.Size, maxFaultSize)
		}
		f.Size = s.Size
	}
	return m, f, nil
}

// specOf returns the JSON form of a fault a request took.
func specOf(f devicefarmtest.Fault) *faultSpec {
	s := &faultSpec{Kind: f.Kind.String(), Status: f.Status, Code: safetext.EscapeControl(f.Code), Message: safetext.EscapeControl(f.Message), Size: f.Size}
	if f.Delay != 0 {
		s.Delay = f.Delay.String()
	}
	return s
}

// armedJSON is an armed fault as GET /faults lists it: its fault and
// match, how many requests it failed and how many it will still fail.
type armedJSON struct {
	faultSpec
	Fired   int `json:"fired"`
	Pending int `json:"pending"`
}

// armedOf returns the JSON form of an armed fault.
func armedOf(in *devicefarmtest.Injection) armedJSON {
	m := in.Match()
	a := armedJSON{faultSpec: *specOf(in.Fault()), Fired: in.Fired(), Pending: in.Pending()}
	a.Operation, a.ProjectArn, a.Nth, a.Count = m.Operation, m.ProjectArn, m.Nth, m.Times
	return a
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
