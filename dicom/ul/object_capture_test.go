package ul

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/testutil"
)

// equipmentRef is the equipment (equipmentText) of each object stored in
// the real-peer captures, by SOP Instance UID, as dcmdump reads the files
// they were recorded from; TestObjectReference checks it against dcmdump.
var equipmentRef = map[string]string{
	// dicom/testdata/1.dcm (PET) and 3.dcm (Philips MR), in store.pcap
	"1.3.6.1.4.1.14519.5.2.1.7009.2401.264581068966524608390523682945": "charset=ISO_IR 100 model=1094",
	"1.3.6.1.4.1.14519.5.2.1.9823.1001.100673283425501223987092441879": `charset=ISO_IR 100 manufacturer=Philips Medical Systems model=Achieva software=2.6.1\2.6.1.0 serial=17559 station=PHILIPS-D6A9C8A`,
	// examples/medscan/testdata/dicom: ct_doe_1 (in identity.pcap,
	// orthanc.pcap and the sample), ct_doe_2, ct_rossi, mr_mustermann
	"2.25.29112026.1.1.1": "charset=ISO_IR 100 manufacturer=MEDTAP FAKE SCANNER CO station=CTSCAN01 institution=ST. EXAMPLE GENERAL HOSPITAL",
	"2.25.29112026.1.1.2": "charset=ISO_IR 100 manufacturer=MEDTAP FAKE SCANNER CO station=CTSCAN01 institution=ST. EXAMPLE GENERAL HOSPITAL",
	"2.25.29112026.3.2.1": "charset=ISO_IR 100 manufacturer=MEDTAP FAKE SCANNER CO station=CTSCAN01 institution=ST. EXAMPLE GENERAL HOSPITAL",
	"2.25.29112026.2.1.1": "charset=ISO_IR 100 manufacturer=MEDTAP FAKE SCANNER CO station=MRSCAN01 institution=ST. EXAMPLE GENERAL HOSPITAL",
}

// objectCaptures returns the captures holding C-STORE-RQs: this package's
// and medscan's sample, converted from pcapng by editcap (skipped when
// editcap is missing).
func objectCaptures(t *testing.T) []string {
	files := []string{"testdata/store.pcap", "testdata/identity.pcap", "testdata/orthanc.pcap"}
	if editcap, err := exec.LookPath("editcap"); err == nil {
		sample := filepath.Join(t.TempDir(), "sample.pcap")
		if out, err := exec.Command(editcap, "-F", "pcap", "../../examples/medscan/testdata/sample.pcapng", sample).CombinedOutput(); err != nil {
			t.Fatalf("editcap: %v: %s", err, out)
		}
		files = append(files, sample)
	} else {
		t.Log("editcap not installed (apt-get install wireshark-common): the sample capture is left out")
	}
	return files
}

// TestObjectCaptures follows every connection of the captures and checks
// the equipment of every stored object against equipmentRef: modalities'
// C-STOREs, Orthanc's C-MOVE and C-GET sub-operations (which carry the
// modality's equipment) and medscan's sample.
func TestObjectCaptures(t *testing.T) {
	seen := map[string]int{}
	files := objectCaptures(t)
	sampled := len(files) == 4
	for _, file := range files {
		for _, c := range captureConns(t, file) {
			if len(c.segs) == 0 || !Sniff(c.segs[0].data) {
				continue // the sample's HL7, ASTM and port scans
			}
			var a Association
			eachEvent(&a, c.segs, 0, func(ev Event, err error) {
				if err != nil {
					t.Errorf("%s: %v", c.name, err)
					return
				}
				if ev.Kind != EventDIMSE || ev.Message.Command != CStoreRQ {
					return
				}
				o := &ev.Message.Object
				want, ok := equipmentRef[string(o.SOPInstance)]
				if !ok {
					t.Errorf("%s: object %s not in equipmentRef", c.name, o.SOPInstance)
					return
				}
				seen[filepath.Base(file)+" "+string(o.SOPInstance)]++
				if got := equipmentText(o); got != want {
					t.Errorf("%s: object %s:\n got %s\nwant %s", c.name, o.SOPInstance, got, want)
				}
			})
		}
	}
	// store.pcap sends 3.dcm twice and 1.dcm; orthanc.pcap the CT twice
	// (C-MOVE and C-GET); the sample the four images and the two CTs of
	// the moved study.
	for k, n := range map[string]int{
		"store.pcap 1.3.6.1.4.1.14519.5.2.1.9823.1001.100673283425501223987092441879": 2,
		"store.pcap 1.3.6.1.4.1.14519.5.2.1.7009.2401.264581068966524608390523682945": 1,
		"identity.pcap 2.25.29112026.1.1.1":                                           1,
		"orthanc.pcap 2.25.29112026.1.1.1":                                            2,
		"sample.pcap 2.25.29112026.1.1.1":                                             2,
		"sample.pcap 2.25.29112026.1.1.2":                                             2,
		"sample.pcap 2.25.29112026.2.1.1":                                             1,
		"sample.pcap 2.25.29112026.3.2.1":                                             1,
	} {
		if k[:7] == "sample." && !sampled {
			continue
		}
		if seen[k] != n {
			t.Errorf("%s: %d objects, want %d", k, seen[k], n)
		}
	}
	t.Logf("objects seen: %v", seen)
}

