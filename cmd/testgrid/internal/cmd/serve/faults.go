package serve

import (
	"fmt"
	"net/http"
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

// faultsAnswer is what the faults endpoints answer: how many requests the
// armed faults will still fail, and those faults, in the order armed
// (those aimed at projectArn only, when the request gave one).
type faultsAnswer struct {
	Pending int         `json:"pending"`
	Faults  []armedJSON `json:"faults"`
}

func (c *controlAPI) faultsAnswer(projectArn string) faultsAnswer {
	out := faultsAnswer{Faults: []armedJSON{}}
	for _, in := range c.fake.PendingFaults() {
		if projectArn != "" && in.Match().ProjectArn != projectArn {
			continue
		}
		a := armedOf(in)
		out.Pending += a.Pending
		out.Faults = append(out.Faults, a)
	}
	return out
}

// getFaults: GET [?projectArn=ARN]. The armed faults that will still fire,
// those that never fired included, with their counts.
func (c *controlAPI) getFaults(w http.ResponseWriter, r *http.Request) *controlError {
	writeJSON(w, http.StatusOK, c.faultsAnswer(r.URL.Query().Get("projectArn")))
	return nil
}

// deleteFaults: DELETE [?projectArn=ARN]. Disarms every fault, or those
// aimed at the project, and answers as GET does for what is left.
func (c *controlAPI) deleteFaults(w http.ResponseWriter, r *http.Request) *controlError {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := r.URL.Query().Get("projectArn"); p != "" {
		c.fake.ClearFaults(p)
	} else {
		c.fake.ClearFaults()
	}
	writeJSON(w, http.StatusOK, c.faultsAnswer(""))
	return nil
}

// addFaults: POST {"faults":[faultSpec...]}. Arms them in order; all or
// none are armed. The answer counts the requests they will fail (queued)
// and lists them with what was armed before, as GET does.
func (c *controlAPI) addFaults(w http.ResponseWriter, r *http.Request) *controlError {
	var in struct {
		Faults []faultSpec `json:"faults"`
	}
	if e := decodeControlBody(w, r, &in, false); e != nil {
		return e
	}
	if len(in.Faults) == 0 {
		return badRequest("faults is empty: give at least one fault")
	}
	type armed struct {
		m devicefarmtest.Match
		f devicefarmtest.Fault
	}
	as := make([]armed, len(in.Faults))
	total := 0
	for i := range in.Faults {
		m, f, err := in.Faults[i].fault()
		if err != nil {
			return badRequest("faults[%d]: %v", i, err)
		}
		as[i] = armed{m, f}
		total += min(max(m.Times, 1), c.limits.maxFaults+1) // cannot overflow
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if pending := pendingCount(c.fake); total > c.limits.maxFaults-pending {
		return &controlError{status: http.StatusRequestEntityTooLarge,
			msg: fmt.Sprintf("queuing faults for %d more requests to the %d pending would pass the bound of %d (--max-faults)", total, pending, c.limits.maxFaults)}
	}
	for _, a := range as {
		c.fake.Inject(a.m, a.f)
	}
	ans := c.faultsAnswer("")
	writeJSON(w, http.StatusOK, struct {
		Queued int `json:"queued"`
		faultsAnswer
	}{total, ans})
	return nil
}

// pendingCount is how many requests the injected faults will still fail.
func pendingCount(fake *devicefarmtest.Server) int {
	n := 0
	for _, in := range fake.PendingFaults() {
		n += in.Pending()
	}
	return n
}
