//go:build unix

package tmx

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process has used, in all its threads:
// benchmarks report throughput per CPU second too, which a machine shared
// with other work does not distort as it does wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
