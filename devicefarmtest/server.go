package devicefarmtest

import (
	"context"
	"crypto/rand"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/testgridkit/devicefarm"
)

// Defaults used when the corresponding Options field is zero.
const (
	// DefaultRegion is the region signatures must be scoped to.
	DefaultRegion = "us-west-2"
	// DefaultAccessKeyID is the access key ID the server accepts.
	DefaultAccessKeyID = "AKIDDEVICEFARMTEST01"
	// DefaultSecretAccessKey is the secret access key the server accepts.
	DefaultSecretAccessKey = "devicefarmtest/FAKE/secret/0000000000000001"
	// DefaultPageSize is the page size used when a request has no maxResult.
	DefaultPageSize = 50
	// MaxRequestBytes caps a request body; a larger one is refused with
	// HTTP 413 RequestEntityTooLargeException.
	MaxRequestBytes = 1 << 20
)

// Options configures a Server. The zero value of every field selects the
// default written beside it.
type Options struct {
	// Region is the region signatures must be scoped to. Default us-west-2.
	Region string

	// AccessKeyID and SecretAccessKey are the only key pair the server
	// accepts. Defaults: DefaultAccessKeyID and DefaultSecretAccessKey.
	AccessKeyID, SecretAccessKey string
	// SessionToken, when set, must be sent (and signed) as
	// X-Amz-Security-Token. When empty, requests must carry no session
	// token, as with long-term keys.
	SessionToken string

	// DefaultPageSize is the page size when a request has no maxResult.
	// Default 50 (DefaultPageSize).
	DefaultPageSize int

	// Epoch anchors Seed: generated sessions are created in the 30 days
	// before it. Zero means the server's start time (by Now), truncated to
	// the second.
	Epoch time.Time

	// Now is the server's clock: it is used for the signature-date check,
	// the Date response header, Request.Time and the default Epoch.
	// Default time.Now. Skew it to exercise a client's clock-skew correction.
	Now func() time.Time

	// Latency is added before every response; SetLatency changes it later.
	// The wait ends early, with no response, when the request's context
	// ends or the server is closed.
	Latency time.Duration

	// AnyCredentials accepts requests signed with any key pair and any
	// session token (or none): the Authorization header's form, X-Amz-Date
	// and the credential scope (date, region, service, terminator) are
	// checked as usual, and so is the 5-minute clock window, but the access
	// key ID, the session token and the signature are not. For clients
	// whose credentials you do not choose, such as another language's test
	// suite run with whatever keys its environment holds.
	AnyCredentials bool

	// RequestLogLimit caps the requests Requests reports: when it is
	// positive, only the most recent RequestLogLimit are kept. Default 0:
	// all of them, which suits a test; a long-running server wants a cap.
	RequestLogLimit int

	// RequestLogBytes caps, when positive, the bytes the request log holds
	// (headers, bodies, and a fixed overhead per entry): the oldest requests
	// are dropped past it. Default 0: no cap. Whatever the caps, a rejected
	// request (see Request.Rejected) keeps no headers or body.
	RequestLogBytes int

	// WebDriverURL is the base URL of a W3C WebDriver server on loopback,
	// such as chromedriver's http://127.0.0.1:PORT, that test grid URLs
	// pass WebDriver commands to, recording each WebDriver session as a
	// TestGridSession. Empty: the grid is off, and a new session fails with
	// a WebDriver "session not created" error saying how to turn it on.
	WebDriverURL string

	// MaxSessions caps the WebDriver sessions in progress; one more fails
	// with "session not created". Default DefaultMaxSessions (50).
	MaxSessions int

	// IdleTimeout ends a WebDriver session that received no command for
	// that long: the fake deletes it at the driver and records it ERRORED.
	// Default DefaultIdleTimeout.
	IdleTimeout time.Duration

	// SessionCreateRate caps, when positive, the WebDriver sessions created
	// in any one second of Now: one more fails with a WebDriver "session
	// not created" error (HTTP 500) naming the quota, and is not recorded
	// as a session, as with MaxSessions. Device Farm's quota is
	// QuotaSessionCreateRate. Default 0: no cap, so that parallel tests
	// never fail on it.
	SessionCreateRate int

	// URLCreateRate caps, when positive, the CreateTestGridUrl calls in any
	// one second of Now: one more fails with a 400 ThrottlingException
	// "Rate exceeded", which the SDKs retry as a throttle. Device Farm's
	// quota is QuotaURLCreateRate. Default 0: no cap.
	URLCreateRate int
}

