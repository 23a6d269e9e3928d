//go:build !race

package tcpsig

const raceEnabled = false
