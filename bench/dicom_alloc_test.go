//go:build !race

package bench

import (
	"testing"

	"github.com/medtap/medtap/dicom"
)

func TestDICOMAllocs(t *testing.T) {
	for _, name := range dicomFiles {
		data := dicomTestdata(t, name)
		var p dicom.Parser
		var s typedScratch
		dicomWalk(&p, data)
		dicomWalkTyped(&p, data, &s)
		if n := testing.AllocsPerRun(10, func() {
			if _, err := dicomWalk(&p, data); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("%s: walk: %v allocs, want 0", name, n)
		}
		if n := testing.AllocsPerRun(10, func() {
			if _, err := dicomWalkTyped(&p, data, &s); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("%s: typed walk: %v allocs, want 0", name, n)
		}
	}
}
