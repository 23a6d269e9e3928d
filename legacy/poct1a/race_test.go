//go:build race

package poct1a

const raceEnabled = true
