// Package fakeserver is a stand-in for the DeviceFarm ListTestGridSessions
// endpoint, for benchmarks. It serves pre-rendered, realistic pages (see
// SessionAt and the scenario constants), counts requests and TCP
// connections, and runs in a child process (Start, RunChild) so that the
// process being measured contains only the client.
package fakeserver
