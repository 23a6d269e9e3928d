//go:build !race

package devdb

const raceEnabled = false
