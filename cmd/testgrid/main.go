package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cli"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/cmdutil"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, restore the default handling, so that a second
	// Ctrl-C kills the process at once.
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr, cmdutil.Env{})
	stop()
	os.Exit(code)
}
