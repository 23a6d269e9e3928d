//go:build !race

package bench

import (
	"bytes"
	"testing"

	"github.com/medtap/medtap/dicom"
)

func TestDICOMAllocs(t *testing.T) {
	for _, name := range dicomFiles {
		data := dicomTestdata(t, name)
		var p dicom.Parser
		var s dicomTypedScratch
		dicomWalk(&p, data)
		dicomWalkTyped(&p, data, &s)
		if n := testing.AllocsPerRun(10, func() {
			if _, err := dicomWalk(&p, data); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("%s: walk: %v allocs, want 0", name, n)
		}
		r := dicom.NewReader(nil)
		var br bytes.Reader
		dicomReaderWalk(r, &br, data)
		if n := testing.AllocsPerRun(10, func() {
			if _, err := dicomReaderWalk(r, &br, data); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("%s: reader walk: %v allocs, want 0", name, n)
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
