package cli

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmd/sessions"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmd/summary"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmd/version"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

func TestServeHelpTopic(t *testing.T) {
	t.Parallel()
	r := runTestgrid(t.Context(), cmdutil.Env{}, "help", "serve")
	assert.Equal(t, cmdutil.ExitOK, r.code)
	assert.Contains(t, r.stdout, "testgrid serve [--addr HOST:PORT]")
	r = runTestgrid(t.Context(), cmdutil.Env{}, "--help")
	assert.Contains(t, r.stdout, "serve      run a fake Device Farm")
}

func TestVersionCommand(t *testing.T) {
	t.Parallel()
	bi, _ := debug.ReadBuildInfo()
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		r := runTestgrid(t.Context(), cmdutil.Env{}, args...)
		assert.Equal(t, cmdutil.ExitOK, r.code, args)
		assert.Equal(t, version.Text(bi), r.stdout, args)
		assert.Empty(t, r.stderr, args)
	}
	r := runTestgrid(t.Context(), cmdutil.Env{}, "version", "--json")
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "testgrid: unexpected argument \"--json\": testgrid version takes none\nrun 'testgrid --help' for usage\n", r.stderr)
	assert.Contains(t, mainUsage, "\n  version ")
}

func TestSummaryHelpTopic(t *testing.T) {
	t.Parallel()
	r := runTestgrid(t.Context(), cmdutil.Env{}, "help", "summary")
	assert.Equal(t, cmdutil.ExitOK, r.code)
	assert.Equal(t, summary.Usage, r.stdout)
	assert.Empty(t, r.stderr)
	r = runTestgrid(t.Context(), cmdutil.Env{}, "help")
	assert.Contains(t, r.stdout, "\n  summary ")
}

func TestCommandUsageErrors(t *testing.T) {
	t.Parallel()
	r := runTestgrid(t.Context(), cmdutil.Env{})
	assert.Equal(t, cmdutil.ExitUsage, r.code)
	assert.Equal(t, mainUsage, r.stderr)
	assert.Empty(t, r.stdout)

	for _, args := range [][]string{{"session"}, {"--demo"}, {"help", "nope"}, {"help", "sessions", "more"}} {
		r := runTestgrid(t.Context(), cmdutil.Env{}, args...)
		assert.Equal(t, cmdutil.ExitUsage, r.code, args)
		assert.Empty(t, r.stdout)
		l := lines(r.stderr)
		if assert.Len(t, l, 2, r.stderr) {
			assert.True(t, strings.HasPrefix(l[0], "testgrid: unknown "), l[0])
			assert.Equal(t, "run 'testgrid --help' for usage", l[1])
		}
	}
}

func TestMainHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		r := runTestgrid(t.Context(), cmdutil.Env{}, args...)
		assert.Equal(t, cmdutil.ExitOK, r.code)
		assert.Equal(t, mainUsage, r.stdout)
		assert.Empty(t, r.stderr)
	}
	r := runTestgrid(t.Context(), cmdutil.Env{}, "help", "sessions")
	assert.Equal(t, cmdutil.ExitOK, r.code)
	assert.Equal(t, sessions.Usage, r.stdout)
	assert.Empty(t, r.stderr)
}
