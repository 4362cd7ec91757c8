package interop_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ours "github.com/testgridkit/devicefarm"
)

// webDriver is a W3C WebDriver client over net/http, enough for a test:
// Go has no well-kept WebDriver client to vendor.
type webDriver struct {
	hub string // the CreateTestGridUrl URL
	id  string // the session ID
}

// command sends one WebDriver command and returns its value, failing the
// test on a WebDriver error.
func (wd *webDriver) command(t *testing.T, method, path string, body any) any {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, wd.hub+path, rd)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out struct {
		Value any `json:"value"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s %s: %v", method, path, out.Value)
	return out.Value
}

// newWebDriver starts a session with capabilities caps.
func newWebDriver(t *testing.T, hub string, caps map[string]any) *webDriver {
	t.Helper()
	wd := &webDriver{hub: hub}
	v := wd.command(t, http.MethodPost, "/session", map[string]any{"capabilities": map[string]any{"alwaysMatch": caps}})
	wd.id = v.(map[string]any)["sessionId"].(string)
	return wd
}

// TestSeleniumLocally runs a Selenium-style suite against "testgrid
// serve" with a real headless Chromium: the URL from the official SDK,
// two sessions in parallel, then this library lists them CLOSED with the
// capabilities asked for, their actions are listed, their logs download,
// and "testgrid summary" sees both at once.
func TestSeleniumLocally(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromedriver"); err != nil {
		t.Skip("no /usr/bin/chromedriver (apt-get install chromium-driver)")
	}
	client, ready := StartTestgridServe(t, "--project", project)
	ctx := t.Context()
	url, err := client.CreateTestGridUrl(ctx, &devicefarm.CreateTestGridUrlInput{ProjectArn: aws.String(project), ExpiresInSeconds: aws.Int32(300)})
	require.NoError(t, err)
	hub := aws.ToString(url.Url)

	// Both sessions are open before either ends: a peak of 2.
	var started, wg sync.WaitGroup
	started.Add(2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wd := newWebDriver(t, hub, map[string]any{"browserName": "chrome", "browserVersion": "latest", "platform": "windows", "test:run": i})
			started.Done()
			started.Wait()
			page := fmt.Sprintf("data:text/html,<title>page %d</title><input id=q>", i)
			wd.command(t, http.MethodPost, "/session/"+wd.id+"/url", map[string]any{"url": page})
			assert.Equal(t, fmt.Sprintf("page %d", i), wd.command(t, http.MethodGet, "/session/"+wd.id+"/title", nil))
			el := wd.command(t, http.MethodPost, "/session/"+wd.id+"/element", map[string]any{"using": "css selector", "value": "#q"})
			var ref string
			for _, v := range el.(map[string]any) {
				ref = v.(string)
			}
			wd.command(t, http.MethodPost, "/session/"+wd.id+"/element/"+ref+"/value", map[string]any{"text": "s3cret"})
			wd.command(t, http.MethodDelete, "/session/"+wd.id, nil)
		}()
	}
	wg.Wait()

	ourClient := ours.New(ours.Options{BaseEndpoint: ready.Endpoint, Region: ready.Region,
		Credentials: credentials.NewStaticCredentialsProvider(ready.AccessKeyID, ready.SecretAccessKey, ready.SessionToken)})
	out, err := ourClient.ListTestGridSessions(ctx, &ours.ListTestGridSessionsInput{ProjectArn: project})
	require.NoError(t, err)
	require.Len(t, out.TestGridSessions, 2)
	for _, s := range out.TestGridSessions {
		assert.Equal(t, ours.TestGridSessionStatusClosed, s.Status)
		var caps map[string]any
		require.NoError(t, json.Unmarshal([]byte(s.SeleniumProperties), &caps))
		assert.Equal(t, "latest", caps["browserVersion"])
		assert.Equal(t, "windows", caps["platform"])

		actions, err := client.ListTestGridSessionActions(ctx, &devicefarm.ListTestGridSessionActionsInput{SessionArn: aws.String(s.Arn)})
		require.NoError(t, err)
		require.Len(t, actions.Actions, 6)
		assert.Equal(t, "POST /session/{sessionId}/url", aws.ToString(actions.Actions[1].Action))
		assert.Equal(t, "200", aws.ToString(actions.Actions[1].StatusCode))

		arts, err := client.ListTestGridSessionArtifacts(ctx, &devicefarm.ListTestGridSessionArtifactsInput{SessionArn: aws.String(s.Arn)})
		require.NoError(t, err)
		require.Len(t, arts.Artifacts, 1)
		assert.Equal(t, "SELENIUM_LOG", string(arts.Artifacts[0].Type))
		resp, err := http.Get(aws.ToString(arts.Artifacts[0].Url))
		require.NoError(t, err)
		log, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Contains(t, string(log), "/title")
		assert.NotContains(t, string(log), "s3cret")
	}

	cmd := exec.CommandContext(ctx, os.Getenv("TESTGRID"), "summary", "--endpoint", ready.Endpoint, "--project", project, "--output", "json")
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+ready.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+ready.SecretAccessKey, "AWS_REGION="+ready.Region)
	summary, err := cmd.Output()
	require.NoError(t, err)
	var doc struct {
		Concurrency struct {
			Peak int `json:"peak"`
		} `json:"concurrency"`
	}
	require.NoError(t, json.Unmarshal(summary, &doc))
	assert.Equal(t, 2, doc.Concurrency.Peak, "the two sessions ran at once")
}
