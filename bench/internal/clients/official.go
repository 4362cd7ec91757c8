package clients

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/testgridkit/devicefarm/bench/internal/fakeserver"
)

// official is aws-sdk-go-v2's generated DeviceFarm client with its default
// retryer and HTTP client.
type official struct {
	c *devicefarm.Client
}

// NewOfficial returns devicefarm.NewFromConfig with only the region,
// credentials and endpoint set.
func NewOfficial(endpoint string) (Client, error) {
	cfg := aws.Config{Region: Region, Credentials: creds}
	return official{devicefarm.NewFromConfig(cfg, func(o *devicefarm.Options) {
		o.BaseEndpoint = aws.String(endpoint)
	})}, nil
}

func (o official) input(maxResult int32) *devicefarm.ListTestGridSessionsInput {
	return &devicefarm.ListTestGridSessionsInput{ProjectArn: aws.String(fakeserver.ProjectARN), MaxResult: aws.Int32(maxResult)}
}

// List implements Client.
func (o official) List(ctx context.Context, maxResult int32) (int, error) {
	out, err := o.c.ListTestGridSessions(ctx, o.input(maxResult))
	if err != nil {
		return 0, err
	}
	return len(out.TestGridSessions), nil
}

// Walk implements Client with devicefarm.NewListTestGridSessionsPaginator.
func (o official) Walk(ctx context.Context, pageSize int32) (int, error) {
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
func (o official) Sessions(ctx context.Context, maxResult int32) ([]Session, error) {
	out, err := o.c.ListTestGridSessions(ctx, o.input(maxResult))
	if err != nil {
		return nil, err
	}
	ss := make([]Session, len(out.TestGridSessions))
	for i, s := range out.TestGridSessions {
		ss[i] = Session{
			Arn:                aws.ToString(s.Arn),
			Status:             string(s.Status),
			Created:            utc(s.Created),
			Ended:              utc(s.Ended),
			BillingMinutes:     aws.ToFloat64(s.BillingMinutes),
			SeleniumProperties: aws.ToString(s.SeleniumProperties),
		}
	}
	return ss, nil
}
