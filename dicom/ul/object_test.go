package ul

import (
	"bytes"
	"compress/flate"
	"fmt"
	"strings"
	"testing"

	"github.com/medtap/medtap/dicom"
)

// Transfer syntaxes the object tests negotiate besides assoc12's.
const (
	uidExplicitBE = "1.2.840.10008.1.2.2"
	uidDeflated   = "1.2.840.10008.1.2.1.99"
)

// objectAssociation is an association with a CT storage context per
// transfer syntax: 1 implicit VR, 3 explicit VR little endian, 5 explicit
// VR big endian, 7 deflated.
func objectAssociation() []seg {
	rq, ac := sampleRQ(), sampleAC()
	rq.Contexts, ac.Contexts = nil, nil
	for i, ts := range []string{uidImplicitLE, uidExplicitLE, uidExplicitBE, uidDeflated} {
		id := uint8(2*i + 1)
		rq.Contexts = append(rq.Contexts, PresentationContext{ID: id, AbstractSyntax: b(uidCTImage), TransferSyntaxes: [][]byte{b(ts)}})
		ac.Contexts = append(ac.Contexts, PresentationContext{ID: id, Result: ResultAcceptance, TransferSyntaxes: [][]byte{b(ts)}})
	}
	return []seg{{0, AppendAssociate(nil, rq)}, {1, AppendAssociate(nil, ac)}}
}

type field struct {
	name string
	v    []byte
}

// render writes "name=value" for each field that is not empty.
func render(fs ...field) string {
	var parts []string
	for _, f := range fs {
		if len(f.v) > 0 {
			parts = append(parts, f.name+"="+string(f.v))
		}
	}
	return strings.Join(parts, " ")
}

func equipmentFields(o *Object) []field {
	return []field{{"charset", o.SpecificCharacterSet}, {"manufacturer", o.Manufacturer}, {"model", o.ManufacturerModelName},
		{"software", o.SoftwareVersions}, {"serial", o.DeviceSerialNumber}, {"station", o.StationName}, {"institution", o.InstitutionName}}
}

// equipmentText renders the equipment of an Object.
func equipmentText(o *Object) string { return render(equipmentFields(o)...) }

// objectText renders the equipment of an Object and the fields read
// between its elements.
func objectText(o *Object) string {
	return render(append([]field{{"modality", o.Modality}, {"patient", o.PatientID}, {"study", o.StudyInstanceUID}}, equipmentFields(o)...)...)
}

// eachEvent feeds segs to a, each cut in pieces of size bytes (whole when
// size is 0), and calls f with each event or error.
func eachEvent(a *Association, segs []seg, size int, f func(Event, error)) {
	for _, s := range segs {
		for d := s.data; len(d) > 0; {
			n := len(d)
			if size > 0 {
				n = min(n, size)
			}
			a.Feed(s.dir, d[:n])
			d = d[n:]
			for ev, err := a.Next(); err != ErrNeedMore; ev, err = a.Next() {
				f(ev, err)
			}
		}
	}
}

// storeObject sends ds in a C-STORE-RQ on context ctx of objectAssociation,
// in PDVs of at most frag bytes and fed in chunks of size bytes, and
// returns the object summary (objectText) of the C-STORE-RQ event.
func storeObject(t *testing.T, a *Association, ctx uint8, ds []byte, frag, size int) string {
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
			got = objectText(&ev.Message.Object)
			events++
		}
	})
	if events != 1 {
		t.Fatalf("%d C-STORE-RQ events", events)
	}
	return got
}

// equipment appends the General Equipment elements of a Philips MR (the
// values of dicom/testdata/3.dcm) and an institution, in tag order around
// a Modality and Patient ID, each odd-length value padded by
// AppendString.
func equipment(ds []byte, enc dicom.Encoding) []byte {
	ds = dicom.AppendString(ds, enc, tagCharacterSet, dicom.CS, "ISO_IR 100")
	ds = dicom.AppendString(ds, enc, tagModality, dicom.CS, "MR")
	ds = dicom.AppendString(ds, enc, tagManufacturer, dicom.LO, "Philips Medical Systems")
	ds = dicom.AppendString(ds, enc, tagInstitutionName, dicom.LO, "ST. EXAMPLE GENERAL HOSPITAL")
	ds = dicom.AppendString(ds, enc, tagStationName, dicom.SH, "PHILIPS-D6A9C8A")
	ds = dicom.AppendString(ds, enc, tagModelName, dicom.LO, "Achieva")
	ds = dicom.AppendString(ds, enc, tagPatientID, dicom.LO, "PID42")
	ds = dicom.AppendString(ds, enc, tagDeviceSerial, dicom.LO, "17559")
	ds = dicom.AppendString(ds, enc, tagSoftwareVersions, dicom.LO, `2.6.1\2.6.1.0`)
	return dicom.AppendString(ds, enc, tagStudyInstanceUID, dicom.UI, "1.2.3")
}

