package compat_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	official "github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/aws/smithy-go/tracing/smithyoteltracing"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// devicefarmtest is an ordinary awsJson1.1 endpoint that checks SigV4
// signatures, so the official aws-sdk-go-v2 client works against it too:
// point BaseEndpoint at srv.URL and sign with srv.Credentials().
func Example_officialClientWithDevicefarmtest() {
	// A fixed epoch: generated sessions depend on it, so the output is the
	// same on every day.
	srv := devicefarmtest.NewServer(func(o *devicefarmtest.Options) {
		o.Epoch = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	})
	defer srv.Close()
	const project = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"
	srv.Seed(project, 120, 1) // the same sessions for the same seed

	client := official.New(official.Options{
		Region:       "us-west-2",
		Credentials:  srv.Credentials(),
		BaseEndpoint: aws.String(srv.URL),
	}, func(o *official.Options) {
		// smithy-go has a race that a fast fake sets off: see
		// GuardRequestBodies.
		o.HTTPClient = devicefarmtest.GuardRequestBodies(o.HTTPClient)
	})

	ctx := context.Background()
	p := official.NewListTestGridSessionsPaginator(client, &official.ListTestGridSessionsInput{
		ProjectArn: aws.String(project),
	})
	var pages, sessions int
	var first string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		pages++
		for _, s := range page.TestGridSessions {
			if sessions == 0 {
				first = aws.ToString(s.Arn)
			}
			sessions++
		}
	}
	fmt.Printf("%d sessions in %d pages\n", sessions, pages)
	fmt.Println("first:", first)
	// Output:
	// 120 sessions in 3 pages
	// first: arn:aws:devicefarm:us-west-2:123456789012:testgrid-session:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11/968543cd-dcbe-430d-8c0d-8d5a3992287b
}

// OpenTelemetry reaches our client the way it reaches the official one:
// smithy-go's smithyoteltracing adapts an OpenTelemetry TracerProvider to
// Options.TracerProvider. Here the SDK's in-memory exporter records the
// spans of one call that was throttled once and then succeeded; spans are
// exported as they end, children first.
func Example_openTelemetry() {
	srv := devicefarmtest.NewServer()
	defer srv.Close()
	const project = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"
	srv.Seed(project, 3, 1)
	srv.Inject(devicefarmtest.Match{}, devicefarmtest.Throttling())

	exporter := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	ctx := context.Background()
	defer func() { _ = tp.Shutdown(ctx) }()

	client := srv.Client(func(o *devicefarm.Options) {
		o.TracerProvider = smithyoteltracing.Adapt(tp)
	})
	if _, err := client.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: project}); err != nil {
		fmt.Println("error:", err)
		return
	}

	for _, s := range exporter.GetSpans() {
		line := []string{s.Name, s.SpanKind.String(), s.InstrumentationScope.Name}
		for _, kv := range s.Attributes {
			if kv.Key == "operation.attempt" || kv.Key == "rpc.method" {
				line = append(line, string(kv.Key)+"="+kv.Value.String())
			}
		}
		if s.Status.Code.String() != "Unset" {
			line = append(line, "status="+s.Status.Code.String())
		}
		fmt.Println(strings.Join(line, " "))
	}
	// Output:
	// Attempt internal github.com/testgridkit/devicefarm operation.attempt=1
	// Attempt internal github.com/testgridkit/devicefarm operation.attempt=2
	// RetryLoop internal github.com/testgridkit/devicefarm
	// Device Farm.ListTestGridSessions client github.com/testgridkit/devicefarm rpc.method=ListTestGridSessions status=Ok
}
