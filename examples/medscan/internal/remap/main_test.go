package main

import (
	"bytes"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// seg describes one loopback packet of the test capture.
type seg struct {
	sport, dport uint16
	syn, ack     bool
	payload      string
}

var lo = net.IPv4(127, 0, 0, 1)

// frame builds a loopback frame as tcpdump -i lo sees it: zero MACs and a
// TCP checksum that is not valid (the kernel leaves it partial).
func frame(t *testing.T, s seg, id uint16) []byte {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: make(net.HardwareAddr, 6), DstMAC: make(net.HardwareAddr, 6), EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Id: id, Flags: layers.IPv4DontFragment, Protocol: layers.IPProtocolTCP, SrcIP: lo, DstIP: lo}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(s.sport), DstPort: layers.TCPPort(s.dport), Seq: 1000 + uint32(id), Ack: 77, SYN: s.syn, ACK: s.ack, Window: 65483}
	if s.syn {
		tcp.Options = []layers.TCPOption{
			{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{0xff, 0xd7}},
			{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2},
			{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: []byte{1, 2, 3, 4, 0, 0, 0, 0}},
			{OptionType: layers.TCPOptionKindNop},
			{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{7}},
		}
	}
	tcp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp, gopacket.Payload(s.payload)); err != nil {
		t.Fatal(err)
	}
	b := bytes.Clone(buf.Bytes())
	b[14+20+16], b[14+20+17] = 0xfe, 0x30 // partial checksum, as on lo
	return b
}

var (
	t0    = time.Date(2026, 11, 29, 8, 0, 0, 123456789, time.UTC)
	steps = []seg{
		{40000, 11112, true, false, ""},               // workstation SYN to the PACS
		{11112, 40000, true, true, ""},                // SYN-ACK
		{40000, 11112, false, true, "\x01\x00odd"},    // odd-length payload
		{51000, 11114, false, true, "C-STORE-RQ"},     // PACS as client to the viewer
		{11114, 51000, false, true, "\x02\x00\x00ok"}, // viewer replies
		{2575, 40001, false, true, "\x0bMSH|...\x1c\r"},
	}
)

// capture writes steps as a pcap capture with nanosecond times and returns
// it with the frames.
func capture(t *testing.T) ([]byte, [][]byte) {
	t.Helper()
	var out bytes.Buffer
	var frames [][]byte
	w := pcapgo.NewWriterNanos(&out)
	if err := w.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for i, s := range steps {
		b := frame(t, s, uint16(i))
		frames = append(frames, b)
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * 1001 * time.Microsecond), CaptureLength: len(b), Length: len(b)}
		if err := w.WritePacket(ci, b); err != nil {
			t.Fatal(err)
		}
	}
	return out.Bytes(), frames
}

func testPlan() *plan {
	a := netip.MustParseAddr
	return &plan{
		servers: map[uint16]netip.Addr{11112: a("10.20.1.10"), 11114: a("10.20.1.20"), 2575: a("10.20.2.10")},
		clients: map[uint16]netip.Addr{11114: a("10.20.1.10")},
		client:  a("10.20.6.31"),
	}
}

func TestRewrite(t *testing.T) {
	in, frames := capture(t)
	var out bytes.Buffer
	n, err := rewrite(bytes.NewReader(in), &out, testPlan())
	if err != nil || n != len(steps) {
		t.Fatalf("rewrite: %d packets, %v", n, err)
	}
	checkOutput(t, out.Bytes(), frames)
}

func TestRewritePcapng(t *testing.T) {
	var ngBuf bytes.Buffer
	func() {
		w, err := pcapgo.NewNgWriter(&ngBuf, layers.LinkTypeEthernet)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Flush()
		for i, s := range steps {
			b := frame(t, s, uint16(i))
			ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * 1001 * time.Microsecond), CaptureLength: len(b), Length: len(b)}
			if err := w.WritePacket(ci, b); err != nil {
				t.Fatal(err)
			}
		}
	}()
	_, frames := capture(t)
	var out bytes.Buffer
	if _, err := rewrite(&ngBuf, &out, testPlan()); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, out.Bytes(), frames)
}

