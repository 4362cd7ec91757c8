package devicefarmtest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// TestInjectAimed checks matching by operation, by project (through
// projectArn or a session's ARN) and by the Nth matching request.
func TestInjectAimed(t *testing.T) {
	s := newServer(t)
	ss := s.Seed(projectArn, 20, 1)
	s.Seed(projectArn2, 20, 2)
	c := s.Client(oneAttempt)

	// The 3rd ListTestGridSessions page of projectArn, twice.
	inj := s.Inject(devicefarmtest.Match{Operation: "listtestgridsessions", ProjectArn: projectArn, Nth: 3, Times: 2}, devicefarmtest.Throttling())
	assert.Equal(t, devicefarmtest.Match{Operation: "ListTestGridSessions", ProjectArn: projectArn, Nth: 3, Times: 2}, inj.Match())
	other := &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn2}
	mine := &devicefarm.ListTestGridSessionsInput{ProjectArn: projectArn, MaxResult: 5}
	for range 3 {
		_, err := c.ListTestGridSessions(ctx, other)
		require.NoError(t, err, "another project's requests do not count")
	}
	callOp(t, s, "GetTestGridProject", `{"projectArn":"`+projectArn+`"}`) // another operation
	var outcome []string
	for range 5 {
		_, err := c.ListTestGridSessions(ctx, mine)
		if err != nil {
			outcome = append(outcome, apiError(t, err).ErrorCode())
			continue
		}
		outcome = append(outcome, "ok")
	}
	assert.Equal(t, []string{"ok", "ok", "ThrottlingException", "ThrottlingException", "ok"}, outcome)
	assert.Equal(t, 2, inj.Fired())
	assert.Zero(t, inj.Pending())

	// A session's ARN names its project.
	require.NoError(t, s.AddActions(ss[0].Arn, devicefarmtest.Action{Action: "GET /title"}))
	inj = s.Inject(devicefarmtest.Match{ProjectArn: projectArn}, devicefarmtest.NotFound())
	r := callOp(t, s, "ListTestGridSessionActions", `{"sessionArn":"`+ss[0].Arn+`"}`)
	requireError(t, r, http.StatusBadRequest, devicefarm.CodeNotFoundException, "(injected fault)")
	assert.Equal(t, 1, inj.Fired())

	// Never fired: visible, with its counts.
	never := s.Inject(devicefarmtest.Match{Operation: "DeleteTestGridProject", ProjectArn: projectArn2}, devicefarmtest.InternalError())
	callOp(t, s, "GetTestGridProject", `{"projectArn":"`+projectArn2+`"}`)
	assert.Equal(t, []*devicefarmtest.Injection{never}, s.PendingFaults())
	assert.Zero(t, never.Fired())
	s.ClearFaults(projectArn)
	assert.Len(t, s.PendingFaults(), 1, "only projectArn's are cleared")
	s.ClearFaults(projectArn2)
	assert.Empty(t, s.PendingFaults())
}

// TestInjectPresets checks that each modelled exception has a preset with
// the status the service sends, and that Preset finds them in any case.
func TestInjectPresets(t *testing.T) {
	for _, tc := range []struct {
		names  []string
		status int
		code   string
	}{
		{[]string{"NotFound", "notfound", "NotFoundException"}, 400, devicefarm.CodeNotFoundException},
		{[]string{"Argument", "ARGUMENT", "argumentexception"}, 400, devicefarm.CodeArgumentException},
		{[]string{"InternalError", "InternalService", "internalserviceexception"}, 500, devicefarm.CodeInternalServiceException},
		{[]string{"LimitExceeded", "limitexceeded"}, 400, "LimitExceededException"},
		{[]string{"ServiceAccount", "serviceaccountexception"}, 400, "ServiceAccountException"},
		{[]string{"CannotDelete"}, 400, "CannotDeleteException"},
		{[]string{"Throttling", "THROTTLING", "ThrottlingException"}, 400, "ThrottlingException"},
		{[]string{"ServiceUnavailable"}, 503, "ServiceUnavailableException"},
		{[]string{"AccessDenied", "accessdeniedexception"}, 400, "AccessDeniedException"},
	} {
		for _, n := range tc.names {
			f, ok := devicefarmtest.Preset(n)
			require.True(t, ok, n)
			assert.Equal(t, devicefarmtest.FaultError, f.Kind, n)
			assert.Equal(t, tc.status, f.Status, n)
			assert.Equal(t, tc.code, f.Code, n)
			assert.NotEmpty(t, f.Message, n)
		}
	}
	_, ok := devicefarmtest.Preset("Exception")
	assert.False(t, ok)
	assert.Contains(t, devicefarmtest.PresetNames(), "NotFound")
}

