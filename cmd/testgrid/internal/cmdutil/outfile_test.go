package cmdutil_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/clitest"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

func TestAtomicFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))

	a, err := cmdutil.CreateAtomic(path)
	require.NoError(t, err)
	_, err = a.Write([]byte("half"))
	require.NoError(t, err)
	a.Abort()
	a.Abort()
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "old", string(got), "an aborted write leaves the file as it was")
	clitest.AssertDirHolds(t, dir, "out.json")

	a, err = cmdutil.CreateAtomic(path)
	require.NoError(t, err)
	_, err = a.Write([]byte("new"))
	require.NoError(t, err)
	require.NoError(t, a.Commit())
	a.Abort() // no effect after Commit
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new", string(got))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the replaced file's mode is kept")
	clitest.AssertDirHolds(t, dir, "out.json")
	assert.Error(t, a.Commit(), "committed twice")

	_, err = cmdutil.CreateAtomic(filepath.Join(dir, "missing", "out.json"))
	assert.Error(t, err)
}