// checkOutput checks the rewritten capture against the original frames.
func checkOutput(t *testing.T, out []byte, orig [][]byte) {
	t.Helper()
	r, err := pcapgo.NewReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if r.LinkType() != layers.LinkTypeEthernet || r.Resolution() != gopacket.TimestampResolutionNanosecond {
		t.Fatalf("link type %v, resolution %v", r.LinkType(), r.Resolution())
	}
	want := []struct{ src, dst string }{
		{"10.20.6.31", "10.20.1.10"},
		{"10.20.1.10", "10.20.6.31"},
		{"10.20.6.31", "10.20.1.10"},
		{"10.20.1.10", "10.20.1.20"}, // the PACS keeps its address as a client
		{"10.20.1.20", "10.20.1.10"},
		{"10.20.2.10", "10.20.6.31"},
	}
	for i := range want {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			t.Fatalf("packet %d: %v", i+1, err)
		}
		if wt := t0.Add(time.Duration(i) * 1001 * time.Microsecond); !ci.Timestamp.Equal(wt) {
			t.Errorf("packet %d: time %v, want %v", i+1, ci.Timestamp, wt)
		}
		if len(data) != len(orig[i]) || ci.Length != len(data) {
			t.Fatalf("packet %d: %d bytes (length %d), want %d", i+1, len(data), ci.Length, len(orig[i]))
		}
		p := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
		eth := p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
		ip := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		tcp := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if ip.SrcIP.String() != want[i].src || ip.DstIP.String() != want[i].dst {
			t.Errorf("packet %d: %v -> %v, want %s -> %s", i+1, ip.SrcIP, ip.DstIP, want[i].src, want[i].dst)
		}
		s4, d4 := ip.SrcIP.To4(), ip.DstIP.To4()
		if wm := (net.HardwareAddr{2, 0, s4[0], s4[1], s4[2], s4[3]}); eth.SrcMAC.String() != wm.String() {
			t.Errorf("packet %d: source MAC %v, want %v", i+1, eth.SrcMAC, wm)
		}
		if wm := (net.HardwareAddr{2, 0, d4[0], d4[1], d4[2], d4[3]}); eth.DstMAC.String() != wm.String() {
			t.Errorf("packet %d: destination MAC %v, want %v", i+1, eth.DstMAC, wm)
		}
		// Checksums: gopacket's own computation over the packet, checksum
		// field included, gives 0 when the field is right.
		if fold(sum(0, data[14:34])) != 0xffff {
			t.Errorf("packet %d: bad IPv4 header checksum %#04x", i+1, ip.Checksum)
		}
		if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
			t.Fatal(err)
		}
		if c, err := tcp.ComputeChecksum(); err != nil || c != 0 {
			t.Errorf("packet %d: TCP checksum %#04x does not verify (%#04x, %v)", i+1, tcp.Checksum, c, err)
		}
		if uint16(tcp.SrcPort) != steps[i].sport || uint16(tcp.DstPort) != steps[i].dport || string(tcp.Payload) != steps[i].payload {
			t.Errorf("packet %d: ports or payload changed: %v", i+1, p)
		}
		// Nothing but MACs, addresses and checksums may change.
		for j := range data {
			switch {
			case j < 12, j >= 14+10 && j < 14+12, j >= 14+12 && j < 14+20, j == 34+16 || j == 34+17:
				continue
			}
			if data[j] != orig[i][j] {
				t.Errorf("packet %d: byte %d changed from %#02x to %#02x", i+1, j, orig[i][j], data[j])
			}
		}
	}
	if _, _, err := r.ReadPacketData(); err == nil {
		t.Error("more packets than written")
	}
}

