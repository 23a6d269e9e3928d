package fingerprint_test

import (
	"encoding/binary"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/testutil"
)

// FuzzInventory runs packets through an engine with every adapter and an
// inventory with small caps: whatever the traffic, the inventory keeps its
// caps and every device it reports is valid JSON. The input is a sequence
// of packets of the sample's link type, each after a 2-byte big-endian
// length; the seeds are the sample capture.
func FuzzInventory(f *testing.F) {
	r, err := capture.Open(filepath.Join(testutil.RepoRoot(f), "examples", "medscan", "testdata", "sample.pcapng"), nil)
	if err != nil {
		f.Fatal(err)
	}
	// The seeds are the sample in runs of 16 packets: small inputs keep
	// the fuzzer's minimising quick.
	var seed []byte
	var link flow.LinkType
	for i := 1; ; i++ {
		_, l, data, err := r.ReadPacket()
		if err != nil {
			break
		}
		link = l
		seed = binary.BigEndian.AppendUint16(seed, uint16(len(data)))
		seed = append(seed, data...)
		if i%16 == 0 {
			f.Add(seed)
			seed = nil
		}
	}
	r.Close()
	if len(seed) > 0 {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := fingerprint.Config{MaxDevices: 8, MaxNames: 4, MaxServices: 4, MaxProtocols: 4, MaxPeers: 4, MaxRoles: 4, MaxAddrs: 3, RouterAddrs: 3}
		inv := fingerprint.NewInventory(cfg)
		e, err := flow.NewEngine(flow.Config{MaxFlows: 32, MaxBufferedBytes: 1 << 16}, inv)
		if err != nil {
			t.Fatal(err)
		}
		ts := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		for i := 0; len(data) >= 2 && i < 4096; i++ {
			n := int(binary.BigEndian.Uint16(data))
			data = data[2:]
			n = min(n, len(data))
			e.Packet(ts.Add(time.Duration(i)*time.Millisecond), link, data[:n])
			data = data[n:]
		}
		e.Flush()
		if inv.Len() > cfg.MaxDevices {
			t.Fatalf("%d devices, cap %d", inv.Len(), cfg.MaxDevices)
		}
		var b []byte
		devs := inv.Devices()
		if len(devs) != inv.Len() {
			t.Fatalf("%d devices, Len %d", len(devs), inv.Len())
		}
		for _, d := range devs {
			if len(d.Names) > cfg.MaxNames || len(d.Services) > cfg.MaxServices || len(d.Protocols) > cfg.MaxProtocols || d.Peers > cfg.MaxPeers || len(d.Addrs) > cfg.MaxAddrs {
				t.Fatalf("device over its caps: %+v", d)
			}
			b = d.AppendJSON(b[:0])
			if !json.Valid(b) {
				t.Fatalf("invalid JSON: %s", b)
			}
		}
	})
}
