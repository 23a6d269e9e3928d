//go:build !race

package ul

import (
	"testing"

	"github.com/medtap/medtap/dicom"
)

// TestObjectAllocs checks that summarising stored objects with every
// equipment element, in each encoding, allocates nothing once the buffers
// have grown, with a header budget that cuts the datasets of the native
// encodings inside their pixel data. (The deflated one compresses to less
// than the budget: package dicom inflates only a whole deflated stream.)
func TestObjectAllocs(t *testing.T) {
	segs := objectAssociation()
	for i, enc := range []dicom.Encoding{imp, dicom.ExplicitVRLittleEndian, dicom.ExplicitVRBigEndian, dicom.DeflatedExplicitVRLittleEndian} {
		ctx := uint8(2*i + 1)
		cmd := cmdSet(CStoreRQ, uint16(i+1), all(str(tagAffectedSOPClass, dicom.UI, uidCTImage), us(tagDataSetType, 0)))
		ds := dicom.AppendElement(equipment(nil, enc), enc, tagPixelData, dicom.OB, noise(3000))
		if enc == dicom.DeflatedExplicitVRLittleEndian {
			ds = deflate(dicom.AppendElement(equipment(nil, enc), enc, tagPixelData, dicom.OB, make([]byte, 3000)))
		}
		segs = append(segs, seg{0, append(AppendMessagePart(nil, ctx, true, cmd, 0), AppendMessagePart(nil, ctx, false, ds, 1000)...)})
	}
	var a Association
	a.MaxDatasetHeader = 1024
	stores := 0
	count := func(ev Event, err error) {
		if err == nil && ev.Kind == EventDIMSE && len(ev.Message.Object.SoftwareVersions) > 0 {
			stores++
		}
	}
	run := func() {
		a.Reset()
		eachEvent(&a, segs, 0, count)
	}
	run()
	for _, s := range segs[2:5] {
		if len(s.data) < 3000 {
			t.Fatalf("a C-STORE of %d bytes: the budget does not cut it", len(s.data))
		}
	}
	if stores != 4 {
		t.Fatalf("%d objects with their software versions, want 4", stores)
	}
	if n := testing.AllocsPerRun(50, run); n != 0 {
		t.Errorf("summarising stored objects allocates %v times", n)
	}
}

// noise returns n bytes that do not compress.
func noise(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// TestObjectExecutableAllocs checks that looking for executables in stored
// objects allocates nothing: whole elements and ones cut by the header
// budget, implicit and explicit VR.
func TestObjectExecutableAllocs(t *testing.T) {
	pe := make([]byte, 3000)
	copy(pe, "MZ\x90\x00")
	pe[0x3c] = 0x80
	copy(pe[0x80:], "PE\x00\x00")
	segs := objectAssociation()
	for i, enc := range []dicom.Encoding{imp, dicom.ExplicitVRLittleEndian} {
		ctx := uint8(2*i + 1)
		cmd := cmdSet(CStoreRQ, uint16(i+1), all(str(tagAffectedSOPClass, dicom.UI, uidCTImage), us(tagDataSetType, 0)))
		ds := dicom.AppendString(nil, enc, tagModality, dicom.CS, "CT")
		ds = dicom.AppendElement(ds, enc, 0x00091010, dicom.OB, noise(200)) // whole, no executable
		ds = dicom.AppendElement(ds, enc, 0x00091011, dicom.OB, pe)         // cut by the budget
		ds = dicom.AppendElement(ds, enc, tagPixelData, dicom.OB, noise(100))
		segs = append(segs, seg{0, append(AppendMessagePart(nil, ctx, true, cmd, 0), AppendMessagePart(nil, ctx, false, ds, 1000)...)})
	}
	var a Association
	a.MaxDatasetHeader = 1024
	found := 0
	run := func() {
		a.Reset()
		found = 0
		eachEvent(&a, segs, 0, func(ev Event, err error) {
			if err == nil && ev.Kind == EventDIMSE && ev.Message.Object.Executable == dicom.PreamblePE {
				found++
			}
		})
	}
	run()
	if found != 2 {
		t.Fatalf("%d objects with an executable, want 2", found)
	}
	if n := testing.AllocsPerRun(50, run); n != 0 {
		t.Errorf("looking for executables allocates %v times", n)
	}
}
