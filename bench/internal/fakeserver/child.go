package fakeserver

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

// EnvChild is set in the environment of the child process that Start
// launches; its value is the magic word childMagic.
const EnvChild = "DEVICEFARM_BENCH_FAKESERVER"

const childMagic = "serve"

// IsChild reports whether this process is a server child started by Start.
// A binary that calls Start must, early in main or TestMain, call RunChild
// when IsChild is true.
func IsChild() bool { return os.Getenv(EnvChild) == childMagic }

// RunChild serves the fake on a loopback port until its standard input
// closes, then exits the process. It never returns.
//
// The protocol on the pipes: the first line written to standard output is
// the server's URL. Each line read from standard input is a command,
// answered by one line of JSON Stats on standard output: "stats" returns
// the counts, "reset" returns them and zeroes them. End of input (the parent
// closed the pipe, or died) exits at once, so the child never outlives its
// parent.
func RunChild() {
	h := NewHandler()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeserver:", err)
		os.Exit(2)
	}
	srv := &http.Server{
		Handler:           h,
		ConnState:         h.ConnState,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       5 * time.Minute,
	}
	go func() {
		err := srv.Serve(ln)
		fmt.Fprintln(os.Stderr, "fakeserver:", err)
		os.Exit(2)
	}()
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(out, "http://%s\n", ln.Addr())
	_ = out.Flush()
	serveCommands(h, bufio.NewScanner(os.Stdin), out)
	os.Exit(0)
}

// serveCommands answers commands from in until it ends.
func serveCommands(h *Handler, in *bufio.Scanner, out *bufio.Writer) {
	enc := json.NewEncoder(out)
	for in.Scan() {
		var st Stats
		switch in.Text() {
		case "stats":
			st = h.Stats()
		case "reset":
			st = h.Reset()
		default:
			fmt.Fprintf(os.Stderr, "fakeserver: unknown command %q\n", in.Text())
			st = Stats{Requests: -1, Conns: -1}
		}
		_ = enc.Encode(st)
		_ = out.Flush()
	}
}