const philips = `modality=MR patient=PID42 study=1.2.3 charset=ISO_IR 100 manufacturer=Philips Medical Systems model=Achieva software=2.6.1\2.6.1.0 serial=17559 station=PHILIPS-D6A9C8A institution=ST. EXAMPLE GENERAL HOSPITAL`

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// TestObjectEquipment checks the equipment elements of a stored object in
// every encoding, padded and not, cut by the header budget, nested in a
// sequence (not reported) and in a Part 10 file sent as the dataset.
func TestObjectEquipment(t *testing.T) {
	const (
		ex = dicom.ExplicitVRLittleEndian
		be = dicom.ExplicitVRBigEndian
	)
	pixels := func(ds []byte, enc dicom.Encoding) []byte {
		return dicom.AppendElement(ds, enc, tagPixelData, dicom.OB, bytes.Repeat([]byte{7}, 3000))
	}
	// Padding as senders write it: leading and trailing spaces, trailing
	// NULs, a value made of spaces only.
	var padded []byte
	padded = dicom.AppendString(padded, ex, tagManufacturer, dicom.LO, "  GE MEDICAL SYSTEMS ")
	padded = dicom.AppendElement(padded, ex, tagStationName, dicom.SH, []byte("CT99\x00\x00"))
	padded = dicom.AppendString(padded, ex, tagModelName, dicom.LO, "    ")
	padded = dicom.AppendString(padded, ex, tagDeviceSerial, dicom.LO, "")
	// The Contributing Equipment Sequence (0018,A001) names other
	// equipment (the workstation that changed the object): nested, it is
	// not the object's own.
	var item []byte
	item = dicom.AppendString(item, ex, tagManufacturer, dicom.LO, "POSTPROC INC")
	item = dicom.AppendString(item, ex, tagStationName, dicom.SH, "WS7")
	var nested []byte
	nested = dicom.AppendString(nested, ex, tagManufacturer, dicom.LO, "SIEMENS")
	nested = dicom.AppendHeader(nested, ex, 0x0018A001, dicom.SQ, dicom.UndefinedLength)
	nested = dicom.AppendItem(nested, ex, uint32(len(item)))
	nested = append(nested, item...)
	nested = dicom.AppendSequenceDelimitation(nested, ex)
	nested = dicom.AppendString(nested, ex, tagModelName, dicom.LO, "SOMATOM go.Up")
	// Elements in the order of their tags, the budget ending inside Device
	// Serial Number: the elements before it are kept.
	cut := equipment(nil, ex)
	budget := bytes.Index(cut, []byte("17559")) - 2
	meta := &dicom.FileMeta{MediaStorageSOPClassUID: uidCTImage, MediaStorageSOPInstanceUID: "9.8.7", TransferSyntaxUID: uidExplicitLE}
	tests := []struct {
		name   string
		ctx    uint8
		ds     []byte
		budget int
		want   string
	}{
		{"implicit", 1, pixels(equipment(nil, imp), imp), 0, philips},
		{"explicit-le", 3, pixels(equipment(nil, ex), ex), 0, philips},
		{"explicit-be", 5, pixels(equipment(nil, be), be), 0, philips},
		{"deflated", 7, deflate(pixels(equipment(nil, ex), ex)), 0, philips},
		{"implicit-on-explicit-context", 3, equipment(nil, imp), 0, philips},
		{"part10", 3, dicom.AppendFile(nil, meta, pixels(equipment(nil, ex), ex)), 0, philips},
		{"padding", 3, padded, 0, "manufacturer=GE MEDICAL SYSTEMS station=CT99"},
		{"nested", 3, nested, 0, "manufacturer=SIEMENS model=SOMATOM go.Up"},
		{"budget-be", 5, equipment(nil, be), bytes.Index(equipment(nil, be), []byte("17559")) - 2,
			"modality=MR patient=PID42 charset=ISO_IR 100 manufacturer=Philips Medical Systems model=Achieva station=PHILIPS-D6A9C8A institution=ST. EXAMPLE GENERAL HOSPITAL"},
		{"budget", 3, cut, budget, "modality=MR patient=PID42 charset=ISO_IR 100 manufacturer=Philips Medical Systems model=Achieva station=PHILIPS-D6A9C8A institution=ST. EXAMPLE GENERAL HOSPITAL"},
		{"none", 3, pixels(dicom.AppendString(nil, ex, tagModality, dicom.CS, "OT"), ex), 0, "modality=OT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Association{MaxDatasetHeader: tt.budget}
			for _, size := range [][2]int{{1 << 20, 1 << 20}, {100, 7}, {16, 1}} {
				if got := storeObject(t, &a, tt.ctx, tt.ds, size[0], size[1]); got != tt.want {
					t.Errorf("PDVs of %d bytes fed %d at a time:\n got %s\nwant %s", size[0], size[1], got, tt.want)
				}
			}
		})
	}
}

// TestObjectOnlyForStore checks that a C-FIND identifier with equipment
// keys fills the query, not the object summary.
func TestObjectOnlyForStore(t *testing.T) {
	var id []byte
	id = dicom.AppendString(id, imp, tagQueryLevel, dicom.CS, "SERIES")
	id = dicom.AppendString(id, imp, tagManufacturer, dicom.LO, "Philips Medical Systems")
	id = dicom.AppendString(id, imp, tagStationName, dicom.SH, "")
	segs := append(assoc12(), seg{0, append(AppendMessagePart(nil, 1, true, cmdSet(CFindRQ, 3, all(str(tagAffectedSOPClass, dicom.UI, uidFindStudy), us(tagDataSetType, 0))), 0),
		AppendMessagePart(nil, 1, false, id, 0)...)})
	var a Association
	var got []string
	eachEvent(&a, segs, 0, func(ev Event, err error) {
		if err == nil && ev.Kind == EventDIMSE {
			m := ev.Message
			got = append(got, fmt.Sprintf("%v object=%q query=%d", m.Command, objectText(&m.Object), len(m.Query)))
		}
	})
	if want := `C-FIND-RQ object="" query=2`; len(got) != 1 || got[0] != want {
		t.Errorf("events %q, want [%s]", got, want)
	}
}
