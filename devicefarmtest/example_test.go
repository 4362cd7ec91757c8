package devicefarmtest_test

import (
	"context"
	"errors"
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
	srv.Inject(devicefarmtest.Match{}, devicefarmtest.Throttling()) // the client retries it
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
	// first: cee47f31-7b87-45d9-acd8-3e9322089dda 2024-02-03T02:10:54.893Z 0.5
	// errored sessions: 10
	// 400 ThrottlingException
	// 200
}

// Faults are taken one per HTTP request, not one per call: a call that the
// client retries takes an injected fault for every attempt it makes.
func ExampleServer_Inject() {
	srv := devicefarmtest.NewServer()
	defer srv.Close()

	const project = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"
	srv.Seed(project, 3, 1)
	srv.Inject(devicefarmtest.Match{Times: 2}, devicefarmtest.Throttling())

	// One call: the first two attempts are throttled, and the client
	// (3 attempts by default) retries until the third succeeds.
	out, err := srv.Client().ListTestGridSessions(context.Background(), &devicefarm.ListTestGridSessionsInput{ProjectArn: project})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println("sessions:", len(out.TestGridSessions))
	fmt.Println("faults left:", len(srv.PendingFaults()))
	for _, r := range srv.Requests() {
		fmt.Println(r.StatusCode, r.ErrorCode, r.Fault != nil)
	}
	// Output:
	// sessions: 3
	// faults left: 0
	// 400 ThrottlingException true
	// 400 ThrottlingException true
	// 200  false
}

// Tests that share one server aim their faults at their own project: here
// only the third page request of project a fails, and project b's
// listing is untouched.
func ExampleMatch() {
	srv := devicefarmtest.NewServer()
	defer srv.Close()
	const (
		a = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:aaaaaaaa-0000-4000-8000-000000000000"
		b = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:bbbbbbbb-0000-4000-8000-000000000000"
	)
	srv.Seed(a, 30, 1)
	srv.Seed(b, 30, 2)
	notFound, _ := devicefarmtest.Preset("notfound") // any case, or the code "NotFoundException"
	inj := srv.Inject(devicefarmtest.Match{Operation: "ListTestGridSessions", ProjectArn: a, Nth: 3}, notFound)

	client := srv.Client()
	for _, project := range []string{b, a} {
		p := devicefarm.NewListTestGridSessionsPaginator(client, &devicefarm.ListTestGridSessionsInput{ProjectArn: project},
			func(o *devicefarm.ListTestGridSessionsPaginatorOptions) { o.Limit = 10 })
		pages := 0
		for p.HasMorePages() {
			if _, err := p.NextPage(context.Background()); err != nil {
				var nf *devicefarm.NotFoundException
				fmt.Println(project[len(project)-36:len(project)-28], "page", pages+1, "failed:", errors.As(err, &nf))
				break
			}
			pages++
		}
		fmt.Println(project[len(project)-36:len(project)-28], "pages:", pages)
	}
	fmt.Println("fired:", inj.Fired(), "pending:", len(srv.PendingFaults()))
	// Output:
	// bbbbbbbb pages: 3
	// aaaaaaaa page 3 failed: true
	// aaaaaaaa pages: 2
	// fired: 1 pending: 0
}
