package fingerprint

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// named is a Detail that names its source (or, for kind "server", its
// destination).
type named struct{ name string }

func (n *named) AppendJSON(dst []byte) []byte { return dst }
func (n *named) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	if n.name != "none" {
		yield(flow.Identity{Source: k != "server", Kind: "test", Name: append(buf, n.name...)})
	}
}

func ap(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

func flowEnd(inv *Inventory, ts time.Time, cli, srv string, proto string, c2s, s2c uint64) {
	inv.Event(&flow.Event{Time: ts, Protocol: flow.ProtocolFlow, Kind: flow.KindEnd, Src: ap(cli), Dst: ap(srv),
		Detail: &flow.FlowInfo{Transport: flow.TCP, Protocol: proto, Start: ts.Add(-time.Second), Bytes: [2]uint64{c2s, s2c}}})
}

func name(inv *Inventory, ts time.Time, kind flow.Kind, src, dst, n string) {
	inv.Event(&flow.Event{Time: ts, Protocol: "test", Kind: kind, Src: ap(src), Dst: ap(dst), Detail: &named{n}})
}

func TestInventory(t *testing.T) {
	inv := NewInventory(Config{})
	name(inv, t0, "x", "10.0.0.1:40000", "10.0.0.2:104", "  CT_SCANNER ")
	name(inv, t0, "server", "10.0.0.1:40000", "10.0.0.2:104", "pacs.example")
	name(inv, t0, "x", "10.0.0.1:40000", "10.0.0.2:104", "none") // no identity
	name(inv, t0, "x", "10.0.0.1:40000", "10.0.0.2:104", "   ")  // blank
	name(inv, t0, "x", "10.0.0.1:40000", "10.0.0.2:104", "\xffbad")
	flowEnd(inv, t0.Add(2*time.Second), "10.0.0.1:40000", "10.0.0.2:104", "dicom", 1000, 200)
	flowEnd(inv, t0.Add(3*time.Second), "10.0.0.3:40000", "10.0.0.2:104", "", 10, 0)
	devs := inv.Devices()
	var got []string
	for _, d := range devs {
		got = append(got, string(d.AppendJSON(nil)))
	}
	want := []string{
		`{"type":"device","ts":"2026-01-02T03:04:07.000000000Z","ip":"10.0.0.1","first_seen":"2026-01-02T03:04:05.000000000Z","last_seen":"2026-01-02T03:04:07.000000000Z","protocols":["dicom"],"services":[],"names":["test:?bad","test:CT_SCANNER"],"exposure":[{"factor":"cleartext-phi","detail":"dicom without TLS"}],"peers":1,"flows_in":0,"flows_out":1,"bytes_sent":1000,"bytes_received":200}`,
		`{"type":"device","ts":"2026-01-02T03:04:08.000000000Z","ip":"10.0.0.2","first_seen":"2026-01-02T03:04:05.000000000Z","last_seen":"2026-01-02T03:04:08.000000000Z","protocols":["dicom"],"services":["dicom/tcp:104"],"names":["test:pacs.example"],"exposure":[{"factor":"cleartext-phi","detail":"dicom without TLS"}],"peers":2,"flows_in":2,"flows_out":0,"bytes_sent":200,"bytes_received":1010}`,
		`{"type":"device","ts":"2026-01-02T03:04:08.000000000Z","ip":"10.0.0.3","first_seen":"2026-01-02T03:04:07.000000000Z","last_seen":"2026-01-02T03:04:08.000000000Z","protocols":[],"services":[],"names":[],"peers":1,"flows_in":0,"flows_out":1,"bytes_sent":10,"bytes_received":0}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("devices:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if st := inv.Stats(); st != (Stats{Devices: 3}) {
		t.Errorf("stats %+v", st)
	}
}

// TestInventoryBounded feeds more devices, names, peers and services than
// the caps allow: the inventory keeps the caps and counts what it dropped,
// evicting the least recently seen devices.
func TestInventoryBounded(t *testing.T) {
	inv := NewInventory(Config{MaxDevices: 10, MaxNames: 2, MaxPeers: 3, MaxServices: 2, MaxProtocols: 1})
	server := "10.0.0.1:104"
	for i := range 50 {
		cli := fmt.Sprintf("10.1.%d.%d:40000", i/250, i%250+1)
		ts := t0.Add(time.Duration(i) * time.Second)
		name(inv, ts, "server", cli, server, fmt.Sprint("name", i))
		flowEnd(inv, ts, cli, fmt.Sprintf("10.0.0.1:%d", 100+i%4), fmt.Sprint("p", i%3), 1, 1)
	}
	if inv.Len() != 10 {
		t.Fatalf("%d devices, want 10", inv.Len())
	}
	st := inv.Stats()
	if st.DevicesEvicted != 41 || st.NamesDropped != 48 || st.PeersDropped != 47 || st.ProtocolsDropped == 0 || st.ServicesDropped == 0 {
		t.Errorf("stats %+v", st)
	}
	devs := inv.Devices()
	srv := devs[0]
	if srv.Addr != netip.MustParseAddr("10.0.0.1") || len(srv.Names) != 2 || srv.Peers != 3 || len(srv.Services) != 2 || len(srv.Protocols) != 1 || srv.FlowsIn != 50 {
		t.Errorf("server %+v", srv)
	}
	// The clients kept are the nine most recent.
	if devs[1].Addr != netip.MustParseAddr("10.1.0.42") {
		t.Errorf("oldest client kept: %v", devs[1].Addr)
	}
}

// TestInventoryMappedIsSame: an IPv4 address and its IPv4-mapped IPv6 form
// are one device, and a device's peers count each once.
func TestInventoryMappedIsSame(t *testing.T) {
	inv := NewInventory(Config{})
	flowEnd(inv, t0, "10.0.0.5:40000", "10.0.0.1:104", "dicom", 1, 1)
	flowEnd(inv, t0.Add(time.Second), "[::ffff:10.0.0.5]:40001", "[::ffff:10.0.0.1]:104", "dicom", 1, 1)
	flowEnd(inv, t0.Add(2*time.Second), "10.0.0.6:40000", "10.0.0.1:104", "dicom", 1, 1)
	flowEnd(inv, t0.Add(3*time.Second), "10.0.0.5:40002", "10.0.0.1:104", "dicom", 1, 1)
	if inv.Len() != 3 {
		t.Fatalf("%d devices, want 3", inv.Len())
	}
	for _, d := range inv.Devices() {
		if d.Addr == netip.MustParseAddr("10.0.0.1") && (d.Peers != 2 || d.FlowsIn != 4) {
			t.Errorf("server: %d peers, %d flows in; want 2 and 4", d.Peers, d.FlowsIn)
		}
	}
}
