package serve

import (
	"errors"
	"flag"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

func TestParseServeArgs(t *testing.T) {
	t.Parallel()
	o, err := NewOptions(nil, testNow)
	require.NoError(t, err)
	assert.Equal(t, &Options{
		addr:            "127.0.0.1:0",
		region:          "us-west-2",
		accessKeyID:     devicefarmtest.DefaultAccessKeyID,
		secretAccessKey: devicefarmtest.DefaultSecretAccessKey,
		pageSize:        50,
		epoch:           testNow,
		chromedriver:    "/usr/bin/chromedriver",
		maxSessions:     devicefarmtest.DefaultMaxSessions,
		idleTimeout:     5 * time.Minute,
		limits:          defaultLimits,
	}, o)

	o, err = NewOptions([]string{"--webdriver", "http://127.0.0.1:9515", "--max-sessions", "2", "--idle-timeout", "30s", "--chromedriver", "none"}, testNow)
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9515", o.webdriver)
	assert.Equal(t, 2, o.maxSessions)
	assert.Equal(t, 30*time.Second, o.idleTimeout)
	assert.Equal(t, noChromedriver, o.chromedriver)
	for _, bad := range [][]string{
		{"--webdriver", "http://192.0.2.1:9515"},
		{"--webdriver", "https://127.0.0.1:9515"},
		{"--webdriver", "http://user:pw@127.0.0.1:9515"},
		{"--max-sessions", "0"},
		{"--max-sessions", "1001"},
		{"--idle-timeout", "10ms"},
		{"--chromedriver", ""},
		{"--session-rate", "-1"},
		{"--url-rate", "-1"},
	} {
		_, err = NewOptions(bad, testNow)
		var ue *cmdutil.UsageError
		assert.ErrorAs(t, err, &ue, "%q", bad)
	}

	o, err = NewOptions([]string{
		"--addr", "0.0.0.0:8080", "--region", "eu-west-1", "--access-key-id", "AKID", "--secret-access-key", "S",
		"--session-token", "T", "--any-credentials", "--page-size", "20", "--latency", "250ms", "--epoch", "2025-01-02",
		"--project", testProject, "--sessions", "137", "--seed", "7",
		"--project", otherProject,
		"--load", "a.json", "--load", "b.ndjson",
	}, testNow)
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0:8080", o.addr)
	assert.Equal(t, "eu-west-1", o.region)
	assert.Equal(t, "T", o.sessionToken)
	assert.True(t, o.anyCredentials)
	assert.Equal(t, 20, o.pageSize)
	assert.Equal(t, 250*time.Millisecond, o.latency)
	assert.Equal(t, time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), o.epoch)
	assert.Equal(t, []projectSeed{
		{project: testProject, sessions: 137, seed: 7, sessionsSet: true, seedSet: true},
		{project: otherProject, seed: 1},
	}, o.seeds)
	assert.Equal(t, []string{"a.json", "b.ndjson"}, o.loads)

	o, err = NewOptions([]string{"--request-log", "5", "--request-log-mb", "2", "--max-stored-sessions", "10", "--max-faults", "3",
		"--max-conns", "4", "--read-timeout", "1s", "--write-timeout", "2s", "--conn-idle-timeout", "3s"}, testNow)
	require.NoError(t, err)
	assert.Equal(t, limits{requestLog: 5, requestLogBytes: 2 << 20, maxSessions: 10, maxFaults: 3, maxConns: 4,
		readTimeout: time.Second, writeTimeout: 2 * time.Second, idleTimeout: 3 * time.Second}, o.limits)

	for _, tc := range []struct {
		args                 []string
		sessionRate, urlRate int
	}{
		{nil, 0, 0},
		{[]string{"--session-rate", "3", "--url-rate", "7"}, 3, 7},
		{[]string{"--quotas"}, devicefarmtest.QuotaSessionCreateRate, devicefarmtest.QuotaURLCreateRate},
		{[]string{"--quotas", "--url-rate", "0"}, 5, 0},
		{[]string{"--session-rate", "2", "--quotas"}, 2, 10},
		{[]string{"--quotas=false", "--url-rate", "4"}, 0, 4},
	} {
		o, err = NewOptions(tc.args, testNow)
		require.NoError(t, err, "%q", tc.args)
		assert.Equal(t, [2]int{tc.sessionRate, tc.urlRate}, [2]int{o.sessionRate, o.urlRate}, "%q", tc.args)
	}

	o, err = NewOptions([]string{"--epoch", "1h"}, testNow)
	require.NoError(t, err)
	assert.Equal(t, testNow.Add(-time.Hour), o.epoch, "a duration before now")

	_, err = NewOptions([]string{"--help"}, testNow)
	assert.True(t, errors.Is(err, flag.ErrHelp))
}

func TestParseServeArgsErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--sessions", "3"}, "--sessions must follow the --project it applies to"},
		{[]string{"--seed", "3", "--project", testProject}, "--seed must follow the --project"},
		{[]string{"--project", testProject, "--sessions", "3", "--sessions", "4"}, "--sessions given twice for --project " + testProject},
		{[]string{"--project", testProject, "--sessions", "-1"}, `"-1" is not a number of sessions from 0 to 1000000`},
		{[]string{"--project", testProject, "--sessions", "1000001"}, "is not a number of sessions"},
		{[]string{"--project", testProject, "--seed", "x"}, `"x" is not an integer`},
		// The rule's wording is the library's.
		{[]string{"--project", "arn:aws:s3:::bucket"}, `invalid value "arn:aws:s3:::bucket" for flag --project: "arn:aws:s3:::bucket" `},
		{[]string{"--project", "arn:aws:devicefarm:x"}, `invalid value "arn:aws:devicefarm:x" for flag --project: "arn:aws:devicefarm:x" `},
		{[]string{"--addr", "8080"}, `--addr "8080" is not HOST:PORT`},
		{[]string{"--region", " "}, "--region is empty"},
		{[]string{"--secret-access-key", ""}, "--secret-access-key is empty"},
		{[]string{"--page-size", "0"}, "--page-size 0 is out of range"},
		{[]string{"--page-size", "1001"}, "--page-size 1001 is out of range"},
		{[]string{"--latency", "-1s"}, "--latency -1s is out of range"},
		{[]string{"--max-stored-sessions", "0"}, "--max-stored-sessions 0 is out of range"},
		{[]string{"--conn-idle-timeout", "0s"}, "--conn-idle-timeout 0s is out of range"},
		{[]string{"--request-log-mb", "0"}, "is not a number of MiB"},
		{[]string{"--session-rate", "-1"}, "--session-rate -1 is out of range: it must be 0 (no cap) to 1000000"},
		{[]string{"--quotas", "--url-rate", "-5"}, "--url-rate -5 is out of range"},
		{[]string{"--url-rate", "1000001"}, "--url-rate 1000001 is out of range"},
		{[]string{"--latency", "soon"}, "invalid value \"soon\" for flag --latency"},
		{[]string{"--epoch", "yesterday"}, "--epoch:"},
		{[]string{"--load", ""}, "empty file name"},
		{[]string{"--nope"}, "flag provided but not defined: --nope"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		t.Run(tc.want, func(t *testing.T) {
			_, err := NewOptions(tc.args, testNow)
			var ue *cmdutil.UsageError
			require.ErrorAs(t, err, &ue)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestServeUsageErrorsInProcess(t *testing.T) {
	t.Parallel()
	r := runTestgrid(t.Context(), cmdutil.Env{Now: func() time.Time { return testNow }}, "serve", "--page-size", "0")
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "testgrid serve: --page-size 0 is out of range: it must be 1 to 1000\nrun 'testgrid serve --help' for usage\n", r.stderr)

	r = runTestgrid(t.Context(), cmdutil.Env{}, "serve", "--session-rate", "-1")
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "testgrid serve: --session-rate -1 is out of range: it must be 0 (no cap) to 1000000\nrun 'testgrid serve --help' for usage\n", r.stderr)

	r = runTestgrid(t.Context(), cmdutil.Env{}, "serve", "--load", "/nonexistent/x.json")
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "testgrid serve: /nonexistent/x.json: cannot read: no such file or directory\n", r.stderr, "one line")

	r = runTestgrid(t.Context(), cmdutil.Env{}, "serve", "--help")
	assert.Equal(t, cmdutil.ExitOK, r.code)
	assert.Contains(t, r.stdout, "testgrid serve [--addr HOST:PORT]")
	assert.Contains(t, r.stdout, "--quotas             Device Farm's creation quotas: --session-rate 5 and\n                       --url-rate 10, unless given\n")
}

// The rate flags reach the fake; without them it applies no creation quota.
func TestServeRatesReachTheFake(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args                 []string
		sessionRate, urlRate int
	}{
		{nil, 0, 0},
		{[]string{"--quotas"}, 5, 10},
		{[]string{"--session-rate", "2", "--url-rate", "3"}, 2, 3},
	} {
		o := newServeTest(t, tc.args...).fake.Options()
		assert.Equal(t, tc.sessionRate, o.SessionCreateRate, "%q", tc.args)
		assert.Equal(t, tc.urlRate, o.URLCreateRate, "%q", tc.args)
	}
}
