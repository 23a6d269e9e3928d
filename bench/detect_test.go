package bench

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/testutil"
)

// mixedCapture is the packets of the embedded sample capture and of the
// protocol captures recorded with real peers (DICOM with nmap and Orthanc,
// HL7, SMB, FTP, HTTP, SNMP, Telnet, DHCP, ...), in memory: a mix of the
// events a hospital network gives.
type packets struct {
	times []time.Time
	links []flow.LinkType
	data  [][]byte
}

var (
	mixedOnce sync.Once
	mixed     *packets
	mixedErr  error
)

func mixedCapture(tb testing.TB) (*packets, error) {
	root := testutil.RepoRoot(tb)
	mixedOnce.Do(func() { mixed, mixedErr = readMixed(root) })
	return mixed, mixedErr
}

func readMixed(root string) (*packets, error) {
	var p packets
	for _, name := range []string{
		"examples/medscan/testdata/sample.pcapng",
		"dicom/ul/testdata/nmap.pcap", "dicom/ul/testdata/orthanc.pcap", "dicom/ul/testdata/store.pcap",
		"dicom/ul/testdata/abort.pcap", "flow/dicomflow/testdata/login.pcap",
		"flow/hl7flow/testdata/mllp-interop/client-to-python.pcap",
		"netproto/smb/testdata/smb.pcap", "netproto/ftp/testdata/ftp.pcap", "netproto/http/testdata/http.pcap",
		"netproto/snmp/testdata/snmp.pcap", "netproto/telnet/testdata/telnet.pcap", "netproto/dhcp/testdata/dhcp.pcap",
		"netproto/mail/testdata/mail.pcap", "netproto/tcpsig/testdata/handshakes.pcap",
	} {
		r, err := capture.Open(filepath.Join(root, name), nil)
		if err != nil {
			return nil, err
		}
		for {
			ts, link, data, err := r.ReadPacket()
			if err != nil {
				break
			}
			p.times = append(p.times, ts)
			p.links = append(p.links, link)
			p.data = append(p.data, append([]byte(nil), data...))
		}
		r.Close()
	}
	return &p, nil
}

// BenchmarkDetect measures the default detector set on the events of
// mixedCapture. Each iteration replays the capture twice through one flow
// engine: once to a sink that counts events, once to the inventory and the
// detect engine, both kept across iterations (steady state); the
// difference of the two times is the detectors' and the inventory's.
// detect-events/s is the events per second of the detect engine alone
// (measured the same way without the inventory in the "detect" row).
func BenchmarkDetect(b *testing.B) {
	p, err := mixedCapture(b)
	if err != nil {
		b.Fatal(err)
	}
	for _, withInventory := range []bool{false, true} {
		name := "detect"
		if withInventory {
			name = "inventory+detect"
		}
		b.Run(name, func(b *testing.B) {
			var events int
			count := flow.SinkFunc(func(*flow.Event) { events++ })
			inv := fingerprint.NewInventory(fingerprint.Config{})
			cfg := detect.Config{}
			if withInventory {
				cfg.Devices = inv
			}
			det, err := detect.NewEngine(cfg, nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			var sink flow.Sink = det
			if withInventory {
				sink = flow.SinkFunc(func(e *flow.Event) { inv.Event(e); det.Event(e) })
			}
			base := mustEngine(b, flow.Config{}, count)
			full := mustEngine(b, flow.Config{}, sink)
			replay := func(e *flow.Engine) {
				for i, d := range p.data {
					e.Packet(p.times[i], p.links[i], d)
				}
				e.Flush()
			}
			replay(full) // warm the tables
			var tBase, tFull time.Duration
			b.ReportAllocs()
			for b.Loop() {
				t := time.Now()
				replay(base)
				tBase += time.Since(t)
				t = time.Now()
				replay(full)
				tFull += time.Since(t)
			}
			perRound := float64(events) / float64(b.N)
			b.ReportMetric(perRound, "events/op")
			if d := tFull - tBase; d > 0 {
				b.ReportMetric(float64(events)/d.Seconds(), "detect-events/s")
				b.ReportMetric(d.Seconds()*1e9/float64(events), "detect-ns/event")
			}
			b.ReportMetric(float64(det.Stats().Raised)/float64(b.N+1), "raised/op")
		})
	}
}