// Server is an in-process fake of AWS Device Farm's test grid API,
// listening on a loopback address. Create it with NewServer (or
// NewUnstartedServer) and Close it when done. All methods are safe for
// concurrent use, Start excepted.
type Server struct {
	// URL is the base URL of the server, http://127.0.0.1:PORT, with no
	// trailing slash, or "" until Start. Use it as
	// devicefarm.Options.BaseEndpoint.
	URL string

	srv      *httptest.Server // nil until Start
	opts     Options          // read-only after NewServer
	epoch    time.Time
	tokenKey []byte
	signer   *v4.Signer
	latency  atomic.Int64
	done     chan struct{} // closed by Close: releases waiting handlers
	closed   sync.Once
	// tokenSerial numbers the nextTokens issued, so each is a distinct
	// string (see token.go).
	tokenSerial atomic.Uint64
	// resetSerial is the last serial issued before the last Replace: a
	// token up to it was issued for data that is gone.
	resetSerial atomic.Uint64

	store  store
	faults injector
	log    requestLog
	grid   grid
	// sessionRate and urlRate apply Options.SessionCreateRate and
	// Options.URLCreateRate.
	sessionRate, urlRate rateLimiter
}

// NewServer starts and returns a Server configured by optFns, which are
// applied in order to the default Options.
func NewServer(optFns ...func(*Options)) *Server {
	s := NewUnstartedServer(optFns...)
	s.Start()
	return s
}

// NewUnstartedServer returns a Server that does not listen yet, as
// httptest.NewUnstartedServer does: call Start to listen on loopback, or
// mount the Server, an http.Handler, on a server of your own (see
// ServeHTTP; URL then stays empty and Client cannot be used). Close it when
// done either way.
func NewUnstartedServer(optFns ...func(*Options)) *Server {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.AccessKeyID == "" {
		o.AccessKeyID = DefaultAccessKeyID
	}
	if o.SecretAccessKey == "" {
		o.SecretAccessKey = DefaultSecretAccessKey
	}
	if o.DefaultPageSize <= 0 {
		o.DefaultPageSize = DefaultPageSize
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxSessions <= 0 {
		o.MaxSessions = DefaultMaxSessions
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	s := &Server{
		opts:     o,
		epoch:    o.Epoch,
		tokenKey: make([]byte, 32),
		signer:   v4.NewSigner(),
		done:     make(chan struct{}),
	}
	if s.epoch.IsZero() {
		s.epoch = o.Now().Truncate(time.Second)
	}
	s.epoch = s.epoch.UTC()
	_, _ = rand.Read(s.tokenKey) // crypto/rand.Read never fails (Go 1.24+)
	s.latency.Store(int64(o.Latency))
	s.store.init()
	s.grid.init()
	s.sessionRate.rate = o.SessionCreateRate
	s.urlRate.rate = o.URLCreateRate
	s.log.limit = o.RequestLogLimit
	s.log.maxBytes = o.RequestLogBytes
	return s
}

// Start starts a server from NewUnstartedServer listening on a loopback
// address, and sets URL. It panics if the server was already started.
// Call it before using the server from several goroutines.
func (s *Server) Start() {
	if s.srv != nil {
		panic("devicefarmtest: Server already started")
	}
	s.srv = httptest.NewServer(s)
	s.URL = s.srv.URL
}

// Close shuts the server down. WebDriver sessions in progress end
// ERRORED, deleted at the driver (which stops their browsers). Handlers still waiting (FaultHang, Latency,
// Fault.Delay) are released first and drop their connections without a
// response, so Close never blocks on them. Close may be called more than
// once.
func (s *Server) Close() {
	s.closed.Do(func() {
		close(s.done)
		s.closeGrid()
		if s.srv != nil {
			s.srv.Close()
		}
	})
}

// Options returns a copy of the server's options, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// Epoch returns the time Seed generates sessions before.
func (s *Server) Epoch() time.Time { return s.epoch }

// Credentials returns a provider of the key pair (and session token, if
// any) that the server accepts.
func (s *Server) Credentials() aws.CredentialsProvider {
	creds := aws.Credentials{
		AccessKeyID:     s.opts.AccessKeyID,
		SecretAccessKey: s.opts.SecretAccessKey,
		SessionToken:    s.opts.SessionToken,
		Source:          "devicefarmtest",
	}
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return creds, nil
	})
}

// Client returns a devicefarm.Client for this server: BaseEndpoint is URL,
// Region and Credentials are the server's, HTTPClient is the server's
// loopback client (its idle connections are closed by Close), and Retryer
// is aws-sdk-go-v2's retry.NewStandard (3 attempts, client-side retry token
// bucket included) with zero backoff delay, so fault tests run fast. optFns
// are applied last and may override any of these. It panics if the server
// was not started (see NewUnstartedServer).
func (s *Server) Client(optFns ...func(*devicefarm.Options)) *devicefarm.Client {
	if s.srv == nil {
		panic("devicefarmtest: Client called on a Server that was not started")
	}
	o := devicefarm.Options{
		Region:       s.opts.Region,
		BaseEndpoint: s.URL,
		Credentials:  s.Credentials(),
		HTTPClient:   s.srv.Client(),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	}
	return devicefarm.New(o, optFns...)
}

// SetLatency sets the delay added before every response from now on.
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

// wait sleeps for d, returning false if the request's context ended or the
// server was closed first.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}
