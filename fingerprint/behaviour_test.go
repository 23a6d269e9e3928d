package fingerprint_test

import (
	"path/filepath"
	"testing"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all"
	"github.com/medtap/medtap/internal/testutil"
)

// TestBehaviourClasses runs the sample capture (its script, record.sh,
// says what every address plays) and checks the classes behaviour gives.
func TestBehaviourClasses(t *testing.T) {
	inv := fingerprint.NewInventory(fingerprint.Config{})
	e, err := flow.NewEngine(flow.Config{}, inv)
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.RunFile(e, filepath.Join(testutil.RepoRoot(t), "examples", "medscan", "testdata", "sample.pcapng")); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"10.20.1.10": "pacs",             // Orthanc: stores, answers C-FIND, performs the C-MOVE
		"10.20.2.10": "interface-engine", // the MLLP server four systems send to
		"10.20.3.10": "lab-middleware",   // the ASTM receiver, the LIS
		"10.20.3.41": "lab-analyser",     // the cobas c311
		"10.20.5.21": "modality:CT",      // CT_SCANNER
		"10.20.5.22": "modality:MR",      // MR_SCANNER
		"10.20.2.21": "",                 // an HL7 sender alone says nothing
	}
	got := map[string]string{}
	for _, d := range inv.Devices() {
		got[d.Addr.String()] = d.Class
		if d.MAC.IsZero() {
			t.Errorf("%v: no MAC", d.Addr)
		}
	}
	for addr, class := range want {
		if got[addr] != class {
			t.Errorf("%s: class %q, want %q", addr, got[addr], class)
		}
	}
}

// TestExposure runs the captures whose peers show exposure and checks the
// factors: SMBv1 on the SMB capture, logins in clear text and a default
// password on the DICOM user-identity capture, a CISA advisory for the
// DICOM toolkit the peers run (with its version unknown).
func TestExposure(t *testing.T) {
	root := testutil.RepoRoot(t)
	for _, tt := range []struct {
		file, addr string
		want       []string
	}{
		{"netproto/smb/testdata/smb.pcap", "10.214.0.2", []string{"smbv1"}},
		{"examples/medscan/testdata/sample.pcapng", "10.20.1.10", []string{"cleartext-phi", "advisory"}},
	} {
		inv := fingerprint.NewInventory(fingerprint.Config{})
		e, err := flow.NewEngine(flow.Config{}, inv)
		if err != nil {
			t.Fatal(err)
		}
		if err := capture.RunFile(e, filepath.Join(root, tt.file)); err != nil {
			t.Fatal(err)
		}
		found := map[string]bool{}
		for _, d := range inv.Devices() {
			if d.Addr.String() != tt.addr {
				continue
			}
			for _, x := range d.Exposure {
				found[x.Factor] = true
				if x.Factor == "advisory" && (x.Advisory == nil || len(x.Advisory.CVEs) == 0) {
					t.Errorf("%s: advisory without CVEs: %+v", tt.addr, x)
				}
			}
		}
		for _, f := range tt.want {
			if !found[f] {
				t.Errorf("%s %s: no %s exposure (found %v)", tt.file, tt.addr, f, found)
			}
		}
	}
}
