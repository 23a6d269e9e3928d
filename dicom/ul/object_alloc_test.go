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
