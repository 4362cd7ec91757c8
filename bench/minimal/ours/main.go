// Command ours is the smallest useful program built on this module: one
// ListTestGridSessions call, with credentials from the environment read by
// a few lines of code instead of aws-sdk-go-v2/config, so that it links only
// this module, aws-sdk-go-v2 core and smithy-go. run.sh builds it to
// measure binary size.
//
// Usage: ours PROJECT-ARN (set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// optionally AWS_SESSION_TOKEN and DEVICEFARM_ENDPOINT).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/testgridkit/devicefarm"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: ours PROJECT-ARN")
		os.Exit(2)
	}
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{
			AccessKeyID:     os.Getenv("AWS_ACCESS_KEY_ID"),
			SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
			SessionToken:    os.Getenv("AWS_SESSION_TOKEN"),
			Source:          "environment",
		}, nil
	})
	c := devicefarm.New(devicefarm.Options{Credentials: creds, BaseEndpoint: os.Getenv("DEVICEFARM_ENDPOINT")})
	out, err := c.ListTestGridSessions(context.Background(), &devicefarm.ListTestGridSessionsInput{ProjectArn: os.Args[1]})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, s := range out.TestGridSessions {
		fmt.Println(s.Arn, s.Status, s.Created.Format("2006-01-02T15:04:05Z"))
	}
}
