package flow

import (
	"net"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// build serialises layers into a packet with lengths and checksums fixed.
func build(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	for _, l := range ls {
		if tl, ok := l.(interface {
			SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
		}); ok {
			for _, n := range ls {
				if nl, ok := n.(gopacket.NetworkLayer); ok {
					tl.SetNetworkLayerForChecksum(nl)
				}
			}
		}
	}
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	macA = net.HardwareAddr{0, 1, 2, 3, 4, 5}
	macB = net.HardwareAddr{0, 1, 2, 3, 4, 6}
)

func eth(t layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: t}
}

func ip4(proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, TTL: 64, Protocol: proto, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}}
}

func ip6(next layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: next,
		SrcIP: net.ParseIP("fd00::1"), DstIP: net.ParseIP("fd00::2")}
}

func tcpL(sport, dport uint16, seq uint32, syn, ack bool) *layers.TCP {
	return &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), Seq: seq, SYN: syn, ACK: ack, Window: 1024, DataOffset: 5}
}

func TestPacketDecode(t *testing.T) {
	payload := gopacket.Payload("hello")
	null := []byte{2, 0, 0, 0}
	v4 := build(t, ip4(layers.IPProtocolTCP), tcpL(40000, 104, 7, false, true), payload)
	v6 := build(t, ip6(layers.IPProtocolUDP), &layers.UDP{SrcPort: 5000, DstPort: 24105}, payload)
	sll2 := append([]byte{0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 1, 2, 3, 4, 5, 0, 0}, v4...)
	hop := build(t, ip6(layers.IPProtocolIPv6HopByHop),
		&layers.IPv6HopByHop{Options: []*layers.IPv6HopByHopOption{{OptionType: 1, OptionLength: 4, OptionData: []byte{0, 0, 0, 0}}}},
		&layers.UDP{SrcPort: 1, DstPort: 2}, payload)
	// gopacket does not set NextHeader of the hop-by-hop header from the
	// following layer; patch it to UDP.
	hop[40] = byte(layers.IPProtocolUDP)

	tests := []struct {
		name      string
		link      LinkType
		data      []byte
		wantErr   error
		src       string
		dport     uint16
		vlans     int
		proto     uint8
		payload   string
		truncated bool
	}{
		{name: "ethernet ipv4 tcp", link: LinkEthernet, data: build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), tcpL(40000, 104, 7, false, true), payload), src: "10.0.0.1:40000", dport: 104, proto: 6, payload: "hello"},
		{name: "qinq", link: LinkEthernet, data: build(t, eth(layers.EthernetTypeQinQ),
			&layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q},
			&layers.Dot1Q{VLANIdentifier: 200, Type: layers.EthernetTypeIPv4},
			ip4(layers.IPProtocolTCP), tcpL(40000, 104, 7, false, true), payload), src: "10.0.0.1:40000", dport: 104, vlans: 2, proto: 6, payload: "hello"},
		{name: "linux sll", link: LinkLinuxSLL, data: append([]byte{0, 0, 0, 1, 0, 6, 0, 1, 2, 3, 4, 5, 0, 0, 0x08, 0x00}, v4...), src: "10.0.0.1:40000", dport: 104, proto: 6, payload: "hello"},
		{name: "linux sll2", link: LinkLinuxSLL2, data: sll2, src: "10.0.0.1:40000", dport: 104, proto: 6, payload: "hello"},
		{name: "null loopback", link: LinkNull, data: append(append([]byte{}, null...), v4...), src: "10.0.0.1:40000", dport: 104, proto: 6, payload: "hello"},
		{name: "raw ipv6 udp", link: LinkRaw, data: v6, src: "[fd00::1]:5000", dport: 24105, proto: 17, payload: "hello"},
		{name: "ipv6 hop-by-hop", link: LinkIPv6, data: hop, src: "[fd00::1]:1", dport: 2, proto: 17, payload: "hello"},
		{name: "ethernet padding dropped", link: LinkEthernet, data: append(build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), tcpL(1, 2, 3, false, true)), 0, 0, 0, 0, 0, 0), src: "10.0.0.1:1", dport: 2, proto: 6, payload: ""},
		{name: "snaplen cut", link: LinkRaw, data: v4[:len(v4)-2], src: "10.0.0.1:40000", dport: 104, proto: 6, payload: "hel", truncated: true},
		{name: "arp", link: LinkEthernet, data: build(t, eth(layers.EthernetTypeARP), gopacket.Payload(make([]byte, 28))), wantErr: ErrNotIP},
		{name: "icmp", link: LinkRaw, data: build(t, ip4(layers.IPProtocolICMPv4), gopacket.Payload("ping")), wantErr: ErrNotTCPUDP},
		{name: "short ethernet", link: LinkEthernet, data: []byte{1, 2, 3}, wantErr: ErrTruncated},
		{name: "short ipv4", link: LinkRaw, data: v4[:19], wantErr: ErrTruncated},
		{name: "ihl too small", link: LinkRaw, data: append([]byte{0x44}, v4[1:]...), wantErr: ErrBadHeader},
		{name: "tcp offset too large", link: LinkRaw, data: func() []byte { b := append([]byte{}, v4...); b[20+12] = 0xf0; return b }(), wantErr: ErrBadHeader},
		{name: "unknown link", link: 9999, data: v4, wantErr: ErrUnsupportedLink},
		{name: "ipv6 extension loop", link: LinkRaw, data: func() []byte {
			b := build(t, ip6(layers.IPProtocolIPv6Destination), gopacket.Payload(make([]byte, 8*9)))
			for i := 0; i < 9; i++ {
				b[40+8*i] = 60 // each destination options header points to another
			}
			return b
		}(), wantErr: ErrBadHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Packet
			err := p.Decode(tt.link, tt.data)
			if err != tt.wantErr {
				t.Fatalf("Decode error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got := p.SrcAddrPort().String(); got != tt.src {
				t.Errorf("src = %s, want %s", got, tt.src)
			}
			if p.DstPort != tt.dport || p.Protocol != tt.proto || p.NumVLAN != tt.vlans || p.Truncated != tt.truncated {
				t.Errorf("dport %d proto %d vlans %d truncated %v; want %d %d %d %v", p.DstPort, p.Protocol, p.NumVLAN, p.Truncated, tt.dport, tt.proto, tt.vlans, tt.truncated)
			}
			if string(p.Payload) != tt.payload {
				t.Errorf("payload %q, want %q", p.Payload, tt.payload)
			}
		})
	}
}

