package ul

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/medtap/medtap/dicom"
)

// storeExecutable is storeObject reporting the executable the summary
// found: "kind tag", or "" for none.
func storeExecutable(t *testing.T, a *Association, ctx uint8, ds []byte, frag, size int) string {
	t.Helper()
	cmd := cmdSet(CStoreRQ, 7, all(str(tagAffectedSOPClass, dicom.UI, uidCTImage), us(tagDataSetType, 0)))
	segs := append(objectAssociation(),
		seg{0, append(AppendMessagePart(nil, ctx, true, cmd, 0), AppendMessagePart(nil, ctx, false, ds, frag)...)})
	a.Reset()
	got, events := "", 0
	eachEvent(a, segs, size, func(ev Event, err error) {
		if err != nil {
			t.Fatalf("error %v", err)
		}
		if ev.Kind == EventDIMSE && ev.Message.Command == CStoreRQ {
			if o := &ev.Message.Object; o.Executable != dicom.PreambleNone {
				got = fmt.Sprintf("%v %v", o.Executable, o.ExecutableTag)
			}
			events++
		}
	})
	if events != 1 {
		t.Fatalf("%d C-STORE-RQ events", events)
	}
	return got
}

// TestObjectExecutable checks that an executable at the start of a binary
// or private element of a stored object is found, in every encoding, cut
// by the header budget too, and that ordinary binary values are not.
func TestObjectExecutable(t *testing.T) {
	const (
		ex = dicom.ExplicitVRLittleEndian
		be = dicom.ExplicitVRBigEndian
	)
	pe := make([]byte, 4096)
	copy(pe, "MZ\x90\x00")
	pe[0x3c] = 0x80
	copy(pe[0x80:], "PE\x00\x00")
	elf := append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 1017)...)
	const private = dicom.Tag(0x00091010)
	obj := func(enc dicom.Encoding, tag dicom.Tag, vr dicom.VR, v []byte) []byte {
		ds := dicom.AppendString(nil, enc, tagModality, dicom.CS, "CT")
		if tag.IsPrivate() {
			ds = dicom.AppendString(ds, enc, tag&0xFFFF0000|0x0010, dicom.LO, "ACME 1.0")
		}
		ds = dicom.AppendElement(ds, enc, tag, vr, v)
		ds = dicom.AppendString(ds, enc, tagPatientID, dicom.LO, "PID42")
		return dicom.AppendElement(ds, enc, tagPixelData, dicom.OB, bytes.Repeat([]byte{7}, 3000))
	}
	explicit := obj(ex, private, dicom.OB, pe)
	cut := bytes.Index(explicit, []byte("MZ")) + 200 // the budget ends inside the executable
	meta := &dicom.FileMeta{MediaStorageSOPClassUID: uidCTImage, MediaStorageSOPInstanceUID: "9.8.7", TransferSyntaxUID: uidExplicitLE}
	tests := []struct {
		name   string
		ctx    uint8
		ds     []byte
		budget int
		want   string
	}{
		{"private-ob", 3, explicit, 0, "PE (0009,1010)"},
		{"private-ob-cut", 3, explicit, cut, "PE (0009,1010)"},
		{"private-implicit", 1, obj(imp, private, dicom.UN, elf), 0, "ELF (0009,1010)"},
		{"private-implicit-cut", 1, obj(imp, private, dicom.UN, elf), bytes.Index(obj(imp, private, dicom.UN, elf), []byte("\x7fELF")) + 16, "ELF (0009,1010)"},
		{"big-endian", 5, obj(be, private, dicom.OB, pe), 0, "PE (0009,1010)"},
		{"deflated", 7, deflate(explicit), 0, "PE (0009,1010)"},
		{"encapsulated-document", 3, obj(ex, 0x00420011, dicom.OB, elf), 0, "ELF (0042,0011)"},
		{"part10", 3, dicom.AppendFile(nil, meta, explicit), 0, "PE (0009,1010)"},
		{"ordinary-ob", 3, obj(ex, private, dicom.OB, bytes.Repeat([]byte{0x4d, 0x5a, 1, 2}, 64)), 0, ""},
		{"private-text", 3, obj(ex, private, dicom.LO, []byte("MZ is a name")), 0, ""},
		{"in-pixel-data", 3, dicom.AppendElement(dicom.AppendString(nil, ex, tagModality, dicom.CS, "CT"), ex, tagPixelData, dicom.OB, pe), 0, ""},
		{"none", 3, obj(ex, 0x00080070, dicom.LO, []byte("ACME")), 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Association{MaxDatasetHeader: tt.budget}
			for _, size := range [][2]int{{1 << 20, 1 << 20}, {100, 7}} {
				if got := storeExecutable(t, &a, tt.ctx, tt.ds, size[0], size[1]); got != tt.want {
					t.Errorf("PDVs of %d bytes fed %d at a time: got %q, want %q", size[0], size[1], got, tt.want)
				}
			}
		})
	}
}
