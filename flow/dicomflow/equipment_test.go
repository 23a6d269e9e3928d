package dicomflow

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
	"github.com/medtap/medtap/internal/testutil"

	"github.com/medtap/medtap/dicom"
	"github.com/medtap/medtap/dicom/ul"
)

// equipmentObject is the start of a Philips MR image (the equipment of
// dicom/testdata/3.dcm) made at a German hospital whose name is in
// ISO 8859-1, then pixel data.
func equipmentObject() []byte {
	const ex = dicom.ExplicitVRLittleEndian
	var ds []byte
	ds = dicom.AppendString(ds, ex, 0x00080005, dicom.CS, "ISO_IR 100")
	ds = dicom.AppendString(ds, ex, 0x00080016, dicom.UI, "1.2.840.10008.5.1.4.1.1.4")
	ds = dicom.AppendString(ds, ex, 0x00080018, dicom.UI, "1.2.3.44")
	ds = dicom.AppendString(ds, ex, 0x00080060, dicom.CS, "MR")
	ds = dicom.AppendString(ds, ex, 0x00080070, dicom.LO, "Philips Medical Systems")
	ds = dicom.AppendString(ds, ex, 0x00080080, dicom.LO, "Universit\xe4tsklinikum K\xf6ln")
	ds = dicom.AppendString(ds, ex, 0x00081010, dicom.SH, "PHILIPS-D6A9C8A")
	ds = dicom.AppendString(ds, ex, 0x00081090, dicom.LO, "Achieva")
	ds = dicom.AppendString(ds, ex, 0x00100010, dicom.PN, "DOE^JANE")
	ds = dicom.AppendString(ds, ex, 0x00100020, dicom.LO, "PID42")
	ds = dicom.AppendString(ds, ex, 0x00181000, dicom.LO, "17559")
	ds = dicom.AppendString(ds, ex, 0x00181020, dicom.LO, `2.6.1\2.6.1.0`)
	return dicom.AppendElement(ds, ex, 0x7FE00010, dicom.OW, make([]byte, 6000))
}

// storePDUs is a C-STORE-RQ of equipmentObject on context 3, with a Move
// Originator AE Title when orig is not empty.
func storePDUs(id uint16, orig string) []byte {
	els := []func([]byte) []byte{dStr(0x00000002, dicom.UI, "1.2.840.10008.5.1.4.1.1.4"), dUS(0x00000800, 0),
		dStr(0x00001000, dicom.UI, "1.2.3.44")}
	if orig != "" {
		els = append(els, dStr(0x00001030, dicom.AE, orig), dUS(0x00001031, 5))
	}
	return append(ul.AppendMessagePart(nil, 3, true, dicomCmd(ul.CStoreRQ, id, els...), 0),
		ul.AppendMessagePart(nil, 3, false, equipmentObject(), 4096)...)
}

// identities returns what d.Identify yields, as "kind:name".
func identities(d flow.Identifier, k flow.Kind) []string {
	var out []string
	d.Identify(k, nil, func(id flow.Identity) {
		out = append(out, fmt.Sprintf("%s:%s", id.Kind, id.Name))
		if !id.Source {
			out = append(out, "(destination)")
		}
	})
	return out
}

