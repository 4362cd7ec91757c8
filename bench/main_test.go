package bench

import (
	"fmt"
	"os"
	"testing"

	"github.com/testgridkit/devicefarm/bench/internal/fakeserver"
)

// server is the fake service shared by the tests and benchmarks, started
// by TestMain in a child process.
var server *fakeserver.Process

// TestMain starts the fake server in a child process (this same binary,
// re-executed) and stops it after the tests. In the child it serves instead.
func TestMain(m *testing.M) {
	if fakeserver.IsChild() {
		fakeserver.RunChild() // never returns
	}
	var err error
	server, err = fakeserver.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if err := server.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}
