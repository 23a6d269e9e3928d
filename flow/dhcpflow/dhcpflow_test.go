package dhcpflow

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// capturePath is the capture of dnsmasq and dhclient that
// netproto/dhcp/testdata/record.sh records.
const capturePath = "../../netproto/dhcp/testdata/dhcp.pcap"

// lineSink renders every event of protocol dhcp, errors included, as
// "kind src > dst {json}".
type lineSink struct{ lines []string }

func (s *lineSink) Event(e *flow.Event) {
	if e.Protocol != Name {
		return
	}
	b := []byte(string(e.Kind) + " " + e.Src.String() + " > " + e.Dst.String() + " {")
	if e.Detail != nil {
		b = e.Detail.AppendJSON(b)
	}
	s.lines = append(s.lines, string(b)+"}")
}

// TestCaptureGolden decodes the real-peer capture and compares its events
// with testdata/events.golden; every line's detail must be valid JSON.
func TestCaptureGolden(t *testing.T) {
	sink := &lineSink{}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	flowtest.RunFile(t, e, capturePath)
	for _, l := range sink.lines {
		_, obj, _ := strings.Cut(l, "{")
		if !json.Valid([]byte("{" + strings.Replace(obj, ",", "", 1))) {
			t.Errorf("invalid JSON: %s", l)
		}
	}
	got := strings.Join(sink.lines, "\n") + "\n"
	const golden = "testdata/events.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("events differ from %s (go test -update rewrites it):\n%s", golden, got)
	}
	if st := e.Stats(); st.DecodeErrors != 0 {
		t.Errorf("%d decode errors", st.DecodeErrors)
	}
}

// TestCaptureIdentities feeds the capture to an inventory: the clients'
// host names and vendor classes reach their devices (from renewals,
// releases and the server's ACKs, and from DHCPv6 link-local addresses;
// each client is one device of its MAC, with its IPv4, link-local and
// DHCPv6 addresses, named here by the last one seen), and nothing is said
// of 0.0.0.0, the broadcast address, the server or the relay
// (10.211.0.129, fd11:211::2, fe80::11:ff:fe00:81), which forwards the
// messages of c4.
func TestCaptureIdentities(t *testing.T) {
	inv := fingerprint.NewInventory(fingerprint.Config{})
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, inv)
	flowtest.RunFile(t, e, capturePath)
	got := map[string][]string{}
	for _, d := range inv.Devices() {
		if len(d.Names) > 0 {
			got[d.Addr.String()] = d.Names
		}
	}
	want := map[string][]string{
		"10.211.0.101":        {"host:C3-WORKSTATION", "host:c3-workstation.ward.example", "vendor:MSFT 5.0"},
		"fe80::11:ff:fe00:c1": {"host:c1-infusion", "vendor:medtap-pump 1.0"},                         // and 10.211.0.120, fd11:211::115
		"fe80::11:ff:fe00:c2": {"host:c2-monitor", "host:c2-monitor.ward.example", "vendor:MSFT 5.0"}, // and 10.211.0.100
		// The name the client asks for, and the one the server's Reply
		// gives it (and 10.211.0.202, fd11:211::19b).
		"fe80::11:ff:fe00:c4": {"host:c4-analyser", "host:c4-analyser.lab.example", "host:c4-analyser.ward.example", "vendor:medtap-lab 2.1"},
	}
	for a, names := range want {
		if !slices.Equal(got[a], names) {
			t.Errorf("%s: names %q, want %q", a, got[a], names)
		}
	}
	for a, names := range got {
		if want[a] == nil {
			t.Errorf("%s: names %q, want none", a, names)
		}
	}
}

var (
	cli   = netip.MustParseAddrPort("10.211.0.50:68")
	srv   = netip.MustParseAddrPort("10.211.0.1:67")
	zero  = netip.MustParseAddrPort("0.0.0.0:68")
	bcast = netip.MustParseAddrPort("255.255.255.255:67")
	relay = netip.MustParseAddrPort("10.211.0.254:67")
)

// msg4 returns a DHCPv4 message of op (1 request, 2 reply) with the
// options given (code, length, value each) and End; xid 0x01020304,
// chaddr 02:11:00:00:00:50.
func msg4(op byte, mod func([]byte), opts ...byte) []byte {
	b := make([]byte, 240)
	b[0], b[1], b[2] = op, 1, 6
	copy(b[4:], []byte{1, 2, 3, 4})
	copy(b[28:], []byte{2, 0x11, 0, 0, 0, 0x50})
	copy(b[236:], []byte{99, 130, 83, 99})
	if mod != nil {
		mod(b)
	}
	return append(append(b, opts...), 255)
}

