package version

import (
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/testgridkit/devicefarm"
)

func TestVersionText(t *testing.T) {
	t.Parallel()
	platform := runtime.GOOS + "/" + runtime.GOARCH
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build information", nil,
			"testgrid: unknown\nlibrary: devicefarm " + devicefarm.Version + "\ngo: " + runtime.Version() + " " + platform + "\n"},
		{"built from a checkout", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: libraryModule, Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "6a50d0c1f2e3d4c5b6a79880a1b2c3d4e5f60718"}, {Key: "vcs.modified", Value: "true"}}},
			"testgrid: (devel)\ncommit: 6a50d0c1f2e3 (modified)\nlibrary: devicefarm " + devicefarm.Version + "\ngo: go1.26.0 " + platform + "\n"},
		{"go install @v0.3.0", &debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Path: libraryModule + "/cmd/testgrid", Version: "v0.3.0"}, Deps: []*debug.Module{{Path: libraryModule, Version: "v0.3.0"}}},
			"testgrid: v0.3.0\nlibrary: devicefarm " + devicefarm.Version + " (module v0.3.0)\ngo: go1.26.1 " + platform + "\n"},
		{"the library as a dependency", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "example.com/tools"},
			Deps: []*debug.Module{{Path: "golang.org/x/term", Version: "v0.40.0"}, {Path: libraryModule, Version: "v0.2.0"}}},
			"testgrid: (devel)\nlibrary: devicefarm " + devicefarm.Version + " (module v0.2.0)\ngo: go1.26.0 " + platform + "\n"},
		{"a replaced dependency", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "example.com/tools", Version: "v1.0.0"},
			Deps: []*debug.Module{{Path: libraryModule, Version: "v0.2.0", Replace: &debug.Module{Path: "../devicefarm"}}}},
			"testgrid: v1.0.0\nlibrary: devicefarm " + devicefarm.Version + " (local checkout)\ngo: go1.26.0 " + platform + "\n"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Text(tt.bi), tt.name)
	}
}

func TestVersionTextWithoutModuleVersion(t *testing.T) {
	t.Parallel()
	bi := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "example.com/tools"}}
	assert.Contains(t, Text(bi), "testgrid: (devel)\n", "a main module without a version is a development build")
}