// dcmdumpTop matches a top-level element of dcmdump's output: tag, VR and
// the value in brackets (or none).
var dcmdumpTop = regexp.MustCompile(`^\(([0-9a-f]{4},[0-9a-f]{4})\) [A-Z]{2} (?:\[(.*?)\]|\(no value available\))\s+#`)

// TestObjectReference checks equipmentRef against dcmdump (dcmtk) on the
// files the captures were recorded from; the dumps of
// examples/medscan/testdata/dicom are made into files by dump2dcm first
// (without the pixel data that one of them reads from a file record.sh
// writes).
func TestObjectReference(t *testing.T) {
	dcmdump := testutil.Tool(t, "dcmdump", "dcmtk")
	dump2dcm := testutil.Tool(t, "dump2dcm", "dcmtk")
	files := []string{"../testdata/1.dcm", "../testdata/3.dcm"}
	dumps, _ := filepath.Glob("../../examples/medscan/testdata/dicom/*.dump")
	dir := t.TempDir()
	for _, d := range dumps {
		text, err := os.ReadFile(d)
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, l := range strings.Split(string(text), "\n") {
			if !strings.HasPrefix(strings.ToLower(l), "(7fe0,0010)") {
				keep = append(keep, l)
			}
		}
		in := filepath.Join(dir, filepath.Base(d))
		out := strings.TrimSuffix(in, ".dump") + ".dcm"
		os.WriteFile(in, []byte(strings.Join(keep, "\n")), 0o644)
		if msg, err := exec.Command(dump2dcm, "-q", "+te", in, out).CombinedOutput(); err != nil {
			t.Fatalf("dump2dcm %s: %v: %s", d, err, msg)
		}
		files = append(files, out)
	}
	names := map[string]string{"0008,0005": "charset", "0008,0070": "manufacturer", "0008,1090": "model", "0018,1020": "software",
		"0018,1000": "serial", "0008,1010": "station", "0008,0080": "institution"}
	for _, f := range files {
		out, err := exec.Command(dcmdump, "-q", "+L", f).Output()
		if err != nil {
			t.Fatalf("dcmdump %s: %v", f, err)
		}
		values := map[string][]byte{}
		var uid string
		for _, l := range strings.Split(string(out), "\n") {
			m := dcmdumpTop.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			if m[1] == "0008,0018" {
				uid = m[2]
			}
			if n, ok := names[m[1]]; ok {
				values[n] = []byte(m[2])
			}
		}
		var fs []field
		for _, n := range []string{"charset", "manufacturer", "model", "software", "serial", "station", "institution"} {
			fs = append(fs, field{n, values[n]})
		}
		if got, want := render(fs...), equipmentRef[uid]; got != want {
			t.Errorf("%s (%s): dcmdump reads\n%s\nequipmentRef has\n%s", f, uid, got, want)
		}
	}
	if len(files) != len(equipmentRef) {
		t.Errorf("%d files for %d objects", len(files), len(equipmentRef))
	}
}
