//go:build !race

package astm

const raceEnabled = false
