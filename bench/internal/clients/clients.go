// Package clients puts the clients being compared behind one interface:
// this module's client ("ours"), the official aws-sdk-go-v2 service client
// ("official"), a minimal hand-written client ("floor") and a bare signed
// exchange that decodes nothing ("transport").
package clients

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Region is the region every client signs for.
const Region = "us-west-2"

// creds are the static credentials every client signs with.
var creds = credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "")

// Client is one way of calling ListTestGridSessions.
type Client interface {
	// List makes one call for maxResult sessions and returns how many
	// sessions it decoded.
	List(ctx context.Context, maxResult int32) (int, error)
	// Walk lists every page of pageSize sessions, following nextToken with
	// the client's own paginator, and returns how many sessions it decoded.
	Walk(ctx context.Context, pageSize int32) (int, error)
}

// Decoder is a Client whose decoded sessions can be compared.
type Decoder interface {
	Client
	// Sessions makes one call for maxResult sessions and returns them in
	// the common form.
	Sessions(ctx context.Context, maxResult int32) ([]Session, error)
}

// Session is a decoded session in a form common to all clients. It has the
// same fields as fakeserver.Session, so the two convert into each other.
type Session struct {
	Arn                string
	Status             string
	Created            time.Time
	Ended              time.Time // zero when the response had no "ended"
	BillingMinutes     float64
	SeleniumProperties string
}

// Spec names a client and builds it.
type Spec struct {
	// Name is the client's name in benchmark names: ours, official, floor
	// or transport.
	Name string
	// Decodes is false for transport, which reads responses without
	// decoding them, so its List and Walk always return 0 sessions.
	Decodes bool
	// Flaky marks a client known to fail some calls against a fast
	// loopback server even after its retries: the official client, whose
	// request-body wrapper races net/http's body check, so net/http closes
	// the connection while the response is being read (aws-sdk-go-v2 issue
	// #2737; see README.md). Benchmarks count its failures instead of
	// stopping.
	Flaky bool
	// New returns a client calling the service at endpoint.
	New func(endpoint string) (Client, error)
}

// All lists every client, in a fixed order.
var All = []Spec{
	{Name: "ours", Decodes: true, New: NewOurs},
	{Name: "official", Decodes: true, Flaky: true, New: NewOfficial},
	{Name: "floor", Decodes: true, New: NewFloor},
	{Name: "transport", Decodes: false, New: NewTransport},
}

// utc returns t in UTC, or the zero time for nil.
func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
