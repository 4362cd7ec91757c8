// Package cpustat reads the CPU time this process has used.
package cpustat

import (
	"syscall"
	"time"
)

// Process returns the user plus system CPU time used so far by every
// thread of this process (getrusage RUSAGE_SELF): the goroutines being
// measured, and the garbage collector and runtime working for them.
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic("cpustat: getrusage: " + err.Error())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
