package devicefarm

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// redirectTarget counts requests that reach a server a 307 points to.
func redirectTarget(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		respond(w, 200, []byte(`{"testGridSessions":[]}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// A redirect is never followed, whatever the HTTPClient: the signed
// request, with its session token, must not reach another host. The
// caller's *http.Client is not changed, and a caller's Doer that follows a
// redirect anyway fails the call.
func TestRedirects_NotFollowed(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		for _, mode := range []string{"default client", "caller *http.Client", "caller *http.Client with CheckRedirect", "awshttp.BuildableClient", "caller Doer that follows"} {
			t.Run(fmt.Sprintf("%d %s", status, mode), func(t *testing.T) {
				t.Parallel()
				target, hits := redirectTarget(t)
				followed := false
				var hc HTTPClient
				switch mode {
				case "caller *http.Client":
					hc = &http.Client{}
				case "caller *http.Client with CheckRedirect":
					hc = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { followed = true; return nil }}
				case "awshttp.BuildableClient":
					hc = awshttp.NewBuildableClient()
				case "caller Doer that follows":
					hc = doerFunc((&http.Client{}).Do)
				}
				ts, c := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
					respond(w, status, nil, "Location", target.URL+"/stolen", "X-Amzn-RequestId", "rid-redirect")
				}, func(o *Options) {
					if hc != nil {
						o.HTTPClient = hc
					}
				})
				var origCheck func(*http.Request, []*http.Request) error
				if c, ok := hc.(*http.Client); ok {
					origCheck = c.CheckRedirect
				}

				_, err := c.ListTestGridSessions(context.Background(), testInput())
				require.Error(t, err)
				var re *RedirectError
				require.ErrorAs(t, err, &re)
				assert.Len(t, ts.Requests(), 1, "not retried")
				for _, form := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
					assert.Empty(t, secretLeaks(form, receivedSignatures(ts.Requests())), "secrets in the error: %s", form)
				}
				if mode == "caller Doer that follows" {
					// The caller's Doer is its own: the request went, and the
					// call says so.
					assert.True(t, re.Followed)
					assert.Equal(t, target.URL+"/stolen", re.Location)
					assert.Contains(t, err.Error(), "followed a redirect to "+target.URL+"/stolen")
					if status != http.StatusFound { // a 302 turns the POST into a GET
						assert.Equal(t, int32(1), hits.Load())
					}
					return
				}
				assert.False(t, re.Followed)
				assert.Equal(t, status, re.StatusCode)
				assert.Equal(t, target.URL+"/stolen", re.Location)
				assert.Contains(t, err.Error(), fmt.Sprintf("StatusCode: %d, RequestID: rid-redirect, redirect (HTTP %d) to %s/stolen not followed", status, status, target.URL))
				assert.Zero(t, hits.Load(), "the signed request reached the redirect target")
				assert.False(t, followed, "the caller's CheckRedirect was consulted")

				if hc, ok := hc.(*http.Client); ok {
					// The caller's client is not mutated.
					if origCheck == nil {
						assert.Nil(t, hc.CheckRedirect)
					} else {
						assert.NotNil(t, hc.CheckRedirect)
					}
					assert.Same(t, hc, c.Options().HTTPClient)
				}
			})
		}
	}
}
