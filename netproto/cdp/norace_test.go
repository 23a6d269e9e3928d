//go:build !race

package cdp

const raceEnabled = false
