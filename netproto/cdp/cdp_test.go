package cdp

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/pcaptest"
)

func tlv(t TLVType, v ...byte) []byte {
	return append([]byte{byte(t >> 8), byte(t), byte((len(v) + 4) >> 8), byte(len(v) + 4)}, v...)
}

func str(t TLVType, s string) []byte { return tlv(t, []byte(s)...) }

// packet builds a CDPv2 packet of the TLVs with a correct checksum.
func packet(tlvs ...[]byte) []byte {
	b := []byte{2, 180, 0, 0}
	for _, t := range tlvs {
		b = append(b, t...)
	}
	binary.BigEndian.PutUint16(b[2:], Checksum(b))
	return b
}

func addrs(entries ...[]byte) []byte {
	v := binary.BigEndian.AppendUint32(nil, uint32(len(entries)))
	for _, e := range entries {
		v = append(v, e...)
	}
	return v
}

var (
	ipv4Entry = []byte{1, 1, 0xcc, 0, 4, 10, 216, 0, 12}
	ipv6Entry = append([]byte{2, 8, 0xaa, 0xaa, 3, 0, 0, 0, 0x86, 0xdd, 0, 16}, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0c)
)

func fullPacket() []byte {
	return packet(
		str(TypeDeviceID, "SEP00AABBCCDDEE"),
		tlv(TypeAddresses, addrs(ipv4Entry, ipv6Entry)...),
		str(TypePortID, "Port 1"),
		tlv(TypeCapabilities, 0, 0, 0x04, 0x90),
		str(TypeSoftwareVersion, "SIP88xx.14-1-1"),
		str(TypePlatform, "Cisco IP Phone 8865"),
		str(TypeVTPDomain, "WARD7"),
		tlv(TypeNativeVLAN, 0x00, 0x64),
		tlv(TypeDuplex, 1),
		str(TypeSystemName, "phone-bed3"),
		tlv(TypeMgmtAddresses, addrs(ipv4Entry)...),
		tlv(0x7777, 1, 2, 3),
	)
}

