package devicefarm

import (
	"net/http"
	"net/url"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/testgridkit/devicefarm/internal/oneline"
)

// Redirects are never followed: the signed request, with its session
// token, would go to another host. The HTTP clients the Client builds or
// copies refuse them (withoutRedirects), and a response shows whether one
// was refused or followed anyway (redirectOf).

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// withoutRedirects returns an HTTPClient that does not follow redirects: a
// copy of a caller's *http.Client, or a client built from an
// *awshttp.BuildableClient's settings (its transport, timeouts and
// TLS settings), with CheckRedirect refusing every redirect. Other
// implementations are used as they are; a redirect they follow fails the
// call with a *RedirectError.
func withoutRedirects(h HTTPClient) HTTPClient {
	switch hc := h.(type) {
	case *http.Client:
		if hc == defaultHTTPClient {
			return h
		}
		cp := *hc
		cp.CheckRedirect = noRedirects
		return &cp
	case *awshttp.BuildableClient:
		if built, ok := hc.Freeze().(*http.Client); ok {
			cp := *built
			cp.CheckRedirect = noRedirects
			return &cp
		}
	}
	return h
}

// maxLocationLen bounds a redirect's location in an error.
const maxLocationLen = 256

// redirectOf returns the error for a response that redirects (a 3xx with a
// Location), or for one that the HTTPClient obtained by following a
// redirect; nil otherwise. header is the response's, already scrubbed;
// scrub removes secrets from the location before it is cut to length.
func redirectOf(req *http.Request, resp *http.Response, header http.Header, scrub func(string) string) *RedirectError {
	if final := resp.Request; final != nil && final != req && final.Response != nil && final.URL != nil {
		return &RedirectError{StatusCode: resp.StatusCode, Location: oneline.Cut(scrub(final.URL.Redacted()), maxLocationLen), Followed: true}
	}
	if resp.StatusCode < 300 || resp.StatusCode > 399 {
		return nil
	}
	loc := scrub(header.Get("Location"))
	if loc == "" {
		return nil
	}
	if u, err := url.Parse(loc); err == nil {
		loc = u.Redacted()
	}
	return &RedirectError{StatusCode: resp.StatusCode, Location: oneline.Cut(scrub(loc), maxLocationLen)}
}
