package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
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
