//go:build race

package pkttest

// RaceEnabled reports whether the race detector is on, under which
// allocation counts differ.
const RaceEnabled = true
