//go:build !race

package devicefarm

// raceDetector reports whether the tests run under the race detector.
const raceDetector = false
