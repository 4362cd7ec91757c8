package cmdutil

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAtomicFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))

	a, err := CreateAtomic(path)
	require.NoError(t, err)
	_, err = a.Write([]byte("half"))
	require.NoError(t, err)
	a.Abort()
	a.Abort()
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "old", string(got), "an aborted write leaves the file as it was")
	assertOnlyFile(t, dir, "out.json")

	a, err = CreateAtomic(path)
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
	assertOnlyFile(t, dir, "out.json")
	assert.Error(t, a.Commit(), "committed twice")

	_, err = CreateAtomic(filepath.Join(dir, "missing", "out.json"))
	assert.Error(t, err)
}

// assertOnlyFile asserts that dir holds one file, name: no temporary file
// is left behind.
func assertOnlyFile(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{name}, names)
}
