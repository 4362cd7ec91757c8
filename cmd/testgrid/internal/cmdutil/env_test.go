package cmdutil

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsTerminal(t *testing.T) {
	t.Parallel()
	assert.False(t, isTerminal(&bytes.Buffer{}, os.Getenv), "not a file")
	f, err := os.CreateTemp(t.TempDir(), "out")
	if assert.NoError(t, err) {
		defer f.Close()
		assert.False(t, isTerminal(f, os.Getenv), "a regular file")
	}
	devnull, err := os.Open(os.DevNull)
	if assert.NoError(t, err) {
		defer devnull.Close()
		assert.False(t, isTerminal(devnull, os.Getenv), "a character device that is not a terminal")
	}
}