// TestDICOMEquipment checks the equipment fields of a C-STORE-RQ event and
// when they identify its sender: a modality's store does, a C-MOVE
// sub-operation (Move Originator AE Title set) and a C-GET sub-operation
// (a store from the acceptor) do not.
func TestDICOMEquipment(t *testing.T) {
	s := dicomSession()
	tests := []struct {
		name string
		seg  dicomSeg
		json string // the fields between the SOP instance and dataset_bytes
		ids  []string
	}{
		{"modality", dicomSeg{0, storePDUs(9, "")}, "", []string{"vendor:Philips Medical Systems Achieva", "host:PHILIPS-D6A9C8A"}},
		{"c-move", dicomSeg{0, storePDUs(9, "RADWS")}, `,"move_originator_ae":"RADWS"`, nil},
		{"c-get", dicomSeg{1, storePDUs(9, "")}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lines, ids []string
			e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom"}}, flow.SinkFunc(func(ev *flow.Event) {
				if d, ok := ev.Detail.(*DIMSE); ok && d.Message.Command == ul.CStoreRQ {
					lines = append(lines, ev.Src.String()+" "+string(d.AppendJSON(nil)))
					ids = identities(d, ev.Kind)
				}
			}))
			runDICOMSegs(t, e, netip.MustParseAddrPort("10.1.0.5:40080"), netip.MustParseAddrPort("10.1.0.9:104"), []dicomSeg{s[0], s[1], tt.seg})
			e.Flush()
			src := map[flow.Dir]string{0: "10.1.0.5:40080", 1: "10.1.0.9:104"}[tt.seg.dir]
			want := src + ` ,"command":"C-STORE-RQ","message_id":9,"sop_class_uid":"1.2.840.10008.5.1.4.1.1.4","sop_instance_uid":"1.2.3.44"` + tt.json +
				`,"modality":"MR","manufacturer":"Philips Medical Systems","model":"Achieva","software_versions":"2.6.1\\2.6.1.0","device_serial":"17559",` +
				`"station_name":"PHILIPS-D6A9C8A","institution":"Universitätsklinikum Köln","patient_id_present":true,"patient_name_present":true,` +
				`"dataset_bytes":` + strconv.Itoa(len(equipmentObject())) + `,"calling_ae":"CT01","called_ae":"PACS"`
			if len(lines) != 1 || lines[0] != want {
				t.Errorf("C-STORE-RQ events:\n%s\nwant:\n%s", strings.Join(lines, "\n"), want)
			}
			if !slices.Equal(ids, tt.ids) {
				t.Errorf("identities %q, want %q", ids, tt.ids)
			}
		})
	}
}

// TestDICOMEquipmentText checks the conversion of equipment text to UTF-8:
// ASCII and text without a character set as they are, ISO 8859 and ISO
// 2022 (JIS X 0208 after an escape sequence) decoded.
func TestDICOMEquipmentText(t *testing.T) {
	for _, tt := range []struct{ v, cs, want string }{
		{"GE MEDICAL SYSTEMS", "", "GE MEDICAL SYSTEMS"},
		{"GE MEDICAL SYSTEMS", "ISO_IR 100", "GE MEDICAL SYSTEMS"},
		{"H\xf4pital", "ISO_IR 100", "Hôpital"},
		{"H\xc3\xb4pital", "", "H\xc3\xb4pital"},
		{"H\xc3\xb4pital", "ISO_IR 192", "Hôpital"},
		{"\x1b$B;3ED\x1b(B", `\ISO 2022 IR 87`, "山田"},
	} {
		if got := string(appendUTF8(nil, []byte(tt.v), []byte(tt.cs))); got != tt.want {
			t.Errorf("appendUTF8(%q, %q) = %q, want %q", tt.v, tt.cs, got, tt.want)
		}
	}
}

// TestDICOMEquipmentSample checks which devices of medscan's sample the
// C-STOREs identify: the CT and MR modalities by their manufacturer and
// station, and not the PACS that stores a moved study to the viewer.
func TestDICOMEquipmentSample(t *testing.T) {
	sample := filepath.Join(testutil.RepoRoot(t), "examples", "medscan", "testdata", "sample.pcapng")
	got := map[string][]string{}
	stores := map[string]int{}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom"}}, flow.SinkFunc(func(ev *flow.Event) {
		d, ok := ev.Detail.(*DIMSE)
		if !ok || d.Message.Command != ul.CStoreRQ {
			return
		}
		src := ev.Src.Addr().String()
		stores[src]++
		for _, id := range identities(d, ev.Kind) {
			if !slices.Contains(got[src], id) {
				got[src] = append(got[src], id)
			}
		}
	}))
	flowtest.RunFile(t, e, sample)
	e.Flush()
	// record.sh: CT_SCANNER at 10.20.5.21, MR_SCANNER at 10.20.5.22, the
	// PACS at 10.20.1.10 (C-MOVE to the viewer); equipment from the dumps
	// in testdata/dicom.
	want := map[string][]string{
		"10.20.5.21": {"vendor:MEDTAP FAKE SCANNER CO", "host:CTSCAN01"},
		"10.20.5.22": {"vendor:MEDTAP FAKE SCANNER CO", "host:MRSCAN01"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("identities by sender %v, want %v", got, want)
	}
	if stores["10.20.1.10"] != 2 {
		t.Errorf("C-STOREs by sender %v: want 2 from the PACS (the C-MOVE)", stores)
	}
}

