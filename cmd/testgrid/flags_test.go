package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
)

func TestParseSessionsArgs(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	o, err := parseSessionsArgs([]string{
		"--project=" + testProject, "-status", "errored", "--created-after", "90m",
		"--created-before=2025-03-10T11:59:59Z", "--ended-after", "2025-03-01", "--ended-before", "1w",
		"--page-size", "1000", "--max-items=5", "--output", "JSON", "--region", "us-west-2", "--profile", "ci",
		"--endpoint", "https://devicefarm.example.com/base",
	}, now)
	require.NoError(t, err)
	assert.Equal(t, &sessionsOptions{
		project:       testProject,
		status:        devicefarm.TestGridSessionStatusErrored,
		createdAfter:  now.Add(-90 * time.Minute),
		createdBefore: time.Date(2025, 3, 10, 11, 59, 59, 0, time.UTC),
		endedAfter:    time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
		endedBefore:   now.Add(-7 * 24 * time.Hour),
		pageSize:      1000,
		maxItems:      5,
		output:        formatJSON,
		region:        "us-west-2",
		profile:       "ci",
		endpoint:      "https://devicefarm.example.com/base",
		query: resumeQuery{
			Project:       testProject,
			Status:        "ERRORED",
			CreatedAfter:  &timeBound{Raw: "90m", At: now.Add(-90 * time.Minute)},
			CreatedBefore: &timeBound{Raw: "2025-03-10T11:59:59Z", At: time.Date(2025, 3, 10, 11, 59, 59, 0, time.UTC)},
			EndedAfter:    &timeBound{Raw: "2025-03-01", At: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
			EndedBefore:   &timeBound{Raw: "1w", At: now.Add(-7 * 24 * time.Hour)},
		},
	}, o)
	assert.Equal(t, &devicefarm.ListTestGridSessionsInput{
		ProjectArn:         testProject,
		Status:             devicefarm.TestGridSessionStatusErrored,
		CreationTimeAfter:  o.createdAfter,
		CreationTimeBefore: o.createdBefore,
		EndTimeAfter:       o.endedAfter,
		EndTimeBefore:      o.endedBefore,
	}, o.input())
}

func TestParseSessionsArgsDefaults(t *testing.T) {
	t.Parallel()
	o, err := parseSessionsArgs([]string{"--demo"}, time.Now())
	require.NoError(t, err)
	assert.Equal(t, &sessionsOptions{output: formatTable, demo: true}, o, "no filters, service page size, no limit")

	o, err = parseSessionsArgs([]string{"--project", testProject}, time.Now())
	require.NoError(t, err)
	assert.Equal(t, &sessionsOptions{project: testProject, output: formatTable, query: resumeQuery{Project: testProject}}, o)
}
