package detect_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all"
	"github.com/medtap/medtap/internal/flowtest"
)

// runCapture runs a capture through every adapter and the detectors ds
// (nil: the default set) and returns the alerts after Flush.
func runCapture(t *testing.T, name string, cfg detect.Config, ds ...detect.Detector) []detect.Alert {
	t.Helper()
	de, c := newEngine(t, cfg, ds...)
	fe := flowtest.NewEngine(t, flow.Config{}, de)
	flowtest.RunFile(t, fe, name)
	fe.Flush()
	de.Flush()
	return c.alerts
}

// alertText renders alerts as sorted "id severity src->dst xcount" lines.
func alertText(as []detect.Alert, prefix ...string) string {
	var lines []string
	for _, a := range as {
		keep := len(prefix) == 0
		for _, p := range prefix {
			keep = keep || strings.HasPrefix(a.ID, p)
		}
		if !keep {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s %s %s->%s x%d", a.ID, a.Severity, a.Src.Addr(), a.Dst, a.Count))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestDICOMCaptures runs the committed captures with DICOM, DICOM files
// over HTTP and HL7 through every adapter and the default detectors, and
// checks the DICOM and PHI alerts each raises. The captures of ordinary
// traffic raise nothing above low; orthanc.pcap and the sample hold a
// patient sweep (a PATIENT-level C-FIND with PatientName=*), and
// orthanc.pcap an Orthanc configured to accept every calling AE title
// (DicomAlwaysAllow*), which accepts three from one host; http.pcap
// uploads a DICOM file with an MS-DOS header in its preamble twice;
// dicom-brute.pcap is nmap guessing called AE titles, dicom-exe.pcap a
// C-STORE of an object with a PE header in a private element.
func TestDICOMCaptures(t *testing.T) {
	tests := []struct {
		file, want string
		normal     bool // nothing above low
	}{
		{"../dicom/ul/testdata/nmap.pcap", "dicom.any-ae-accepted low 127.0.0.1->127.0.0.1:11140 x1", true}, // dicom-ping's ANY-SCP accepted
		{"../dicom/ul/testdata/orthanc.pcap", "" +
			"dicom.any-ae-accepted low 127.0.0.1->127.0.0.1:11141 x1\n" + // FINDSCU accepted
			"dicom.any-ae-accepted medium 127.0.0.1->127.0.0.1:11141 x1\n" + // FINDSCU, RADWS, GETSCU accepted
			"dicom.association-rejected low 127.0.0.1->127.0.0.1:11141 x1\n" +
			"dicom.move-unknown-destination low 127.0.0.1->127.0.0.1:11141 x1\n" + // STORESCP, no baseline
			"dicom.query-sweep high 127.0.0.1->127.0.0.1:11141 x1\n" +
			"phi.cleartext info 127.0.0.1->127.0.0.1:57606 x1\n" +
			"phi.cleartext info 127.0.0.1->127.0.0.1:57606 x3", false},
		{"../dicom/ul/testdata/store.pcap", "phi.cleartext info 127.0.0.1->127.0.0.1:11140 x1\nphi.cleartext info 127.0.0.1->127.0.0.1:11140 x1", true},
		{"../dicom/ul/testdata/abort.pcap", "dicom.any-ae-accepted low 127.0.0.1->127.0.0.1:11140 x1", true}, // echoscu's ECHOSCU
		{"../dicom/ul/testdata/identity.pcap", "phi.cleartext info 127.0.0.1->127.0.0.1:11140 x1", true},
		{"../examples/medscan/testdata/sample.pcapng", "" +
			"dicom.any-ae-accepted low 10.99.0.66->10.20.1.10:11112 x1\n" + // the scanner's FINDSCU accepted
			"dicom.association-rejected low 10.20.5.43->10.20.1.10:11112 x1\n" +
			"dicom.association-rejected low 10.99.0.66->10.20.1.10:11112 x1\n" +
			"dicom.move-unknown-destination low 10.20.6.31->10.20.1.10:11112 x1\n" + // VIEWER, no baseline
			"dicom.query-sweep high 10.99.0.66->10.20.1.10:11112 x1\n" +
			"phi.cleartext info 10.20.1.10->10.20.1.20:11114 x1\n" +
			"phi.cleartext info 10.20.1.10->10.99.0.66:45492 x1\n" +
			"phi.cleartext info 10.20.2.21->10.20.2.10:2575 x1\n" +
			"phi.cleartext info 10.20.2.22->10.20.2.10:2575 x1\n" +
			"phi.cleartext info 10.20.2.23->10.20.2.10:2575 x1\n" +
			"phi.cleartext info 10.20.3.10->10.20.2.10:2575 x1\n" +
			"phi.cleartext info 10.20.5.21->10.20.1.10:11112 x1\n" +
			"phi.cleartext info 10.20.5.21->10.20.1.10:11112 x1\n" +
			"phi.cleartext info 10.20.5.22->10.20.1.10:11112 x1\n" +
			"phi.cleartext info 10.20.6.31->10.20.1.10:11112 x1", false},
		{"../flow/dicomflow/testdata/login.pcap", "" +
			"dicom.association-rejected low 10.213.0.1->10.213.0.3:104 x1\n" +
			"phi.cleartext info 10.213.0.1->10.213.0.2:104 x1\n" +
			"phi.cleartext info 10.213.0.1->10.213.0.2:104 x2", true},
		{"testdata/dicom-brute.pcap", "" + // nmap's dicom-brute against an Orthanc checking the called AE title
			"dicom.ae-bruteforce high 127.0.0.1->127.0.0.1:4242 x1\n" +
			"dicom.ae-bruteforce high 127.0.0.1->127.0.0.1:4242 x7\n" + // each later rejection, counted
			"dicom.any-ae-accepted low 127.0.0.1->127.0.0.1:4242 x1\n" + // the found title, called by ECHOSCU
			"dicom.association-rejected low 127.0.0.1->127.0.0.1:4242 x1\n" +
			"dicom.association-rejected low 127.0.0.1->127.0.0.1:4242 x10", false},
		{"testdata/dicom-exe.pcap", "" + // storescu storing a CT with a PE header in a private element, then without
			"dicom.executable-content critical 127.0.0.1->127.0.0.1:11191 x1\n" +
			"phi.cleartext info 127.0.0.1->127.0.0.1:11191 x1\n" +
			"phi.cleartext info 127.0.0.1->127.0.0.1:11191 x1", false},
		{"testdata/dicom-move.pcap", "" + // a C-MOVE to EXFIL, which Orthanc does not know: 0xC000
			"dicom.move-unknown-destination high 127.0.0.1->127.0.0.1:11192 x1\n" +
			"dicom.move-unknown-destination low 127.0.0.1->127.0.0.1:11192 x1", false},
		{"../netproto/http/testdata/http.pcap", "" +
			"dicom.executable-content critical 10.213.0.1->10.213.0.2:8042 x1\n" + // the PUT
			"dicom.executable-content critical 10.213.0.1->10.213.0.2:8042 x1", false}, // the STOW-RS POST, counted
	}
	for _, tt := range tests {
		t.Run(tt.file[strings.LastIndexByte(tt.file, '/')+1:], func(t *testing.T) {
			as := runCapture(t, tt.file, detect.Config{})
			if got := alertText(as, "dicom.", "phi."); got != tt.want {
				t.Errorf("alerts:\n%s\nwant:\n%s", got, tt.want)
			}
			if !tt.normal {
				return
			}
			for _, a := range as {
				if strings.HasPrefix(a.ID, "dicom.") && a.Severity > detect.Low {
					t.Errorf("ordinary traffic raised %s %s: %s", a.ID, a.Severity, a.Summary)
				}
			}
		})
	}
}

// TestDICOMSampleLearned learns the sample's first 30 seconds (the modalities
// and the workstation before the scanner): the retrieve to VIEWER, an AE
// seen only during the C-MOVE, is then high.
func TestDICOMSampleLearned(t *testing.T) {
	as := runCapture(t, "../examples/medscan/testdata/sample.pcapng", detect.Config{Learn: 30 * time.Second})
	got := alertText(as, "dicom.move")
	if want := "dicom.move-unknown-destination high 10.20.6.31->10.20.1.10:11112 x1"; got != want {
		t.Errorf("alerts:\n%s\nwant:\n%s", got, want)
	}
}
