// Command official is the same program as ../ours written the way users of
// the official SDK write it: config.LoadDefaultConfig, then the generated
// DeviceFarm client. run.sh builds it to measure binary size.
//
// Usage: official PROJECT-ARN (credentials and region come from the usual
// AWS environment and files; AWS_ENDPOINT_URL_DEVICE_FARM overrides the
// endpoint).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/devicefarm"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: official PROJECT-ARN")
		os.Exit(2)
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-west-2"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	c := devicefarm.NewFromConfig(cfg)
	out, err := c.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: aws.String(os.Args[1])})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, s := range out.TestGridSessions {
		fmt.Println(aws.ToString(s.Arn), s.Status, aws.ToTime(s.Created).Format("2006-01-02T15:04:05Z"))
	}
}
