// Command localgriddemo runs a small Selenium-style workload through a
// "testgrid serve" with a real headless Chromium, then writes "testgrid
// summary --output html" of what the fake recorded: SERVE.md's example
// report, docs/examples/local-grid-summary.html.
//
//	go build -o /tmp/testgrid ./cmd/testgrid
//	cd bench && go run ./cmd/localgriddemo -testgrid /tmp/testgrid > ../docs/examples/local-grid-summary.html
//
// Ten sessions, at most four at once, each loading a page and reading it;
// one is abandoned, and ends ERRORED at serve's 2-second --idle-timeout.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/devicefarm"

	"github.com/testgridkit/devicefarm/bench/localgrid"
)

const project = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11"

func main() {
	testgrid := flag.String("testgrid", "testgrid", "the testgrid binary")
	flag.Parse()
	if err := run(*testgrid); err != nil {
		log.Fatal(err)
	}
}

func run(testgrid string) error {
	ctx := context.Background()
	serve := exec.Command(testgrid, "serve", "--project", project, "--idle-timeout", "2s")
	serve.Stderr = os.Stderr
	out, err := serve.StdoutPipe()
	if err != nil {
		return err
	}
	if err := serve.Start(); err != nil {
		return err
	}
	defer func() { _ = serve.Process.Signal(syscall.SIGTERM); _ = serve.Wait() }()
	line, err := bufio.NewReader(out).ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("no ready line: %w", err)
	}
	var ready struct {
		Endpoint, Region, AccessKeyID, SecretAccessKey string
	}
	if err := json.Unmarshal(line, &ready); err != nil {
		return err
	}
	client := devicefarm.New(devicefarm.Options{
		BaseEndpoint: aws.String(ready.Endpoint), Region: ready.Region,
		Credentials: credentials.NewStaticCredentialsProvider(ready.AccessKeyID, ready.SecretAccessKey, ""),
	})
	u, err := client.CreateTestGridUrl(ctx, &devicefarm.CreateTestGridUrlInput{ProjectArn: aws.String(project), ExpiresInSeconds: aws.Int32(600)})
	if err != nil {
		return err
	}
	hub := aws.ToString(u.Url)

	browsers := []map[string]any{
		{"browserName": "chrome", "browserVersion": "latest", "platform": "windows"},
		{"browserName": "firefox", "browserVersion": "latest-1", "platform": "windows"},
		{"browserName": "MicrosoftEdge", "browserVersion": "latest", "platform": "windows"},
	}
	slots := make(chan struct{}, 4)
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := range 10 {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			s, err := localgrid.Start(hub, browsers[i%len(browsers)])
			if err != nil {
				errs <- err
				return
			}
			for p := range 3 + i%4 {
				page := fmt.Sprintf("data:text/html,<title>run %d page %d</title><h1>checkout</h1>", i, p)
				if _, err := s.Do(http.MethodPost, "/url", map[string]any{"url": page}); err != nil {
					errs <- err
				}
				if _, err := s.Do(http.MethodGet, "/title", nil); err != nil {
					errs <- err
				}
			}
			if i == 6 {
				return // abandoned: the idle timeout ends it
			}
			if err := s.Quit(); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	// Wait for the abandoned session to end.
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		l, err := client.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: aws.String(project), Status: "ACTIVE"})
		if err != nil {
			return err
		}
		if len(l.TestGridSessions) == 0 {
			break
		}
	}
	summary := exec.Command(testgrid, "summary", "--endpoint", ready.Endpoint, "--project", project, "--output", "html")
	summary.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+ready.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+ready.SecretAccessKey, "AWS_REGION="+ready.Region)
	summary.Stdout, summary.Stderr = os.Stdout, os.Stderr
	return summary.Run()
}
