package fuzz

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	sdicom "github.com/suyashkumar/dicom"

	"github.com/medtap/medtap/dicom"
)

// FuzzDICOMDifferential compares medtap's dicom.Parser with
// github.com/suyashkumar/dicom v1.1.0: on inputs both accept, both must
// report the same elements (tags in order, depth-first into sequences),
// the same VRs, and the same string values.
//
// suyashkumar/dicom allocates whatever length an element declares, so an
// input is only given to it when medtap's parser accepted it (every length
// then fits the input) and is at most 64 KiB.

type diffElem struct {
	tag  dicom.Tag
	vr   string
	strs []string
}

var dicomSeedFiles = sync.OnceValue(func() [][]byte {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return nil
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "github.com/suyashkumar/dicom@v1.1.0/testdata")
	var files [][]byte
	for _, name := range []string{"6.dcm"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			files = append(files, b)
		}
	}
	return files
})

func medtapElements(b []byte) ([]diffElem, bool) {
	var p dicom.Parser
	p.Start(b)
	var out []diffElem
	for {
		h, err := p.Next()
		if err == io.EOF {
			return out, true
		}
		if err != nil {
			return nil, false
		}
		if h.Tag.IsDelimiter() {
			continue
		}
		e := diffElem{tag: h.Tag, vr: h.VR.String()}
		if v, err := p.TypedValue(); err == nil && h.VR.IsString() && h.Tag != dicom.TagPixelData {
			for _, s := range v.AppendStrings(nil) {
				e.strs = append(e.strs, strings.Trim(string(s), " \x00"))
			}
			// Text outside ASCII depends on the character set, which medtap
			// decodes only on request (dicom.AppendUTF8, checked against
			// dcmtk in package dicom) and suyashkumar/dicom decodes its own
			// way: compare ASCII values only.
			for _, s := range e.strs {
				if !isASCII(s) {
					e.strs = nil
					break
				}
			}
		}
		out = append(out, e)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func suyashElements(b []byte) (out []diffElem, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false // a panic in the reference: not an input both accept
		}
	}()
	ds, err := sdicom.Parse(bytes.NewReader(b), int64(len(b)), nil, sdicom.SkipPixelData())
	if err != nil {
		return nil, false
	}
	it := ds.FlatStatefulIterator()
	for it.HasNext() {
		el := it.Next()
		e := diffElem{tag: dicom.NewTag(el.Tag.Group, el.Tag.Element), vr: el.RawValueRepresentation}
		if el.Value != nil && el.Value.ValueType() == sdicom.Strings {
			for _, s := range el.Value.GetValue().([]string) {
				e.strs = append(e.strs, strings.Trim(s, " \x00"))
			}
		}
		out = append(out, e)
	}
	return out, true
}

// sameElem reports whether the two parsers agree on an element, allowing
// for suyashkumar/dicom's known departures from the standard:
//   - in implicit VR it gives private creators (gggg,0010-00FF) UN, where
//     PS3.5 7.8.1 and dcmtk give LO.
func sameElem(o, s diffElem) bool {
	if o.tag != s.tag {
		return false
	}
	if o.vr != s.vr && !(o.tag.IsPrivateCreator() && o.vr == "LO" && s.vr == "UN") {
		return false
	}
	if o.strs != nil && s.strs != nil && strings.Join(o.strs, "\\") != strings.Join(s.strs, "\\") {
		return false
	}
	return true
}

// deliberateDifference reports elements where medtap follows the standard
// and dcmtk on purpose and suyashkumar/dicom does not: UN values (medtap
// reads UN of undefined length as an implicit VR sequence, CP-246) and
// group length elements (gggg,0000), always UL in medtap (PS3.5 7.2).
// Inputs holding them are not compared.
func deliberateDifference(elems []diffElem) bool {
	for _, e := range elems {
		if e.vr == "UN" || e.tag.Element() == 0 {
			return true
		}
	}
	return false
}

