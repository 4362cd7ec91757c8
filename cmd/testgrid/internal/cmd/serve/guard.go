package serve

import (
	"encoding/json"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
	"github.com/testgridkit/devicefarm/internal/endpointurl"
)

// The control API has no authentication, and the fake accepts its own
// published test keys (or any, with --any-credentials): what keeps a web
// page that a developer happens to open from driving them is this file.
//
//   - A request with an Origin header whose host is not a loopback host
//     (localhost, 127.0.0.0/8, ::1) is refused with 403: a browser sends
//     Origin with every cross-origin request, and with every POST.
//   - When serve listens on a loopback address, a request whose Host
//     header is not a loopback host with the listening port is refused
//     with 403: a page that rebinds its own DNS name to 127.0.0.1 sends
//     its name as Host. SDKs and the AWS CLI send the host of the
//     endpoint they were given, which is the ready line's loopback one.
//   - A POST control request must have Content-Type application/json
//     (parameters allowed): otherwise 415. A page can send text/plain, or
//     a form, without a CORS preflight, never application/json.
//
// The first two apply to the service's paths too (a refusal there is an
// AccessDeniedException, which SDKs report, and is not in the request
// log); the third is the control API's own.

// requestGuard checks the Origin and Host headers of every request.
type requestGuard struct {
	// checkHost is set when the listener is bound to a loopback address:
	// then the Host header must be a loopback host with port port.
	checkHost bool
	port      string
}

// newRequestGuard returns the guard for a listener bound to addr.
func newRequestGuard(addr *net.TCPAddr) requestGuard {
	return requestGuard{checkHost: addr.IP.IsLoopback(), port: strconv.Itoa(addr.Port)}
}

// refusal returns why r is refused, or "" when it is not.
func (g requestGuard) refusal(r *http.Request) string {
	if origins, ok := r.Header["Origin"]; ok {
		origin := strings.Join(origins, ", ")
		u, err := url.Parse(origin)
		if len(origins) != 1 || err != nil || !endpointurl.IsLoopback(u.Hostname()) {
			return "cross-origin request refused: Origin " + safetext.QuoteEcho(origin) +
				" is not a page served from a loopback host (localhost, 127.0.0.1, [::1]); testgrid serve answers local test suites, not web pages"
		}
	}
	if g.checkHost && !g.hostAllowed(r.Host) {
		return "Host header " + safetext.QuoteEcho(r.Host) + " refused: testgrid serve listens on loopback and only answers for localhost, 127.0.0.1 or [::1] with port " + g.port +
			" (a DNS rebinding protection); use the endpoint of the ready line"
	}
	return ""
}

// hostAllowed reports whether host, a Host header, names a loopback host
// with the listening port (or no port, when that is 80).
func (g requestGuard) hostAllowed(host string) bool {
	name, port, err := net.SplitHostPort(host)
	if err != nil { // no port
		name, port = host, "80"
		if strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]") {
			name = name[1 : len(name)-1]
		}
	}
	return port == g.port && endpointurl.IsLoopback(name)
}

// guard wraps serve's handler: a request that refusal refuses gets 403,
// as a control API error on control paths, else as the service's
// AccessDeniedException.
func (g requestGuard) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg := g.refusal(r)
		if msg == "" {
			next.ServeHTTP(w, r)
			return
		}
		if isControlPath(r.URL.Path) {
			writeControlError(w, &controlError{status: http.StatusForbidden, msg: msg})
			return
		}
		b, _ := json.Marshal(struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}{"AccessDeniedException", safetext.EscapeControl(msg)})
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", "AccessDeniedException")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write(b)
	})
}

// checkJSONContentType refuses a POST control request whose Content-Type
// is not application/json (parameters such as charset allowed): 415.
func checkJSONContentType(r *http.Request) *controlError {
	if r.Method != http.MethodPost {
		return nil
	}
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err == nil && mt == "application/json" {
		return nil
	}
	got := "none"
	if ct != "" {
		got = safetext.QuoteEcho(ct)
	}
	return &controlError{status: http.StatusUnsupportedMediaType,
		msg: "Content-Type must be application/json for a POST control request, not " + got + " (curl: -H 'Content-Type: application/json')"}
}