func TestRewriteErrors(t *testing.T) {
	in, _ := capture(t)
	p := testPlan()
	delete(p.servers, 2575)
	_, err := rewrite(bytes.NewReader(in), &bytes.Buffer{}, p)
	if err == nil || !strings.Contains(err.Error(), "packet 6: no -server for either port of 2575 -> 40001") {
		t.Errorf("unmapped port: %v", err)
	}

	// A UDP packet.
	var buf bytes.Buffer
	w := pcapgo.NewWriterNanos(&buf)
	w.WriteFileHeader(65535, layers.LinkTypeEthernet)
	sb := gopacket.NewSerializeBuffer()
	gopacket.SerializeLayers(sb, gopacket.SerializeOptions{FixLengths: true},
		&layers.Ethernet{SrcMAC: make(net.HardwareAddr, 6), DstMAC: make(net.HardwareAddr, 6), EthernetType: layers.EthernetTypeIPv4},
		&layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: lo, DstIP: lo},
		&layers.UDP{SrcPort: 5000, DstPort: 5001}, gopacket.Payload("x"))
	w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: len(sb.Bytes()), Length: len(sb.Bytes())}, sb.Bytes())
	if _, err := rewrite(bytes.NewReader(buf.Bytes()), &bytes.Buffer{}, testPlan()); err == nil || !strings.Contains(err.Error(), "not IPv4/TCP") {
		t.Errorf("UDP: %v", err)
	}

	// A truncated packet.
	buf.Reset()
	w = pcapgo.NewWriterNanos(&buf)
	w.WriteFileHeader(40, layers.LinkTypeEthernet)
	b := frame(t, steps[2], 2)
	w.WritePacket(gopacket.CaptureInfo{Timestamp: t0, CaptureLength: 40, Length: len(b)}, b[:40])
	if _, err := rewrite(bytes.NewReader(buf.Bytes()), &bytes.Buffer{}, testPlan()); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated: %v", err)
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	in, frames := capture(t)
	inFile, outFile := filepath.Join(dir, "in.pcap"), filepath.Join(dir, "out.pcap")
	if err := os.WriteFile(inFile, in, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	args := []string{"-server", "11112=10.20.1.10", "-server", "11114=10.20.1.20", "-server", "2575=10.20.2.10",
		"-client", "10.20.6.31", "-client", "11114=10.20.1.10", inFile, outFile}
	if st := run(args, &stderr); st != 0 {
		t.Fatalf("status %d: %s", st, stderr.String())
	}
	out, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	checkOutput(t, out, frames)

	for _, tt := range []struct {
		args   []string
		status int
		msg    string
	}{
		{[]string{"-server", "11112=10.20.1.10", "-client", "10.20.6.31", inFile}, 2, "want IN and OUT"},
		{[]string{"-server", "11112=::1", "-client", "10.20.6.31", inFile, outFile}, 2, "not an IPv4 address"},
		{[]string{"-server", "11112", "-client", "10.20.6.31", inFile, outFile}, 2, "want PORT=IP"},
		{[]string{"-server", "11112=10.20.1.10", inFile, outFile}, 2, "default -client"},
		{[]string{"-server", "11112=10.20.1.10", "-client", "10.20.6.31", "-client", "104=10.20.1.10", inFile, outFile}, 2, "no -server for port 104"},
		{[]string{"-server", "11112=10.20.1.10", "-client", "10.20.6.31", inFile, outFile}, 1, "no -server for either port"},
	} {
		stderr.Reset()
		if st := run(tt.args, &stderr); st != tt.status || !strings.Contains(stderr.String(), tt.msg) {
			t.Errorf("%q: status %d, %q; want %d and %q", tt.args, st, stderr.String(), tt.status, tt.msg)
		}
	}
	if _, err := os.Stat(outFile); err == nil {
		t.Error("failed run left its output behind")
	}
}
