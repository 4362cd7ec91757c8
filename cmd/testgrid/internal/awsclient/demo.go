// Package awsclient opens the devicefarm client a command lists with: from
// the AWS configuration, or an in-process fake for --demo.
package awsclient

import (
	"time"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/devicefarmtest"
)

// DemoProject is the project that --demo lists when --project is not given.
const DemoProject = "arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:7d3f6a2e-5b1c-4e8f-9a06-2c4b8d1e0f53"

// The demo project holds demoSessions sessions generated from demoSeed, so
// every run shows the same sessions, created during the 30 days before now.
const (
	DemoSessions = 250
	DemoSeed     = 20250301
)

// startDemo starts the in-process fake service (devicefarmtest) holding the
// demo project, and returns a client for it and a function that stops it.
// now anchors the generated sessions, so that relative filters such as
// --created-after 24h find some. No AWS configuration is read.
func startDemo(now time.Time, clientOptions []func(*devicefarm.Options)) (*devicefarm.Client, func()) {
	srv := devicefarmtest.NewServer(func(o *devicefarmtest.Options) {
		o.Epoch = now
	})
	srv.Seed(DemoProject, DemoSessions, DemoSeed)
	fns := append([]func(*devicefarm.Options){func(o *devicefarm.Options) { o.AppID = appID }}, clientOptions...)
	return srv.Client(fns...), srv.Close
}

// appID is added to the User-Agent ("app/testgrid") unless the AWS
// configuration names another application.
const appID = "testgrid"
