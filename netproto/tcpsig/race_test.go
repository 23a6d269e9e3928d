//go:build race

package tcpsig

const raceEnabled = true
