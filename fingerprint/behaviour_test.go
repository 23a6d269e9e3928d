package fingerprint_test

import (
	"path/filepath"
	"testing"
	"time"

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
		"10.20.2.21": "ehr",              // sends ADT^A01 and ADT^A08: the patient administration system
		"10.20.2.22": "ehr",              // sends ORM^O01: order entry
		"10.20.2.23": "",                 // an ORU sender alone says nothing (a LIS, a RIS, a device gateway)
		"10.20.1.20": "workstation",      // VIEWER: images only as a C-MOVE's destination
		"10.20.6.31": "workstation",      // RADWS: C-FIND and C-MOVE, stores nothing
		"10.99.0.66": "",                 // the scanner: C-FIND and C-ECHO alone say nothing
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

// BenchmarkInventory runs the sample capture through an engine with and
// without an inventory as its sink: the difference per event is the
// inventory's cost (warm: the devices exist after the first round).
func BenchmarkInventory(b *testing.B) {
	r, err := capture.Open(filepath.Join(testutil.RepoRoot(b), "examples", "medscan", "testdata", "sample.pcapng"), nil)
	if err != nil {
		b.Fatal(err)
	}
	type pkt struct {
		ts   time.Time
		link flow.LinkType
		data []byte
	}
	var pkts []pkt
	for {
		ts, link, data, err := r.ReadPacket()
		if err != nil {
			break
		}
		pkts = append(pkts, pkt{ts, link, append([]byte(nil), data...)})
	}
	r.Close()
	for _, withInv := range []bool{false, true} {
		name := "engine"
		if withInv {
			name = "engine+inventory"
		}
		b.Run(name, func(b *testing.B) {
			var sink flow.Sink = flow.SinkFunc(func(*flow.Event) {})
			inv := fingerprint.NewInventory(fingerprint.Config{})
			if withInv {
				sink = inv
			}
			events := 0
			e, _ := flow.NewEngine(flow.Config{}, flow.SinkFunc(func(ev *flow.Event) { events++; sink.Event(ev) }))
			b.ReportAllocs()
			for i := range b.N {
				shift := time.Duration(i) * time.Hour // each round a new set of flows
				for _, p := range pkts {
					e.Packet(p.ts.Add(shift), p.link, p.data)
				}
				e.Flush()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
		})
	}
}
