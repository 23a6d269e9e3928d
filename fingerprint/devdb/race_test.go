//go:build race

package devdb

const raceEnabled = true