// rawUDP6 returns a raw-IP (flow.LinkRaw) IPv6/UDP packet.
func rawUDP6(src, dst netip.AddrPort, payload []byte) []byte {
	b := make([]byte, 48+len(payload))
	b[0] = 0x60
	binary.BigEndian.PutUint16(b[4:], uint16(8+len(payload)))
	b[6], b[7] = 17, 64
	s, d := src.Addr().As16(), dst.Addr().As16()
	copy(b[8:], s[:])
	copy(b[24:], d[:])
	binary.BigEndian.PutUint16(b[40:], src.Port())
	binary.BigEndian.PutUint16(b[42:], dst.Port())
	binary.BigEndian.PutUint16(b[44:], uint16(8+len(payload)))
	copy(b[48:], payload)
	return b
}

func opt6(code uint16, v ...byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, code)
	return append(binary.BigEndian.AppendUint16(b, uint16(len(v))), v...)
}

func cat(parts ...[]byte) []byte { return slices.Concat(parts...) }

// relay6 wraps inner in a relay message of type t.
func relay6(t byte, hops byte, inner []byte) []byte {
	h := append([]byte{t, hops}, []byte{0xfd, 0x11, 0x02, 0x11, 15: 0xfe}...)
	h = append(h, []byte{0xfe, 0x80, 11: 0x11, 15: 0x50}...)
	return cat(h, opt6(9, inner...))
}

var (
	cli6     = netip.MustParseAddrPort("[fe80::11:0:50]:546")
	srv6     = netip.MustParseAddrPort("[fe80::1]:547")
	allDHCP6 = netip.MustParseAddrPort("[ff02::1:2]:547")
	relay6ap = netip.MustParseAddrPort("[fd11:211::fe]:547")
	solicit  = cat([]byte{1, 0xab, 0xcd, 0xef}, opt6(1, 0, 3, 0, 1, 2, 0x11, 0, 0, 0, 0x50), opt6(6, 0, 23, 0, 24),
		opt6(16, cat([]byte{0, 0, 1, 0x37, 0, 8}, []byte("MSFT 5.0"))...), opt6(39, 1, 4, 'p', 'u', 'm', 'p'))
)

type packet struct {
	src, dst netip.AddrPort
	payload  []byte
}

// run feeds the datagrams to an engine with only this protocol and returns
// its events rendered by lineSink and the names an inventory learned, as
// "addr kind:name".
func run(t *testing.T, pkts []packet) (lines, names []string) {
	t.Helper()
	sink := &lineSink{}
	inv := fingerprint.NewInventory(fingerprint.Config{})
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
		sink.Event(ev)
		inv.Event(ev)
	}))
	for i, p := range pkts {
		var raw []byte
		if p.src.Addr().Is6() {
			raw = rawUDP6(p.src, p.dst, p.payload)
		} else {
			raw = pkttest.RawUDP(p.src, p.dst, p.payload)
		}
		if err := e.Packet(pkttest.T0.Add(pkttest.MS(i)), flow.LinkRaw, raw); err != nil {
			t.Fatal(err)
		}
	}
	e.Flush()
	for _, d := range inv.Devices() {
		for _, n := range d.Names {
			names = append(names, d.Addr.String()+" "+n)
		}
	}
	return sink.lines, names
}

