//go:build unix

package devdb

import (
	"syscall"
	"testing"
)

// cpuTime returns the CPU time the process has used, in nanoseconds. On a
// shared machine it is steadier than wall-clock time: time spent waiting
// for a core is not counted.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// reportCPU runs f b.N times and reports the CPU time per call as
// "cpu-ns/op" beside the wall-clock ns/op.
func reportCPU(b *testing.B, f func()) {
	b.ReportAllocs()
	start := cpuTime()
	n := 0
	for b.Loop() {
		f()
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(n), "cpu-ns/op")
	}
}
