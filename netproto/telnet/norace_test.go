//go:build !race

package telnet

const raceEnabled = false
