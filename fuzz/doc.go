// Package fuzz holds cross-package and differential fuzz targets (run them
// with go test -fuzz), and cmd/fuzzall, the runner that finds every Fuzz
// target in the module and runs each in turn:
//
//	go run ./fuzz/cmd/fuzzall -time 10s
//
// Crashers land in the package's testdata/fuzz/FuzzXxx directory, where go
// test replays them as regression seeds.
package fuzz
