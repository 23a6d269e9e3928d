//go:build race

package dicom

const testingRace = true
