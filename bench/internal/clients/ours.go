package clients

import (
	"context"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/bench/internal/fakeserver"
)

// ours is this module's client with default options.
type ours struct {
	c *devicefarm.Client
}

// NewOurs returns devicefarm.New with only the endpoint and credentials set.
func NewOurs(endpoint string) (Client, error) {
	return ours{devicefarm.New(devicefarm.Options{BaseEndpoint: endpoint, Credentials: creds})}, nil
}

func (o ours) input(maxResult int32) *devicefarm.ListTestGridSessionsInput {
	return &devicefarm.ListTestGridSessionsInput{ProjectArn: fakeserver.ProjectARN, MaxResult: maxResult}
}

// List implements Client.
func (o ours) List(ctx context.Context, maxResult int32) (int, error) {
	out, err := o.c.ListTestGridSessions(ctx, o.input(maxResult))
	if err != nil {
		return 0, err
	}
	return len(out.TestGridSessions), nil
}

// Walk implements Client with devicefarm.NewListTestGridSessionsPaginator.
func (o ours) Walk(ctx context.Context, pageSize int32) (int, error) {
	p := devicefarm.NewListTestGridSessionsPaginator(o.c, o.input(pageSize))
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return n, err
		}
		n += len(out.TestGridSessions)
	}
	return n, nil
}

// Sessions implements Decoder.
func (o ours) Sessions(ctx context.Context, maxResult int32) ([]Session, error) {
	out, err := o.c.ListTestGridSessions(ctx, o.input(maxResult))
	if err != nil {
		return nil, err
	}
	ss := make([]Session, len(out.TestGridSessions))
	for i, s := range out.TestGridSessions {
		ss[i] = Session{
			Arn:                s.Arn,
			Status:             string(s.Status),
			Created:            s.Created.UTC(),
			Ended:              s.Ended.UTC(),
			BillingMinutes:     s.BillingMinutes,
			SeleniumProperties: s.SeleniumProperties,
		}
	}
	return ss, nil
}
