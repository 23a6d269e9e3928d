//go:build race

package astm

const raceEnabled = true
