package uuid

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

var v4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestFormat(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "00000000-0000-4000-8000-000000000000", Format([16]byte{}))
	all := [16]byte{}
	for i := range all {
		all[i] = 0xff
	}
	assert.Equal(t, "ffffffff-ffff-4fff-bfff-ffffffffffff", Format(all))
}

func TestNew(t *testing.T) {
	t.Parallel()
	a, b := New(), New()
	assert.Regexp(t, v4, a)
	assert.NotEqual(t, a, b)
}