// tsharkElement matches an element of the six equipment tags in tshark's
// DICOM dissection, with its value length.
var tsharkElement = regexp.MustCompile(`^\s*\((0008,0070|0008,1090|0018,1020|0018,1000|0008,1010|0008,0080)\)\s+(\d+) `)

// equipmentKeys are the event members of those tags.
var equipmentKeys = map[string]string{"0008,0070": "manufacturer", "0008,1090": "model", "0018,1020": "software_versions",
	"0018,1000": "device_serial", "0008,1010": "station_name", "0008,0080": "institution"}

// TestDICOMEquipmentAgainstTshark compares the equipment values of the
// C-STORE-RQ events of the real-peer captures and medscan's sample with the
// elements tshark's DICOM dissector shows (top-level ones: the captures
// have no equipment nested in sequences), value by value.
func TestDICOMEquipmentAgainstTshark(t *testing.T) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	files := []string{"../../dicom/ul/testdata/store.pcap", "../../dicom/ul/testdata/identity.pcap",
		"../../dicom/ul/testdata/orthanc.pcap", "../../examples/medscan/testdata/sample.pcapng"}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			want := map[string]int{}
			for _, line := range strings.Split(string(tsharkDICOM(t, tshark, file)), "\n") {
				m := tsharkElement.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				// The value ends the line: its length says where it starts.
				n, _ := strconv.Atoi(m[2])
				if n == 0 || n > len(line) {
					continue
				}
				if v := strings.Trim(line[len(line)-n:], " \x00"); v != "" {
					want[equipmentKeys[m[1]]+"="+v]++
				}
			}
			got := map[string]int{}
			e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom"}}, flow.SinkFunc(func(ev *flow.Event) {
				d, ok := ev.Detail.(*DIMSE)
				if !ok || d.Message.Command != ul.CStoreRQ {
					return
				}
				o := &d.Message.Object
				for k, v := range map[string][]byte{"manufacturer": o.Manufacturer, "model": o.ManufacturerModelName,
					"software_versions": o.SoftwareVersions, "device_serial": o.DeviceSerialNumber, "station_name": o.StationName,
					"institution": o.InstitutionName} {
					if len(v) > 0 {
						got[k+"="+string(v)]++
					}
				}
			}))
			flowtest.RunFile(t, e, file)
			e.Flush()
			compareCounts(t, got, want)
		})
	}
}

// TestDICOMEquipmentAllocs checks that following C-STOREs with every
// equipment element, an ISO 8859-1 institution included, writing their
// events as JSON and asking them for identities allocates nothing.
func TestDICOMEquipmentAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	count := &flowtest.CountSink{Buf: make([]byte, 0, 4096)}
	var buf [256]byte
	names := 0
	yield := func(id flow.Identity) { names++ }
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"dicom"}}, flow.SinkFunc(func(ev *flow.Event) {
		count.Event(ev)
		if id, ok := ev.Detail.(flow.Identifier); ok {
			id.Identify(ev.Kind, buf[:0], yield)
		}
	}))
	allocs, per := flowtest.SteadyAllocs(t, e, count, netip.MustParseAddrPort("10.1.0.5:40090"), netip.MustParseAddrPort("10.1.0.9:104"), storePDUs(3, ""), 100)
	if allocs != 0 {
		t.Errorf("a C-STORE allocates %.1f times", allocs)
	}
	if per != 1 || names < 200 || !strings.Contains(string(count.Buf), `"institution":"Universitätsklinikum Köln"`) {
		t.Errorf("%d events per C-STORE, %d identities, last event %s", per, names, count.Buf)
	}
}
