//go:build !race

package lldp

const raceEnabled = false
