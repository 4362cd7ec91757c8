//go:build go1.26

package cli

import "testing"

// artifactDir returns where a test keeps files for later inspection:
// testing's ArtifactDir (Go 1.26), kept under -outputdir with
// go test -artifacts, else removed after the test.
func artifactDir(t *testing.T) string { return t.ArtifactDir() }