func TestParseFull(t *testing.T) {
	var p Packet
	if err := Parse(fullPacket(), &p); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"device", string(p.DeviceID), "SEP00AABBCCDDEE"},
		{"port", string(p.PortID), "Port 1"},
		{"software", string(p.Software), "SIP88xx.14-1-1"},
		{"platform", string(p.Platform), "Cisco IP Phone 8865"},
		{"vtp", string(p.VTPDomain), "WARD7"},
		{"system name", string(p.SystemName), "phone-bed3"},
		{"capabilities", p.Capabilities.String(), "host,phone,mac-relay"},
		{"ip", p.IP().String(), "10.216.0.12"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	ip6, ok := p.Addrs[1].IP()
	if p.Version != 2 || p.TTL != 180 || !p.ChecksumOK || p.NumAddrs != 2 || !ok || ip6.String() != "fd00::c" ||
		p.NumMgmtAddr != 1 || !p.HasNativeVLAN || p.NativeVLAN != 100 || !p.HasDuplex || !p.FullDuplex || p.Dropped != 0 {
		t.Errorf("%+v", p)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
		want error
		off  int64
	}{
		{"empty", nil, ErrTruncated, 0},
		{"short header", []byte{2, 180, 0}, ErrTruncated, 0},
		{"version", []byte{3, 180, 0, 0}, ErrVersion, 0},
		{"truncated TLV header", append(packet(str(TypeDeviceID, "a")), 0, 1), ErrTruncated, 9},
		{"TLV length 3", append(packet(), 0, 1, 0, 3), ErrLength, 4},
		{"zero TLV before data", append(packet(), 0, 0, 0, 0, 1), ErrLength, 4},
		{"TLV past end", append(packet(), 0, 1, 0, 9, 'a'), ErrTruncated, 4},
		{"capabilities length", packet(tlv(TypeCapabilities, 1)), ErrLength, 4},
		{"native VLAN length", packet(tlv(TypeNativeVLAN, 1)), ErrLength, 4},
		{"duplex length", packet(tlv(TypeDuplex)), ErrLength, 4},
		{"addresses short", packet(tlv(TypeAddresses, 0, 0)), ErrLength, 4},
		{"address count", packet(str(TypeDeviceID, "sw"), tlv(TypeAddresses, 0, 0, 0, 2, 1, 1, 0xcc, 0, 4, 1, 2, 3, 4)), ErrLength, 10},
		{"address length", packet(tlv(TypeAddresses, 0, 0, 0, 1, 1, 1, 0xcc, 0, 5, 1, 2, 3, 4)), ErrLength, 4},
		{"protocol length", packet(tlv(TypeAddresses, 0, 0, 0, 1, 1, 9, 0xcc)), ErrLength, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var p Packet
			err := Parse(tt.in, &p)
			var e *Error
			if !errors.Is(err, tt.want) || !errors.As(err, &e) || e.ByteOffset() != tt.off {
				t.Fatalf("err = %v, want %v at %d", err, tt.want, tt.off)
			}
			if !strings.HasPrefix(err.Error(), "cdp: ") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	var entries [][]byte
	for range MaxAddrs + 3 {
		entries = append(entries, ipv4Entry)
	}
	var p Packet
	err := Parse(packet(tlv(TypeAddresses, addrs(entries...)...), tlv(TypeAddresses, addrs(ipv4Entry)...),
		str(TypeDeviceID, "a"), str(TypeDeviceID, "b")), &p)
	if err != nil || p.NumAddrs != MaxAddrs || p.Dropped != 3+1+1 || string(p.DeviceID) != "a" {
		t.Errorf("err %v, %d addresses, %d dropped, device %q", err, p.NumAddrs, p.Dropped, p.DeviceID)
	}
}

func TestChecksum(t *testing.T) {
	// Odd lengths with a last byte below and above 0x80, as lldpd and
	// Wireshark compute them.
	for _, tt := range []struct {
		in   []byte
		want uint16
	}{
		{[]byte{2, 180, 0, 0}, 0xfd4b},
		{[]byte{2, 180, 0, 0, 0x41}, 0xfd0a},
		{[]byte{2, 180, 0, 0, 0xc1}, 0xfd8a},
		{[]byte{2, 180, 0xff, 0xff, 0x12, 0x34}, 0xeb17},
	} {
		if got := Checksum(tt.in); got != tt.want {
			t.Errorf("Checksum(% x) = %#04x, want %#04x", tt.in, got, tt.want)
		}
	}
	var p Packet
	// Ethernet padding after the last TLV is no part of the packet.
	short := packet(str(TypeDeviceID, "sw1"))
	if err := Parse(append(short, make([]byte, 30)...), &p); err != nil || !p.ChecksumOK || string(p.DeviceID) != "sw1" {
		t.Errorf("padded: %v, checksum ok %v", err, p.ChecksumOK)
	}
	b := fullPacket()
	b[len(b)-1] ^= 1
	if err := Parse(b, &p); err != nil || p.ChecksumOK {
		t.Errorf("a changed byte: %v, checksum ok %v", err, p.ChecksumOK)
	}
}

func TestNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{TypeMgmtAddresses.String(), "management-addresses"},
		{TLVType(0x7777).String(), "TLVType(30583)"},
		{(CapRouter | CapSwitch | 1<<31).String(), "router,switch,bit31"},
		{CapabilityName(7), "phone"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	a := Address{ProtocolType: 1, Protocol: []byte{0x81}, Addr: []byte{1, 2, 3, 4}}
	if _, ok := a.IP(); ok {
		t.Error("CLNS address taken for IPv4")
	}
}

var sniffTests = []struct {
	name string
	in   []byte
	want bool
}{
	{"full", fullPacket(), true},
	{"v1", append([]byte{1, 180, 0, 0}, str(TypeDeviceID, "sw1")...), true},
	{"empty", nil, false},
	{"header only", []byte{2, 180, 0, 0}, false},
	{"version 3", append([]byte{3, 180, 0, 0}, str(TypeDeviceID, "sw1")...), false},
	{"type 0", append([]byte{2, 180, 0, 0}, tlv(0, 1)...), false},
	{"length past data", []byte{2, 180, 0, 0, 0, 1, 0, 40, 'a'}, false},
	{"LLDP", []byte{0x02, 0x07, 0x04, 0, 0x1b, 0x21, 0xaa, 0xbb, 0xcc}, false},
}

func TestSniff(t *testing.T) {
	for _, tt := range sniffTests {
		if got := Sniff(tt.in); got != tt.want {
			t.Errorf("%s: Sniff = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func packets(tb testing.TB) [][]byte { return pcaptest.EtherPayloads(tb, "testdata/cdp.pcap", 0x2000) }

// TestCapture reads the CDPv1 and CDPv2 packets lldpd sent in
// testdata/cdp.pcap (recorded by ../lldp/testdata/record.sh).
func TestCapture(t *testing.T) {
	seen := map[string]int{}
	var parity, versions [3]int
	for i, b := range packets(t) {
		var p Packet
		if !Sniff(b) {
			t.Errorf("packet %d: Sniff false", i)
		}
		if err := Parse(b, &p); err != nil {
			t.Fatalf("packet %d: %v", i, err)
		}
		if !p.ChecksumOK {
			t.Errorf("packet %d (%d bytes): checksum %#04x, computed %#04x", i, len(b), p.Checksum, Checksum(b))
		}
		got := strings.Join([]string{string(p.DeviceID), string(p.PortID), p.IP().String(), p.Capabilities.String(), string(p.Platform)}, "|")
		if want := map[string]string{
			"mtll-access-sw1": "mtll-access-sw1|mtllv2|10.216.0.12|router,host|Contoso AS-24",
			"mtll-ward-phone": "mtll-ward-phone|mtllv3|10.216.0.13|host|Linux",
		}[string(p.DeviceID)]; got != want {
			t.Errorf("packet %d: %s, want %s", i, got, want)
		}
		seen[string(p.DeviceID)]++
		parity[len(b)&1]++
		versions[p.Version]++
	}
	// Both versions, and checksums over even and odd lengths.
	if len(seen) != 2 || seen["mtll-access-sw1"] < 3 || seen["mtll-ward-phone"] < 3 ||
		parity[0] == 0 || parity[1] == 0 || versions[1] == 0 || versions[2] == 0 {
		t.Errorf("packets: %v, even/odd lengths %v, versions %v", seen, parity[:2], versions[1:])
	}
}
