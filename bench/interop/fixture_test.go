package interop_test

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// Ready is the line "testgrid serve" prints on stdout once it listens.
type Ready struct {
	Endpoint        string    `json:"endpoint"`
	Control         string    `json:"control"` // the control API's base URL
	Region          string    `json:"region"`
	AccessKeyID     string    `json:"accessKeyId"`
	SecretAccessKey string    `json:"secretAccessKey"`
	SessionToken    string    `json:"sessionToken"`
	Epoch           time.Time `json:"epoch"`
	PageSize        int       `json:"pageSize"`
	Projects        []struct {
		Arn      string `json:"arn"`
		Sessions int    `json:"sessions"`
	} `json:"projects"`
}

// StartTestgridServe runs "testgrid serve args..." (the binary named by
// $TESTGRID, else testgrid on PATH) for the rest of the test, and returns
// its ready line and an official SDK client pointed at it. At the end of
// the test the fake is stopped with SIGTERM and must exit with status 0.
func StartTestgridServe(t *testing.T, args ...string) (*devicefarm.Client, Ready) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	cmd := exec.CommandContext(ctx, cmp.Or(os.Getenv("TESTGRID"), "testgrid"), append([]string{"serve"}, args...)...)
	cmd.Stderr = os.Stderr // its notices; nothing secret
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		cancel()
		t.Fatalf("testgrid serve: %v", err)
	}
	lines, drained := make(chan string, 1), make(chan struct{})
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, r)
		close(drained)
	}()
	t.Cleanup(func() {
		defer cancel()
		if cmd.Process.Signal(syscall.SIGTERM) != nil {
			cancel() // no SIGTERM (Windows): kill it
		}
		select {
		case <-drained:
		case <-time.After(10 * time.Second):
			t.Errorf("testgrid serve did not stop within 10s of SIGTERM")
			cancel()
			<-drained
		}
		if err := cmd.Wait(); err != nil && ctx.Err() == nil {
			t.Errorf("testgrid serve: %v", err) // not a graceful exit with status 0
		}
	})

	var ready Ready
	select {
	case line := <-lines:
		if err := json.Unmarshal([]byte(line), &ready); err != nil {
			t.Fatalf("testgrid serve: no ready line: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("testgrid serve: no ready line within 30s")
	}
	client := devicefarm.New(devicefarm.Options{
		Region:       ready.Region,
		BaseEndpoint: aws.String(ready.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(ready.AccessKeyID, ready.SecretAccessKey, ready.SessionToken),
	}, func(o *devicefarm.Options) {
		// A fake on loopback answers fast enough to set off a race in
		// smithy-go that fails about 1 call in 100: see
		// devicefarmtest.GuardRequestBodies.
		o.HTTPClient = devicefarmtest.GuardRequestBodies(o.HTTPClient)
	})
	return client, ready
}
