package devicefarmtest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

func ExampleNewServer() {
	srv := devicefarmtest.NewServer(func(o *devicefarmtest.Options) {
		o.Epoch = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC) // deterministic Seed
	})
	defer srv.Close()

	const project = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"
	srv.Seed(project, 120, 1)
	srv.FailNext(1, devicefarmtest.Throttling()) // the client retries it
	client := srv.Client()

	ctx := context.Background()
	p := devicefarm.NewListTestGridSessionsPaginator(client, &devicefarm.ListTestGridSessionsInput{
		ProjectArn: project,
		Status:     devicefarm.TestGridSessionStatusErrored,
	}, func(o *devicefarm.ListTestGridSessionsPaginatorOptions) { o.Limit = 5 })
	n := 0
	for s, err := range p.Sessions(ctx) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		if n == 0 {
			fmt.Println("first:", s.ID(), s.Created.Format(time.RFC3339Nano), s.BillingMinutes)
		}
		n++
	}
	fmt.Println("errored sessions:", n)

	for _, r := range srv.Requests()[:2] {
		fmt.Println(r.StatusCode, r.ErrorCode)
	}
	// Output:
	// first: e754457b-ff1a-487f-b538-c1e725c18550 2024-02-02T12:14:32.6Z 45.09
	// errored sessions: 9
	// 400 ThrottlingException
	// 200
}
