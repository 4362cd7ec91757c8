// Package endpointurl is the one rule for an endpoint URL a user
// configures: the library applies it to BaseEndpoint and to every endpoint
// setting it reads, and testgrid to its --endpoint flag before anything is
// sent. Each caller words the problem for its own setting.
package endpointurl

import (
	"errors"
	"net"
	"net/url"
	"strings"
)

// Problem is what is wrong with an endpoint URL.
type Problem int

// The problems, in the order Check looks for them.
const (
	OK Problem = iota
	// NoScheme: there is no "://". The raw text must not be quoted in a
	// message: without a scheme, "user:password@host" parses as a path.
	NoScheme
	// Unparseable: url.Parse refused it; Check returns the cause without
	// the *url.Error, which would quote the raw URL and any password in it.
	Unparseable
	// BadScheme: the scheme is neither https nor http.
	BadScheme
	// NoHost: there is no host.
	NoHost
	// UserInfo: the URL holds user information.
	UserInfo
	// QueryOrFragment: the URL has a query or a fragment.
	QueryOrFragment
	// Plaintext: http:// to a host that is not loopback, where the request
	// signature and session token would travel in clear.
	Plaintext
)

// Check parses raw and returns the first problem found (OK if none). The
// URL is returned for every problem after Unparseable, so that a message
// can show u.Redacted(); err is url.Parse's cause for Unparseable.
func Check(raw string) (u *url.URL, p Problem, err error) {
	if !strings.Contains(raw, "://") {
		return nil, NoScheme, nil
	}
	u, err = url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, Unparseable, err
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		p = BadScheme
	case u.Host == "":
		p = NoHost
	case u.User != nil:
		p = UserInfo
	case u.RawQuery != "" || u.Fragment != "":
		p = QueryOrFragment
	case u.Scheme == "http" && !IsLoopback(u.Hostname()):
		p = Plaintext
	}
	return u, p, nil
}

// IsLoopback reports whether host (no port, no brackets) is "localhost" or
// a loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
