// Package version is "testgrid version": the versions of testgrid, its
// library and Go.
package version

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

// libraryModule is the module of the devicefarm package.
const libraryModule = "github.com/testgridkit/devicefarm"

// Run runs "testgrid version" (also "testgrid --version").
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		return cmdutil.UsageFailure(stderr, "testgrid", fmt.Errorf("unexpected argument %q: testgrid version takes none", args[0]))
	}
	bi, _ := debug.ReadBuildInfo()
	fmt.Fprint(stdout, Text(bi))
	return cmdutil.ExitOK
}

// Text renders the version report from the build information (nil
// when the binary has none), as "key: value" lines:
//
//	testgrid: v0.2.0
//	commit: 6a50d0c1f2e3 (modified)
//	library: devicefarm 0.2.0
//	go: go1.26.0 linux/amd64
//
// testgrid is the main module's version: a release tag when installed with
// "go install ...@version", "(devel)" when built from a checkout. commit is
// the VCS revision stamped by "go build" in a checkout (with "(modified)"
// for uncommitted changes), left out when there is none. library is
// devicefarm.Version, the library's own idea of its version, followed by
// the module version it was built from when the library is a dependency
// of another main module. go is the toolchain and platform.
func Text(bi *debug.BuildInfo) string {
	var b strings.Builder
	mainVersion, goVersion := "unknown", runtime.Version()
	library := "devicefarm " + devicefarm.Version
	var revision string
	var modified bool
	if bi != nil {
		mainVersion, goVersion = bi.Main.Version, bi.GoVersion
		if mainVersion == "" {
			mainVersion = "(devel)"
		}
		for _, dep := range bi.Deps {
			if dep.Path == libraryModule {
				switch {
				case dep.Replace != nil && dep.Replace.Version == "", dep.Replace == nil && orDevel(dep.Version) == "(devel)":
					// A directory: a replace, or a go.work, as in this repository.
					library += " (local checkout)"
				case dep.Replace != nil:
					library += fmt.Sprintf(" (module %s)", orDevel(dep.Replace.Version))
				default:
					library += fmt.Sprintf(" (module %s)", orDevel(dep.Version))
				}
			}
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	fmt.Fprintf(&b, "testgrid: %s\n", mainVersion)
	if revision != "" {
		if len(revision) > 12 {
			revision = revision[:12]
		}
		if modified {
			revision += " (modified)"
		}
		fmt.Fprintf(&b, "commit: %s\n", revision)
	}
	fmt.Fprintf(&b, "library: %s\n", library)
	fmt.Fprintf(&b, "go: %s %s/%s\n", goVersion, runtime.GOOS, runtime.GOARCH)
	return b.String()
}

func orDevel(v string) string {
	if v == "" {
		return "(devel)"
	}
	return v
}
