package devicefarm_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/testgridkit/devicefarm"
)

// The examples run against a local fake of the service started with
// httptest. In real code, leave BaseEndpoint empty (the client then calls
// https://devicefarm.us-west-2.amazonaws.com) and take credentials from
// config.LoadDefaultConfig.

const exampleProjectArn = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"

func ExampleNew() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"testGridSessions":[{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e/session-1","status":"ACTIVE"}]}`)
	}))
	defer srv.Close()

	client := devicefarm.New(devicefarm.Options{
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}, nil
		}),
		BaseEndpoint:     srv.URL,
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
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"testGridSessions":[{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e/session-1","status":"CLOSED"}]}`)
	}))
	defer srv.Close()

	// Usually: cfg, err := config.LoadDefaultConfig(ctx)
	cfg := aws.Config{
		Region: "us-west-2",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}, nil
		}),
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
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amzn-RequestId", "7c2d8e0a-1b3f-4e5d-9a6c-0f1e2d3c4b5a")
		fmt.Fprint(w, `{"testGridSessions":[
			{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e/session-1",
			 "status":"CLOSED","created":1709294400.123,"ended":1709294597.456,"billingMinutes":3.28,
			 "seleniumProperties":"{\"browserName\":\"chrome\"}"}],
			"nextToken":"AAIAAb3pQ2xR1Vw7EXAMPLEtoken=="}`)
	}))
	defer srv.Close()

	client := devicefarm.New(devicefarm.Options{
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}, nil
		}),
		BaseEndpoint: srv.URL,
	})

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
	fmt.Println("request id:", out.RequestID)
	fmt.Println("more pages:", out.NextToken != "")
	// Output:
	// session-1 CLOSED 3m17.333s 3.28 chrome
	// created: 2024-03-01T12:00:00.123Z
	// request id: 7c2d8e0a-1b3f-4e5d-9a6c-0f1e2d3c4b5a
	// more pages: true
}

func ExampleNewListTestGridSessionsPaginator() {
	// A fake with two pages: the request's nextToken selects the page.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			NextToken string `json:"nextToken"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		switch req.NextToken {
		case "":
			fmt.Fprint(w, `{"testGridSessions":[{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:p/s1"},{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:p/s2"}],"nextToken":"page-2"}`)
		case "page-2":
			fmt.Fprint(w, `{"testGridSessions":[{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:p/s3"}]}`)
		}
	}))
	defer srv.Close()

	client := devicefarm.New(devicefarm.Options{
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}, nil
		}),
		BaseEndpoint: srv.URL,
	})

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
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			NextToken string `json:"nextToken"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		switch req.NextToken {
		case "":
			fmt.Fprint(w, `{"testGridSessions":[{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:p/s1","status":"CLOSED"}],"nextToken":"page-2"}`)
		case "page-2":
			fmt.Fprint(w, `{"testGridSessions":[{"arn":"arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:p/s2","status":"ACTIVE"}]}`)
		}
	}))
	defer srv.Close()

	client := devicefarm.New(devicefarm.Options{
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}, nil
		}),
		BaseEndpoint: srv.URL,
	})

	p := devicefarm.NewListTestGridSessionsPaginator(client, &devicefarm.ListTestGridSessionsInput{
		ProjectArn: exampleProjectArn,
	})
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
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amzn-RequestId", "rid-404")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"__type":"com.amazonaws.devicefarm#NotFoundException","message":"Project not found"}`)
	}))
	defer srv.Close()

	client := devicefarm.New(devicefarm.Options{
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}, nil
		}),
		BaseEndpoint: srv.URL,
	})

	_, err := client.ListTestGridSessions(context.Background(), &devicefarm.ListTestGridSessionsInput{
		ProjectArn: exampleProjectArn,
	})

	// Match the modelled error type...
	var notFound *devicefarm.NotFoundException
	if errors.As(err, &notFound) {
		fmt.Println("not found:", notFound.Message, "| request id:", notFound.RequestID)
	}
	// ...or any service error through smithy.APIError, as with aws-sdk-go-v2.
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("code:", apiErr.ErrorCode(), "| fault:", apiErr.ErrorFault())
	}
	fmt.Println(err)
	// Output:
	// not found: Project not found | request id: rid-404
	// code: NotFoundException | fault: client
	// ListTestGridSessions: devicefarm: NotFoundException: Project not found (HTTP 400 Bad Request, request id rid-404)
}