func FuzzDICOMDifferential(f *testing.F) {
	for _, b := range dicomSeedFiles() {
		f.Add(b)
	}
	enc := dicom.ExplicitVRLittleEndian
	ds := dicom.AppendString(nil, enc, dicom.NewTag(0x0008, 0x0005), dicom.CS, "ISO_IR 100")
	ds = dicom.AppendString(ds, enc, dicom.NewTag(0x0008, 0x0008), dicom.CS, "ORIGINAL\\PRIMARY")
	ds = dicom.AppendString(ds, enc, dicom.NewTag(0x0010, 0x0010), dicom.PN, "Doe^Jane")
	ds = dicom.AppendHeader(ds, enc, dicom.NewTag(0x0008, 0x1115), dicom.SQ, dicom.UndefinedLength)
	ds = dicom.AppendItem(ds, enc, dicom.UndefinedLength)
	ds = dicom.AppendString(ds, enc, dicom.NewTag(0x0020, 0x000E), dicom.UI, "1.2.3")
	ds = dicom.AppendItemDelimitation(ds, enc)
	ds = dicom.AppendSequenceDelimitation(ds, enc)
	ds = dicom.AppendUint16s(ds, enc, dicom.NewTag(0x0028, 0x0010), dicom.US, 2)
	for _, ts := range []string{dicom.UIDExplicitVRLittleEndian, dicom.UIDImplicitVRLittleEndian} {
		body := ds
		if ts == dicom.UIDImplicitVRLittleEndian {
			body = reencodeImplicit(ds)
		}
		f.Add(dicom.AppendFile(nil, &dicom.FileMeta{
			MediaStorageSOPClassUID:    "1.2.840.10008.5.1.4.1.1.7",
			MediaStorageSOPInstanceUID: "1.2.3.4",
			TransferSyntaxUID:          ts,
		}, body))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 64<<10 {
			return
		}
		ours, ok := medtapElements(b)
		if !ok || len(ours) == 0 {
			return
		}
		theirs, ok := suyashElements(b)
		if !ok || deliberateDifference(ours) || deliberateDifference(theirs) {
			return
		}
		// Where the two stop differs on malformed and truncated input
		// (sequences left open at the end, for one): compare the elements
		// both reported.
		n := min(len(ours), len(theirs))
		ours, theirs = ours[:n], theirs[:n]
		for i := range ours {
			if !sameElem(ours[i], theirs[i]) {
				t.Fatalf("element %d: medtap %+v, suyashkumar %+v", i, ours[i], theirs[i])
			}
		}
	})
}

// reencodeImplicit rewrites an explicit VR little endian dataset as
// implicit VR little endian.
func reencodeImplicit(ds []byte) []byte {
	var p dicom.Parser
	p.StartDataset(ds, dicom.ExplicitVRLittleEndian)
	var out []byte
	for {
		h, err := p.Next()
		if err != nil {
			return out
		}
		v, verr := p.Value()
		length := h.Length
		if verr == nil {
			length = uint32(len(v))
		}
		out = dicom.AppendHeader(out, dicom.ImplicitVRLittleEndian, h.Tag, h.VR, length)
		if verr == nil {
			out = append(out, v...)
		}
	}
}

// TestDICOMDifferentialFiles runs the differential comparison on the six
// files of suyashkumar/dicom's testdata, which both parsers must accept.
func TestDICOMDifferentialFiles(t *testing.T) {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skip("go env GOMODCACHE failed")
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "github.com/suyashkumar/dicom@v1.1.0/testdata")
	for _, name := range []string{"1.dcm", "2.dcm", "3.dcm", "4.dcm", "5.dcm", "6.dcm"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Skipf("not in module cache: %v", err)
			}
			ours, ok := medtapElements(b)
			if !ok {
				t.Fatal("medtap rejects the file")
			}
			theirs, ok := suyashElements(b)
			if !ok {
				t.Fatal("suyashkumar rejects the file")
			}
			if len(ours) != len(theirs) {
				t.Fatalf("medtap %d elements, suyashkumar %d", len(ours), len(theirs))
			}
			for i := range ours {
				if !sameElem(ours[i], theirs[i]) {
					t.Errorf("element %d: medtap %+v, suyashkumar %+v", i, ours[i], theirs[i])
				}
			}
		})
	}
}
