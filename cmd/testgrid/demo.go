package main

import (
	"fmt"
	"io"
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// demoProject is the project that --demo lists when --project is not given.
const demoProject = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:7d3f6a2e-5b1c-4e8f-9a06-2c4b8d1e0f53"

// announceDemo, with --demo, says on stderr that the sessions listed are
// generated, not from AWS, and lists demoProject unless --project was
// given.
func announceDemo(stderr io.Writer, o *sessionsOptions) {
	if !o.demo {
		return
	}
	if o.project == "" {
		o.project = demoProject
	}
	fmt.Fprintln(stderr, "testgrid: demo mode: generated sessions from a built-in fake service, not from AWS")
}

// The demo project holds demoSessions sessions generated from demoSeed, so
// every run shows the same sessions, created during the 30 days before now.
const (
	demoSessions = 250
	demoSeed     = 20250301
)

// startDemo starts the in-process fake service (devicefarmtest) holding the
// demo project, and returns a client for it and a function that stops it.
// now anchors the generated sessions, so that relative filters such as
// --created-after 24h find some. No AWS configuration is read.
func startDemo(now time.Time, clientOptions []func(*devicefarm.Options)) (*devicefarm.Client, func()) {
	srv := devicefarmtest.NewServer(func(o *devicefarmtest.Options) {
		o.Epoch = now
	})
	srv.Seed(demoProject, demoSessions, demoSeed)
	fns := append([]func(*devicefarm.Options){func(o *devicefarm.Options) { o.AppID = appID }}, clientOptions...)
	return srv.Client(fns...), srv.Close
}
