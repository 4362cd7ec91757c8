package interop_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/aws/aws-sdk-go-v2/service/devicefarm/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The official SDK calls every test grid operation of "testgrid serve"
// (a separate process): the happy path, a modelled error, and paging
// where the operation pages.

// TestOfficialSDKProjects creates, gets, updates, pages and deletes
// projects.
func TestOfficialSDKProjects(t *testing.T) {
	client, ready := StartTestgridServe(t, "--project", project, "--sessions", "3")
	ctx := t.Context()

	var arns []string
	for _, name := range []string{"web", "mobile web", "nightly", "smoke", "a11y"} {
		out, err := client.CreateTestGridProject(ctx, &devicefarm.CreateTestGridProjectInput{
			Name: aws.String(name), Description: aws.String("the " + name + " suite"),
			VpcConfig: &types.TestGridVpcConfig{SecurityGroupIds: []string{"sg-1"}, SubnetIds: []string{"subnet-1"}, VpcId: aws.String("vpc-1")},
		})
		require.NoError(t, err)
		p := out.TestGridProject
		assert.Equal(t, name, aws.ToString(p.Name))
		assert.Equal(t, "vpc-1", aws.ToString(p.VpcConfig.VpcId))
		assert.WithinDuration(t, time.Now(), aws.ToTime(p.Created), time.Hour)
		arns = append(arns, aws.ToString(p.Arn))
	}

	got, err := client.GetTestGridProject(ctx, &devicefarm.GetTestGridProjectInput{ProjectArn: aws.String(arns[1])})
	require.NoError(t, err)
	assert.Equal(t, "mobile web", aws.ToString(got.TestGridProject.Name))
	upd, err := client.UpdateTestGridProject(ctx, &devicefarm.UpdateTestGridProjectInput{ProjectArn: aws.String(arns[1]), Name: aws.String("mobile")})
	require.NoError(t, err)
	assert.Equal(t, "mobile", aws.ToString(upd.TestGridProject.Name))
	assert.Equal(t, "the mobile web suite", aws.ToString(upd.TestGridProject.Description))

	p := devicefarm.NewListTestGridProjectsPaginator(client, &devicefarm.ListTestGridProjectsInput{},
		func(o *devicefarm.ListTestGridProjectsPaginatorOptions) { o.Limit = 2 })
	var listed []string
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, pr := range out.TestGridProjects {
			listed = append(listed, aws.ToString(pr.Arn))
		}
	}
	assert.Equal(t, project, listed[0], "the --project one was created first")
	assert.ElementsMatch(t, arns, listed[1:], "then those created now (ties by ARN)")
	assert.Equal(t, 3, pages)

	_, err = client.DeleteTestGridProject(ctx, &devicefarm.DeleteTestGridProjectInput{ProjectArn: aws.String(arns[0])})
	require.NoError(t, err)
	_, err = client.GetTestGridProject(ctx, &devicefarm.GetTestGridProjectInput{ProjectArn: aws.String(arns[0])})
	var nf *types.NotFoundException
	require.ErrorAs(t, err, &nf)

	// Modelled errors.
	_, err = client.CreateTestGridProject(ctx, &devicefarm.CreateTestGridProjectInput{Name: aws.String(" ")})
	var ae *types.ArgumentException
	require.ErrorAs(t, err, &ae)
	assert.Contains(t, ae.ErrorMessage(), "'name'")
	_, err = client.UpdateTestGridProject(ctx, &devicefarm.UpdateTestGridProjectInput{ProjectArn: aws.String(arns[0]), Name: aws.String("x")})
	require.ErrorAs(t, err, &nf)

	// A project with an ACTIVE session cannot be deleted.
	active := strings.Replace(project, "testgrid-project:", "testgrid-session:", 1) + "/active-1"
	control(t, ready, http.MethodPost, "/sessions", `{"testGridSessions":[{"arn":"`+active+`","status":"ACTIVE","created":1741435200}]}`)
	_, err = client.DeleteTestGridProject(ctx, &devicefarm.DeleteTestGridProjectInput{ProjectArn: aws.String(project)})
	var cd *types.CannotDeleteException
	require.ErrorAs(t, err, &cd)

	// Aimed presets surface as the SDK's typed errors. The SDK retries
	// LimitExceededException as a throttle: 3 attempts.
	control(t, ready, http.MethodPost, "/faults", `{"faults":[
		{"preset":"LimitExceeded","operation":"CreateTestGridProject","count":3},
		{"preset":"serviceaccount","operation":"ListTestGridProjects"}]}`)
	_, err = client.CreateTestGridProject(ctx, &devicefarm.CreateTestGridProjectInput{Name: aws.String("one too many")})
	var le *types.LimitExceededException
	require.ErrorAs(t, err, &le)
	// ServiceAccountException is not among ListTestGridProjects' modelled
	// errors: the SDK reports a generic API error with its code.
	_, err = client.ListTestGridProjects(ctx, &devicefarm.ListTestGridProjectsInput{})
	var generic *smithy.GenericAPIError
	require.ErrorAs(t, err, &generic)
	assert.Equal(t, "ServiceAccountException", generic.ErrorCode())
}

