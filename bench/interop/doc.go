// Package interop runs "testgrid serve", the fake Device Farm of
// cmd/testgrid, as a separate process and drives it with the official
// aws-sdk-go-v2 DeviceFarm client: every test grid operation (projects,
// URLs, sessions, actions, artifacts) with its happy path, a modelled error
// and paging where it pages; every page of a seeded project; typed errors
// from aimed faults; and a throttle the SDK retries. It has only tests;
// fixture_test.go is the helper that SERVE.md shows for Go suites.
package interop
