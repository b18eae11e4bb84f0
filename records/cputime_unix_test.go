//go:build unix

package records

import "syscall"

// cpuTime is the process's user and system CPU time so far, in
// microseconds: steadier than wall time on a machine shared with other work.
func cpuTime() (float64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e3, true
}
