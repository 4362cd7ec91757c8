// Package bench compares this module's DeviceFarm client with the official
// aws-sdk-go-v2 client, a minimal hand-written client and the bare HTTP
// exchange, against one fake server running in a child process.
//
// The package has no code of its own: its tests check that every client
// decodes the same sessions and keeps one connection, and its benchmarks
// (BenchmarkList) measure time, allocations and process CPU per call. See
// README.md and run.sh.
package bench
