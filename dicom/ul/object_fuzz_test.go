package ul

import (
	"testing"
	"unsafe"

	"github.com/medtap/medtap/dicom"
)

// FuzzObject summarises arbitrary bytes as the dataset of a C-STORE-RQ in
// every transfer syntax, whole and cut: no panic, and every text view of
// the summary lies within the input (for the native encodings; deflated
// values are in the inflated copy) and has its padding trimmed.
func FuzzObject(f *testing.F) {
	for _, enc := range []dicom.Encoding{dicom.ImplicitVRLittleEndian, dicom.ExplicitVRLittleEndian, dicom.ExplicitVRBigEndian} {
		f.Add(equipment(nil, enc), uint8(enc))
		f.Add(dicom.AppendElement(equipment(nil, enc), enc, tagPixelData, dicom.OB, make([]byte, 64)), uint8(enc)|8)
	}
	f.Add(deflate(equipment(nil, dicom.ExplicitVRLittleEndian)), uint8(3))
	syntaxes := [][]byte{[]byte(uidImplicitLE), []byte(uidExplicitLE), []byte(uidExplicitBE), []byte(uidDeflated), nil}
	f.Fuzz(func(t *testing.T, b []byte, sel uint8) {
		var p dicom.Parser
		var m Message
		m.reset()
		m.Command = CStoreRQ
		ts := int(sel&7) % len(syntaxes)
		m.TransferSyntax = syntaxes[ts]
		m.DatasetTruncated = sel&8 != 0
		m.parseDataset(&p, b)
		o := &m.Object
		for _, v := range [][]byte{o.Manufacturer, o.ManufacturerModelName, o.SoftwareVersions, o.DeviceSerialNumber,
			o.StationName, o.InstitutionName, o.SpecificCharacterSet} {
			if len(v) == 0 {
				continue
			}
			if c := v[0]; c == ' ' || c == 0 {
				t.Fatalf("view %q starts with padding", v)
			}
			if c := v[len(v)-1]; c == ' ' || c == 0 {
				t.Fatalf("view %q ends with padding", v)
			}
			if ts != 3 && !isPart10(b) && !within(v, b) {
				t.Fatalf("view %q outside the input", v)
			}
		}
	})
}

// within reports whether v is a sub-slice of b.
func within(v, b []byte) bool {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(v)))
	return p >= start && p+uintptr(len(v)) <= start+uintptr(len(b))
}
