// Package bench holds side-by-side benchmarks: medtap against the best
// other library for each job, and against the machine's own limits, in one
// `go test ./bench -bench . -benchmem` run. See README.md for how to read
// and compare runs.
package bench
