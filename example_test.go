package devicefarm_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// The examples run against devicefarmtest, the package's in-process fake of
// the service. In real code, leave BaseEndpoint empty (the client then calls
// https://devicefarm.us-west-2.amazonaws.com) and take credentials from
// config.LoadDefaultConfig.

const exampleProjectArn = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"

// exampleSession returns a session of the example project.
func exampleSession(id string, status devicefarm.TestGridSessionStatus, created time.Time) devicefarm.TestGridSession {
	s := devicefarm.TestGridSession{
		Arn:                "arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/" + id,
		Status:             status,
		Created:            created,
		SeleniumProperties: `{"browserName":"chrome"}`,
	}
	if status != devicefarm.TestGridSessionStatusActive {
		s.Ended = created.Add(3*time.Minute + 17333*time.Millisecond)
		s.BillingMinutes = 3.28
	}
	return s
}

var exampleStart = time.Date(2024, 3, 1, 12, 0, 0, 123e6, time.UTC)

func ExampleNew() {
	srv := devicefarmtest.NewServer()
	defer srv.Close()
	srv.AddSessions(exampleProjectArn, exampleSession("session-1", devicefarm.TestGridSessionStatusActive, exampleStart))

	client := devicefarm.New(devicefarm.Options{
		Credentials:      srv.Credentials(), // usually from config.LoadDefaultConfig
		BaseEndpoint:     srv.URL,           // usually left empty
		RetryMaxAttempts: 5,
	})
	fmt.Println("region:", client.Options().Region)

	out, err := client.ListTestGridSessions(context.Background(), &devicefarm.ListTestGridSessionsInput{
		ProjectArn: exampleProjectArn,
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, s := range out.TestGridSessions {
		fmt.Println(s.ID(), s.Status)
	}
	// Output:
	// region: us-west-2
	// session-1 ACTIVE
}

func ExampleNewFromConfig() {
	srv := devicefarmtest.NewServer()
	defer srv.Close()
	srv.AddSessions(exampleProjectArn, exampleSession("session-1", devicefarm.TestGridSessionStatusClosed, exampleStart))

	// Usually: cfg, err := config.LoadDefaultConfig(ctx)
	cfg := aws.Config{
		Region:       "us-west-2",
		Credentials:  srv.Credentials(),
		BaseEndpoint: aws.String(srv.URL),
	}
	client := devicefarm.NewFromConfig(cfg, func(o *devicefarm.Options) {
		o.AppID = "my-test-runner"
	})

	out, err := client.ListTestGridSessions(context.Background(), &devicefarm.ListTestGridSessionsInput{
		ProjectArn: exampleProjectArn,
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(len(out.TestGridSessions), "session:", out.TestGridSessions[0].ID())
	// Output:
	// 1 session: session-1
}

func ExampleClient_ListTestGridSessions() {
	srv := devicefarmtest.NewServer()
	defer srv.Close()
	srv.AddSessions(exampleProjectArn,
		exampleSession("session-1", devicefarm.TestGridSessionStatusClosed, exampleStart),
		exampleSession("session-2", devicefarm.TestGridSessionStatusActive, exampleStart.Add(time.Hour)),
		exampleSession("session-3", devicefarm.TestGridSessionStatusClosed, exampleStart.Add(2*time.Hour)),
	)
	client := srv.Client()

	out, err := client.ListTestGridSessions(context.Background(), &devicefarm.ListTestGridSessionsInput{
		ProjectArn: exampleProjectArn,
		Status:     devicefarm.TestGridSessionStatusClosed,
		MaxResult:  1,
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, s := range out.TestGridSessions {
		props, _ := s.DecodeSeleniumProperties()
		fmt.Println(s.ID(), s.Status, s.Duration(), s.BillingMinutes, props["browserName"])
		fmt.Println("created:", s.Created.Format("2006-01-02T15:04:05.000Z07:00"))
	}
	fmt.Println("has request id:", out.RequestID != "")
	fmt.Println("more pages:", out.NextToken != "")
	// Output:
	// session-1 CLOSED 3m17.333s 3.28 chrome
	// created: 2024-03-01T12:00:00.123Z
	// has request id: true
	// more pages: true
}

func ExampleNewListTestGridSessionsPaginator() {
	srv := devicefarmtest.NewServer()
	defer srv.Close()
	for i := range 3 {
		srv.AddSessions(exampleProjectArn, exampleSession(fmt.Sprint("s", i+1), devicefarm.TestGridSessionStatusClosed, exampleStart.Add(time.Duration(i)*time.Minute)))
	}
	client := srv.Client()

	p := devicefarm.NewListTestGridSessionsPaginator(client, &devicefarm.ListTestGridSessionsInput{
		ProjectArn: exampleProjectArn,
	}, func(o *devicefarm.ListTestGridSessionsPaginatorOptions) {
		o.Limit = 2 // page size
	})
	for page := 1; p.HasMorePages(); page++ {
		out, err := p.NextPage(context.Background())
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Printf("page %d: %d sessions\n", page, len(out.TestGridSessions))
	}
	// Output:
	// page 1: 2 sessions
	// page 2: 1 sessions
}

func ExampleListTestGridSessionsPaginator_Sessions() {
	srv := devicefarmtest.NewServer()
	defer srv.Close()
	srv.AddSessions(exampleProjectArn,
		exampleSession("s1", devicefarm.TestGridSessionStatusClosed, exampleStart),
		exampleSession("s2", devicefarm.TestGridSessionStatusActive, exampleStart.Add(time.Minute)),
	)
	client := srv.Client()

	p := devicefarm.NewListTestGridSessionsPaginator(client, &devicefarm.ListTestGridSessionsInput{
		ProjectArn: exampleProjectArn,
	}, func(o *devicefarm.ListTestGridSessionsPaginatorOptions) { o.Limit = 1 })
	for s, err := range p.Sessions(context.Background()) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(s.ID(), s.Status)
	}
	// Output:
	// s1 CLOSED
	// s2 ACTIVE
}

func ExampleNotFoundException() {
	srv := devicefarmtest.NewServer() // knows no project at all
	defer srv.Close()
	client := srv.Client()

	_, err := client.ListTestGridSessions(context.Background(), &devicefarm.ListTestGridSessionsInput{
		ProjectArn: exampleProjectArn,
	})

	// Match the modelled error type...
	var notFound *devicefarm.NotFoundException
	if errors.As(err, &notFound) {
		fmt.Println("not found:", notFound.Message, "| HTTP", notFound.StatusCode, "| has request id:", notFound.RequestID != "")
	}
	// ...or any service error through smithy.APIError, as with aws-sdk-go-v2.
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("code:", apiErr.ErrorCode(), "| fault:", apiErr.ErrorFault())
	}
	// Output:
	// not found: Project arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11 was not found. | HTTP 400 | has request id: true
	// code: NotFoundException | fault: client
}
