package devicefarm

// SyncBuffer is the internal tests' concurrency-safe log buffer, exported to
// the external tests (package devicefarm_test) of this directory only.
type SyncBuffer = syncBuffer