// TestInjectSharedServer runs 16 parallel tests on one server, each aiming
// its faults at its own project: each sees its own faults at the request
// it aimed at, and nothing else. Run it with -race -count=20.
func TestInjectSharedServer(t *testing.T) {
	s := newServer(t)
	c := s.Client(oneAttempt)
	for i := range 16 {
		t.Run(fmt.Sprint("test", i), func(t *testing.T) {
			t.Parallel()
			project := fmt.Sprintf("arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:00000000-0000-4000-8000-%012d", i)
			s.Seed(project, 30, int64(i))
			nth := 1 + i%5
			code := fmt.Sprintf("Test%dException", i)
			page := s.Inject(devicefarmtest.Match{Operation: "ListTestGridSessions", ProjectArn: project, Nth: nth},
				devicefarmtest.Fault{Kind: devicefarmtest.FaultError, Status: http.StatusBadRequest, Code: code, Message: "aimed"})
			get := s.Inject(devicefarmtest.Match{Operation: "GetTestGridProject", ProjectArn: project, Nth: 2}, devicefarmtest.NotFound())
			defer s.ClearFaults(project)

			in := &devicefarm.ListTestGridSessionsInput{ProjectArn: project, MaxResult: 5}
			var failed []int
			for call := 1; call <= 7; call++ {
				if _, err := c.ListTestGridSessions(ctx, in); err != nil {
					require.Equal(t, code, apiError(t, err).ErrorCode(), "another test's fault")
					failed = append(failed, call)
				}
				if call <= 3 {
					r := callOp(t, s, "GetTestGridProject", `{"projectArn":"`+project+`"}`)
					if call == 2 {
						requireError(t, r, http.StatusBadRequest, devicefarm.CodeNotFoundException)
					} else {
						require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
					}
				}
			}
			assert.Equal(t, []int{nth}, failed)
			assert.Equal(t, 1, page.Fired())
			assert.Equal(t, 1, get.Fired())
		})
	}
}

// TestPaginationFaultsOnEveryList: FaultEmptyPage and FaultRepeatToken
// work on the list operations besides ListTestGridSessions, and the other
// operations answer normally when they take one.
func TestPaginationFaultsOnEveryList(t *testing.T) {
	s := newServer(t)
	arn := s.Seed(projectArn, 1, 1)[0].Arn
	s.AddProject(devicefarmtest.Project{Arn: projectArn2})
	require.NoError(t, s.AddActions(arn, devicefarmtest.Action{Action: "a"}, devicefarmtest.Action{Action: "b"}))
	for _, tc := range []struct{ op, body, items string }{
		{"ListTestGridProjects", `{"maxResult":1}`, "testGridProjects"},
		{"ListTestGridSessionActions", `{"sessionArn":"` + arn + `","maxResult":1}`, "actions"},
	} {
		s.Inject(devicefarmtest.Match{Operation: tc.op}, emptyPage)
		out := callJSON(t, s, tc.op, tc.body)
		assert.Empty(t, out[tc.items], tc.op)
		token := out["nextToken"].(string)
		body := strings.TrimSuffix(tc.body, "}") + `,"nextToken":"` + token + `"}`
		first := callJSON(t, s, tc.op, body)
		require.Len(t, first[tc.items], 1, "the token resumes where the call started")
		assert.Equal(t, callJSON(t, s, tc.op, tc.body)[tc.items], first[tc.items])

		second := strings.TrimSuffix(tc.body, "}") + `,"nextToken":"` + first["nextToken"].(string) + `"}`
		s.Inject(devicefarmtest.Match{Operation: tc.op}, repeatToken)
		out = callJSON(t, s, tc.op, second)
		assert.Equal(t, first["nextToken"], out["nextToken"], "%s: the request's own token", tc.op)
	}
	s.Inject(devicefarmtest.Match{Operation: "GetTestGridProject"}, emptyPage)
	out := callJSON(t, s, "GetTestGridProject", `{"projectArn":"`+projectArn+`"}`)
	assert.Equal(t, projectArn, out["testGridProject"].(map[string]any)["arn"])
}
