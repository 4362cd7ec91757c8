//go:build !go1.26

package cli

import (
	"os"
	"testing"
)

// artifactDir returns where a test keeps files for later inspection.
// Before Go 1.26's T.ArtifactDir, it is a new directory under
// os.TempDir() that is not removed; the test logs the files' paths.
func artifactDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "testgrid-"+t.Name()+"-")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