// TestOfficialSDKCreateTestGridURL gets a URL and its expiry; the URL is
// the fake's, and with the grid off a new session says how to turn it on.
func TestOfficialSDKCreateTestGridURL(t *testing.T) {
	client, _ := StartTestgridServe(t, "--project", project, "--sessions", "1", "--chromedriver", "none")
	before := time.Now()
	out, err := client.CreateTestGridUrl(t.Context(), &devicefarm.CreateTestGridUrlInput{ProjectArn: aws.String(project), ExpiresInSeconds: aws.Int32(300)})
	require.NoError(t, err)
	u := aws.ToString(out.Url)
	assert.Contains(t, u, "/_grid/")
	assert.WithinDuration(t, before.Add(300*time.Second), aws.ToTime(out.Expires), 5*time.Second)

	resp, err := http.Post(u+"/session", "application/json", strings.NewReader(`{"capabilities":{"alwaysMatch":{"browserName":"chrome"}}}`))
	require.NoError(t, err)
	var wd struct {
		Value struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		} `json:"value"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&wd))
	resp.Body.Close()
	assert.Equal(t, "session not created", wd.Value.Error)
	assert.Contains(t, wd.Value.Message, "chromedriver")

	_, err = client.CreateTestGridUrl(t.Context(), &devicefarm.CreateTestGridUrlInput{ProjectArn: aws.String(project), ExpiresInSeconds: aws.Int32(30)})
	var ae *types.ArgumentException
	require.ErrorAs(t, err, &ae)
	_, err = client.CreateTestGridUrl(t.Context(), &devicefarm.CreateTestGridUrlInput{ProjectArn: aws.String(strings.Replace(project, "8b5c1b1e", "00000000", 1)), ExpiresInSeconds: aws.Int32(60)})
	var nf *types.NotFoundException
	require.ErrorAs(t, err, &nf)
}

// TestOfficialSDKSessionDetails gets a session both ways, and pages its
// actions and artifacts, added through the control API; an artifact's
// URL downloads it.
func TestOfficialSDKSessionDetails(t *testing.T) {
	client, ready := StartTestgridServe(t, "--project", project, "--sessions", "5")
	ctx := t.Context()
	list, err := client.ListTestGridSessions(ctx, &devicefarm.ListTestGridSessionsInput{ProjectArn: aws.String(project)})
	require.NoError(t, err)
	s := list.TestGridSessions[0]
	arn := aws.ToString(s.Arn)
	id := arn[strings.LastIndex(arn, "/")+1:]

	byArn, err := client.GetTestGridSession(ctx, &devicefarm.GetTestGridSessionInput{SessionArn: aws.String(arn)})
	require.NoError(t, err)
	byID, err := client.GetTestGridSession(ctx, &devicefarm.GetTestGridSessionInput{ProjectArn: aws.String(project), SessionId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, arn, aws.ToString(byArn.TestGridSession.Arn))
	assert.Equal(t, byArn.TestGridSession.Created, byID.TestGridSession.Created)
	assert.Equal(t, s.BillingMinutes, byArn.TestGridSession.BillingMinutes)
	_, err = client.GetTestGridSession(ctx, &devicefarm.GetTestGridSessionInput{ProjectArn: aws.String(project), SessionId: aws.String("nope")})
	var nf *types.NotFoundException
	require.ErrorAs(t, err, &nf)

	var actions []string
	for i := range 7 {
		actions = append(actions, `{"action":"POST /session/`+id+`/element/`+string(rune('a'+i))+`/click","started":1741435201,"duration":`+string(rune('1'+i))+`,"statusCode":"200","requestMethod":"POST"}`)
	}
	control(t, ready, http.MethodPost, "/session-data", `{"sessionArn":"`+arn+`","actions":[`+strings.Join(actions, ",")+`],
		"artifacts":[{"filename":"selenium.log","type":"SELENIUM_LOG","contentType":"text/plain","text":"POST /session 200\n"},
		             {"filename":"video.mp4","type":"VIDEO","base64":"AAEC"},{"filename":"extra.txt","text":"x"}]}`)

	ap := devicefarm.NewListTestGridSessionActionsPaginator(client, &devicefarm.ListTestGridSessionActionsInput{SessionArn: aws.String(arn)},
		func(o *devicefarm.ListTestGridSessionActionsPaginatorOptions) { o.Limit = 3 })
	var got []types.TestGridSessionAction
	for ap.HasMorePages() {
		out, err := ap.NextPage(ctx)
		require.NoError(t, err)
		got = append(got, out.Actions...)
	}
	require.Len(t, got, 7)
	assert.Equal(t, int64(4), aws.ToInt64(got[3].Duration))
	assert.Equal(t, "POST", aws.ToString(got[3].RequestMethod))
	assert.Equal(t, int64(1741435201), aws.ToTime(got[3].Started).Unix())

	fp := devicefarm.NewListTestGridSessionArtifactsPaginator(client, &devicefarm.ListTestGridSessionArtifactsInput{SessionArn: aws.String(arn)},
		func(o *devicefarm.ListTestGridSessionArtifactsPaginatorOptions) { o.Limit = 2 })
	var arts []types.TestGridSessionArtifact
	for fp.HasMorePages() {
		out, err := fp.NextPage(ctx)
		require.NoError(t, err)
		arts = append(arts, out.Artifacts...)
	}
	require.Len(t, arts, 3)
	assert.Equal(t, types.TestGridSessionArtifactTypeUnknown, arts[2].Type)
	logs, err := client.ListTestGridSessionArtifacts(ctx, &devicefarm.ListTestGridSessionArtifactsInput{SessionArn: aws.String(arn), Type: types.TestGridSessionArtifactCategoryLog})
	require.NoError(t, err)
	require.Len(t, logs.Artifacts, 1)
	assert.Equal(t, types.TestGridSessionArtifactTypeSeleniumLog, logs.Artifacts[0].Type)
	resp, err := http.Get(aws.ToString(logs.Artifacts[0].Url))
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, "POST /session 200\n", string(body))

	missing := strings.Replace(arn, id, "00000000-0000-4000-8000-000000000000", 1)
	_, err = client.ListTestGridSessionActions(ctx, &devicefarm.ListTestGridSessionActionsInput{SessionArn: aws.String(missing)})
	require.ErrorAs(t, err, &nf)
	_, err = client.ListTestGridSessionArtifacts(ctx, &devicefarm.ListTestGridSessionArtifactsInput{SessionArn: aws.String(missing)})
	require.ErrorAs(t, err, &nf)
	_, err = client.ListTestGridSessionActions(ctx, &devicefarm.ListTestGridSessionActionsInput{SessionArn: aws.String(arn), MaxResult: aws.Int32(1001)})
	var ae *types.ArgumentException
	require.ErrorAs(t, err, &ae)
}

// TestOfficialSDKCreateTestGridURLQuota: past serve's --url-rate,
// CreateTestGridUrl is throttled, and the official client classifies the
// error as a throttle (so its retryer backs off as from the service).
func TestOfficialSDKCreateTestGridURLQuota(t *testing.T) {
	client, _ := StartTestgridServe(t, "--project", project, "--sessions", "1", "--chromedriver", "none", "--url-rate", "2")
	in := &devicefarm.CreateTestGridUrlInput{ProjectArn: aws.String(project), ExpiresInSeconds: aws.Int32(60)}
	oneAttempt := func(o *devicefarm.Options) { o.RetryMaxAttempts = 1 }
	var err error
	// Two calls a second pass; calls made back to back meet the quota
	// within a few (bounded: a loaded machine may spread the first ones
	// over more than a second).
	for range 20 {
		if _, err = client.CreateTestGridUrl(t.Context(), in, oneAttempt); err != nil {
			break
		}
	}
	var ae smithy.APIError
	require.ErrorAs(t, err, &ae, "no call was throttled")
	assert.Equal(t, "ThrottlingException", ae.ErrorCode())
	assert.Contains(t, ae.ErrorMessage(), "CreateTestGridUrl is limited to 2 calls per second")
	assert.Equal(t, aws.TrueTernary, retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err), "a throttle to the official retryer")
}