func TestDecoder(t *testing.T) {
	host := []byte{12, 4, 'p', 'u', 'm', 'p'}
	ack := []byte{53, 1, 5}
	yiaddr := func(b []byte) { copy(b[16:], []byte{10, 211, 0, 50}) }
	for _, tt := range []struct {
		name  string
		pkts  []packet
		want  []string
		names []string
	}{
		{"discover from 0.0.0.0 identifies no one", []packet{{zero, bcast, msg4(1, nil, cat([]byte{53, 1, 1}, host, []byte{60, 3, 'v', 'c', '1'})...)}},
			[]string{`discover 0.0.0.0:68 > 255.255.255.255:67 {,"xid":"0x01020304","client_mac":"02:11:00:00:00:50","hostname":"pump","vendor_class":"vc1"}`}, nil},
		{"renewal from the client's address", []packet{{cli, srv, msg4(1, func(b []byte) { copy(b[12:], []byte{10, 211, 0, 50}) }, cat([]byte{53, 1, 3}, host)...)}},
			[]string{`request 10.211.0.50:68 > 10.211.0.1:67 {,"xid":"0x01020304","client_mac":"02:11:00:00:00:50","hostname":"pump"}`},
			[]string{"10.211.0.50 host:pump"}},
		{"a relayed request identifies no one", []packet{{relay, srv, msg4(1, func(b []byte) { copy(b[24:], []byte{10, 211, 0, 254}) }, cat([]byte{53, 1, 3}, host)...)}},
			[]string{`request 10.211.0.254:67 > 10.211.0.1:67 {,"xid":"0x01020304","client_mac":"02:11:00:00:00:50","hostname":"pump"}`}, nil},
		{"ACK to the assigned address", []packet{{srv, cli, msg4(2, yiaddr, cat(ack, host, []byte{51, 4, 0, 0, 0x0e, 0x10, 54, 4, 10, 211, 0, 1})...)}},
			[]string{`ack 10.211.0.1:67 > 10.211.0.50:68 {,"xid":"0x01020304","client_mac":"02:11:00:00:00:50","hostname":"pump","assigned_ip":"10.211.0.50","lease_s":3600,"server_id":"10.211.0.1"}`},
			[]string{"10.211.0.50 host:pump"}},
		// The broadcast address is no one; the inventory ties the
		// assigned address to the client's MAC and host name.
		{"ACK by broadcast", []packet{{srv, netip.MustParseAddrPort("255.255.255.255:68"), msg4(2, yiaddr, cat(ack, host)...)}},
			[]string{`ack 10.211.0.1:67 > 255.255.255.255:68 {,"xid":"0x01020304","client_mac":"02:11:00:00:00:50","hostname":"pump","assigned_ip":"10.211.0.50"}`},
			[]string{"10.211.0.50 host:pump"}},
		{"ACK of an inform, to ciaddr", []packet{{srv, cli, msg4(2, func(b []byte) { copy(b[12:], []byte{10, 211, 0, 50}) }, cat(ack, []byte{81, 7, 0, 255, 255, 'p', 'u', 'm', 'p'})...)}},
			[]string{`ack 10.211.0.1:67 > 10.211.0.50:68 {,"xid":"0x01020304","client_mac":"02:11:00:00:00:50","fqdn":"pump"}`},
			[]string{"10.211.0.50 host:pump"}},
		{"NUL-terminated host name and vendor class", []packet{{cli, srv, msg4(1, func(b []byte) { copy(b[12:], []byte{10, 211, 0, 50}) },
			53, 1, 7, 12, 5, 'p', 'u', 'm', 'p', 0, 60, 4, 'v', 'c', 0, 0, 81, 6, 0, 0, 0, 'p', 'u', 0)}},
			[]string{`release 10.211.0.50:68 > 10.211.0.1:67 {,"xid":"0x01020304","client_mac":"02:11:00:00:00:50","hostname":"pump","vendor_class":"vc","fqdn":"pu"}`},
			[]string{"10.211.0.50 host:pu", "10.211.0.50 host:pump", "10.211.0.50 vendor:vc"}},
		{"offer identifies no one", []packet{{srv, cli, msg4(2, yiaddr, cat([]byte{53, 1, 2}, host)...)}},
			[]string{`offer 10.211.0.1:67 > 10.211.0.50:68 {,"xid":"0x01020304","client_mac":"02:11:00:00:00:50","hostname":"pump","assigned_ip":"10.211.0.50"}`}, nil},
		{"DHCP on another port, by its cookie", []packet{{netip.MustParseAddrPort("10.211.0.50:4011"), netip.MustParseAddrPort("10.211.0.1:4011"),
			msg4(1, func(b []byte) { b[1] = 6 }, 53, 1, 8, 55, 3, 1, 3, 6, 61, 3, 255, 0, 1)}},
			[]string{`inform 10.211.0.50:4011 > 10.211.0.1:4011 {,"xid":"0x01020304","param_list":"1,3,6","client_id":"ff0001"}`}, nil},
		{"BOOTP and other message types", []packet{{zero, bcast, msg4(1, nil)}, {srv, cli, msg4(2, yiaddr)}, {cli, srv, msg4(1, nil, 53, 1, 10)}},
			[]string{
				`bootp-request 0.0.0.0:68 > 255.255.255.255:67 {,"xid":"0x01020304","client_mac":"02:11:00:00:00:50"}`,
				`bootp-reply 10.211.0.1:67 > 10.211.0.50:68 {,"xid":"0x01020304","client_mac":"02:11:00:00:00:50","assigned_ip":"10.211.0.50"}`,
				`other 10.211.0.50:68 > 10.211.0.1:67 {,"xid":"0x01020304","client_mac":"02:11:00:00:00:50","msg_type":10}`,
			}, nil},
		{"malformed", []packet{{zero, bcast, msg4(1, nil, 53, 1, 1, 12, 40, 'x')}, {zero, bcast, []byte("not dhcp")}},
			[]string{
				`error 0.0.0.0:68 > 255.255.255.255:67 {,"offset":243,"error":"dhcp: option length exceeds its area: option 12 at offset 243"}`,
				`error 0.0.0.0:68 > 255.255.255.255:67 {,"offset":8,"error":"dhcp: message too short at offset 8"}`,
			}, nil},
		{"DHCPv6 solicit from a link-local address", []packet{{cli6, allDHCP6, solicit}},
			[]string{`solicit [fe80::11:0:50]:546 > [ff02::1:2]:547 {,"v6":true,"xid":"0xabcdef","client_mac":"02:11:00:00:00:50","vendor_class":"MSFT 5.0","vendor_enterprise":311,"param_list":"23,24","duid":"00030001021100000050","fqdn":"pump"}`},
			[]string{"fe80::11:0:50 host:pump", "fe80::11:0:50 vendor:MSFT 5.0"}},
		{"DHCPv6 reply with an address and a name", []packet{{srv6, cli6, cat([]byte{7, 0xab, 0xcd, 0xef}, opt6(2, 0, 3, 0, 1, 2, 0x11, 0, 0, 0, 1),
			opt6(3, cat([]byte{0, 0, 0, 1, 0, 0, 0, 60, 0, 0, 0, 90}, opt6(5, cat([]byte{0xfd, 0x11, 0x02, 0x11, 15: 0x50}, []byte{0, 0, 0, 120, 0, 0, 0, 240})...))...),
			opt6(39, 0, 4, 'p', 'u', 'm', 'p', 4, 'w', 'a', 'r', 'd', 0))}},
			[]string{`reply [fe80::1]:547 > [fe80::11:0:50]:546 {,"v6":true,"xid":"0xabcdef","assigned_ip":"fd11:211::50","fqdn":"pump.ward","lease_s":240,"server_id":"00030001021100000001"}`},
			[]string{"fe80::11:0:50 host:pump.ward"}},
		{"DHCPv6 relay-forw of a relay-forw", []packet{{relay6ap, netip.MustParseAddrPort("[fd11:211::1]:547"), relay6(12, 1, relay6(12, 0, solicit))}},
			[]string{`relay-forw [fd11:211::fe]:547 > [fd11:211::1]:547 {,"v6":true,"xid":"0xabcdef","client_mac":"02:11:00:00:00:50","vendor_class":"MSFT 5.0","vendor_enterprise":311,"param_list":"23,24","duid":"00030001021100000050","fqdn":"pump","hop_count":1,"link_addr":"fd11:211::fe","peer_addr":"fe80::11:0:50","relayed":"solicit"}`}, nil},
		{"DHCPv6 relay with a malformed message", []packet{{relay6ap, netip.MustParseAddrPort("[fd11:211::1]:547"), relay6(13, 0, []byte{7, 1, 2, 3, 0, 1, 0, 9})}},
			[]string{
				`error [fd11:211::fe]:547 > [fd11:211::1]:547 {,"offset":42,"error":"dhcp: option length exceeds its area: option 1 at offset 42"}`,
				`relay-repl [fd11:211::fe]:547 > [fd11:211::1]:547 {,"v6":true,"hop_count":0,"link_addr":"fd11:211::fe","peer_addr":"fe80::11:0:50"}`,
			}, nil},
		{"DHCPv6 leasequery", []packet{{relay6ap, srv6, []byte{14, 0, 0, 1}}},
			[]string{`other [fd11:211::fe]:547 > [fe80::1]:547 {,"v6":true,"xid":"0x000001","msg_type":14}`}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lines, names := run(t, tt.pkts)
			if strings.Join(lines, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("events:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(tt.want, "\n"))
			}
			if strings.Join(names, "\n") != strings.Join(tt.names, "\n") {
				t.Errorf("names:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(tt.names, "\n"))
			}
		})
	}
}

// TestRelayDepth checks that relay messages nested past the limit are
// reported, not followed.
func TestRelayDepth(t *testing.T) {
	m := solicit
	for range maxRelayDepth + 1 {
		m = relay6(12, 0, m)
	}
	lines, _ := run(t, []packet{{relay6ap, srv6, m}})
	if len(lines) != 2 || !strings.Contains(lines[0], "nested deeper than 32") || !strings.HasPrefix(lines[1], "relay-forw") {
		t.Errorf("events:\n%s", strings.Join(lines, "\n"))
	}
}