// TestPacketDecodeMatchesGopacket checks the decoder against gopacket's
// layers on generated packets.
func TestPacketDecodeMatchesGopacket(t *testing.T) {
	for i := range 200 {
		var data []byte
		sport, dport := uint16(1000+i), uint16(104+i%3)
		pl := gopacket.Payload(make([]byte, i%50))
		if i%2 == 0 {
			data = build(t, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), tcpL(sport, dport, uint32(i*7919), i%5 == 0, true), pl)
		} else {
			data = build(t, eth(layers.EthernetTypeIPv6), ip6(layers.IPProtocolUDP), &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}, pl)
		}
		gp := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
		var p Packet
		if err := p.Decode(LinkEthernet, data); err != nil {
			t.Fatal(err)
		}
		nf := gp.NetworkLayer().NetworkFlow()
		if netip.MustParseAddr(nf.Src().String()) != p.Src || netip.MustParseAddr(nf.Dst().String()) != p.Dst {
			t.Fatalf("packet %d: addresses differ", i)
		}
		tl := gp.TransportLayer()
		if string(tl.LayerPayload()) != string(p.Payload) {
			t.Fatalf("packet %d: payload differs", i)
		}
		if tcp, ok := tl.(*layers.TCP); ok && (tcp.Seq != p.Seq || uint16(tcp.SrcPort) != p.SrcPort || tcp.SYN != (p.Flags&FlagSYN != 0)) {
			t.Fatalf("packet %d: tcp header differs", i)
		}
	}
}

func FuzzPacketDecode(f *testing.F) {
	f.Add(uint8(LinkEthernet), build(f, eth(layers.EthernetTypeIPv4), ip4(layers.IPProtocolTCP), tcpL(1, 2, 3, true, false), gopacket.Payload("x")))
	f.Add(uint8(LinkRaw), build(f, ip6(layers.IPProtocolUDP), &layers.UDP{SrcPort: 5000, DstPort: 24105}, gopacket.Payload("hello")))
	f.Add(uint8(LinkLinuxSLL), make([]byte, 60))
	f.Fuzz(func(t *testing.T, link uint8, data []byte) {
		var p Packet
		err := p.Decode(LinkType(link), data)
		inside := func(v []byte) bool {
			if len(v) == 0 {
				return true
			}
			// v must be a view into data.
			for i := range data {
				if &data[i] == &v[0] {
					return i+len(v) <= len(data)
				}
			}
			return false
		}
		if !inside(p.Payload) || !inside(p.IPPayload) {
			t.Fatal("payload is not a view into the packet")
		}
		if err == nil && p.IPVersion != 4 && p.IPVersion != 6 {
			t.Fatal("nil error without an IP header")
		}
	})
}
