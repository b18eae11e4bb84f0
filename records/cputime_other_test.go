//go:build !unix

package records

// cpuTime is not measured here; benchmarks report wall time only.
func cpuTime() (float64, bool) { return 0, false }
