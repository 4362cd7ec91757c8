package compat_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	official "github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
)

// doer is the HTTPClient interface of both clients.
type doer interface {
	Do(*http.Request) (*http.Response, error)
}

// doerFunc is an HTTPClient that is neither *http.Client nor
// *awshttp.BuildableClient, so a client cannot reconfigure it.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(req *http.Request) (*http.Response, error) { return f(req) }

// TestRedirectsNotFollowed points both clients at a loopback server that
// answers every request with 307 Temporary Redirect to a second loopback
// server (which would answer an empty page). A followed redirect would
// carry the signed request to another host, so ours must never deliver it
// there: with the default HTTPClient, a caller's *http.Client and
// *awshttp.BuildableClient (both follow 307 on their own) the call fails
// and the second server gets nothing. With a custom HTTPClient that follows
// redirects by itself, which ours cannot reconfigure, ours must fail with
// an error saying a redirect was followed instead of returning the other
// host's answer. What the official client does is logged, not asserted.
func TestRedirectsNotFollowed(t *testing.T) {
	var toFirst, toSecond atomic.Int32
	second := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		toSecond.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-Requestid", "second-server-0001")
		_, _ = io.WriteString(w, `{"testGridSessions":[]}`)
	}))
	t.Cleanup(second.Close)
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		toFirst.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("X-Amzn-Requestid", "first-server-0001")
		http.Redirect(w, r, second.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(first.Close)

	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDCOMPATTEST000001", SecretAccessKey: "compat/FAKE/secret"}, nil
	})
	followingDoer := func() doer {
		c := &http.Client{} // the default redirect policy: follows up to 10
		return doerFunc(c.Do)
	}
	cases := []struct {
		name   string
		client func() doer // nil: the client's default
		// custom: ours cannot stop this client from following, so it must
		// report the redirect instead.
		custom bool
	}{
		{name: "default HTTPClient"},
		{name: "*http.Client", client: func() doer { return &http.Client{} }},
		{name: "*awshttp.BuildableClient", client: func() doer { return awshttp.NewBuildableClient() }},
		{name: "custom HTTPClient that follows redirects", client: followingDoer, custom: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()

			toFirst.Store(0)
			toSecond.Store(0)
			offClient := official.New(official.Options{
				Region:       "us-west-2",
				Credentials:  creds,
				BaseEndpoint: aws.String(first.URL),
				Retryer:      newRetryer(),
			}, func(o *official.Options) {
				if tc.client != nil {
					o.HTTPClient = tc.client()
				}
			})
			offErr := listOfficial(ctx, offClient, project)
			t.Logf("official client: first server %d, second server %d requests; err=%v", toFirst.Load(), toSecond.Load(), offErr)

			toFirst.Store(0)
			toSecond.Store(0)
			ourClient := devicefarm.New(devicefarm.Options{
				Region:       "us-west-2",
				Credentials:  creds,
				BaseEndpoint: first.URL,
				Retryer:      newRetryer(),
			}, func(o *devicefarm.Options) {
				if tc.client != nil {
					o.HTTPClient = tc.client()
				}
			})
			err := listOurs(ctx, ourClient, project)
			t.Logf("ours: first server %d, second server %d requests; err=%v", toFirst.Load(), toSecond.Load(), err)
			require.Error(t, err, "a redirect must not turn into a success")
			var oe *smithy.OperationError
			require.True(t, errors.As(err, &oe), "want a *smithy.OperationError, got %T", err)
			require.NotZero(t, toFirst.Load(), "the first server was asked")
			var re *devicefarm.RedirectError
			require.True(t, errors.As(err, &re), "want a *devicefarm.RedirectError in %v", err)
			if tc.custom {
				require.Contains(t, strings.ToLower(err.Error()), "redirect", "the error says a redirect was followed")
				require.True(t, re.Followed, "RedirectError.Followed")
				return
			}
			require.False(t, re.Followed, "RedirectError.Followed")
			require.Equal(t, http.StatusTemporaryRedirect, re.StatusCode)
			require.Zero(t, toSecond.Load(), "the redirect was followed: the signed request reached the second server")
		})
	}
}
