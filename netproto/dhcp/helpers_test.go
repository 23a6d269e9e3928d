package dhcp

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"testing"
)

// datagram is one UDP datagram of a capture.
type datagram struct {
	src, dst netip.AddrPort
	payload  []byte
}

// readPcap returns the UDP datagrams of a little-endian classic pcap file
// of Ethernet frames, as tcpdump writes them.
func readPcap(tb testing.TB, name string) []datagram {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	if len(b) < 24 || binary.LittleEndian.Uint32(b) != 0xa1b2c3d4 || binary.LittleEndian.Uint32(b[20:]) != 1 {
		tb.Fatalf("%s: not a little-endian pcap file of Ethernet frames", name)
	}
	var out []datagram
	for b = b[24:]; len(b) >= 16; {
		n := int(binary.LittleEndian.Uint32(b[8:]))
		if 16+n > len(b) {
			tb.Fatalf("%s: truncated record", name)
		}
		frame := b[16 : 16+n]
		b = b[16+n:]
		if d, ok := udpOf(frame); ok {
			out = append(out, d)
		}
	}
	return out
}

func udpOf(f []byte) (datagram, bool) {
	if len(f) < 14 {
		return datagram{}, false
	}
	var src, dst netip.Addr
	var udp []byte
	switch binary.BigEndian.Uint16(f[12:]) {
	case 0x0800:
		ip := f[14:]
		ihl := int(ip[0]&15) * 4
		if ip[9] != 17 {
			return datagram{}, false
		}
		src, dst = netip.AddrFrom4([4]byte(ip[12:16])), netip.AddrFrom4([4]byte(ip[16:20]))
		udp = ip[ihl:binary.BigEndian.Uint16(ip[2:])]
	case 0x86dd:
		ip := f[14:]
		if ip[6] != 17 {
			return datagram{}, false
		}
		src, dst = netip.AddrFrom16([16]byte(ip[8:24])), netip.AddrFrom16([16]byte(ip[24:40]))
		udp = ip[40 : 40+int(binary.BigEndian.Uint16(ip[4:]))]
	default:
		return datagram{}, false
	}
	return datagram{
		src:     netip.AddrPortFrom(src, binary.BigEndian.Uint16(udp)),
		dst:     netip.AddrPortFrom(dst, binary.BigEndian.Uint16(udp[2:])),
		payload: udp[8:binary.BigEndian.Uint16(udp[4:])],
	}, true
}

// captureMessages returns the payloads of testdata/dhcp.pcap.
func captureMessages(tb testing.TB) (v4, v6 [][]byte) {
	for _, d := range readPcap(tb, "testdata/dhcp.pcap") {
		if d.dst.Port() == 546 || d.dst.Port() == 547 {
			v6 = append(v6, d.payload)
		} else {
			v4 = append(v4, d.payload)
		}
	}
	return v4, v6
}

// describe renders what the accessors of a DHCPv4 message return, for
// golden files.
func describe(m *Message) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %s xid=%#08x", m.Op, m.Type, m.XID)
	if mac, ok := m.ClientMAC(); ok {
		fmt.Fprintf(&sb, " mac=%s", hex.EncodeToString(mac[:]))
	}
	for _, a := range []struct {
		k string
		v netip.Addr
	}{{"ciaddr", m.CIAddr}, {"yiaddr", m.YIAddr}, {"siaddr", m.SIAddr}, {"giaddr", m.GIAddr},
		{"requested", m.RequestedIP()}, {"server", m.ServerID()}} {
		if a.v.IsValid() && !a.v.IsUnspecified() {
			fmt.Fprintf(&sb, " %s=%s", a.k, a.v)
		}
	}
	if v := m.HostName(); v != nil {
		fmt.Fprintf(&sb, " host=%q", v)
	}
	if v := m.VendorClass(); v != nil {
		fmt.Fprintf(&sb, " vendor=%q", v)
	}
	if v := m.ParamList(); v != nil {
		fmt.Fprintf(&sb, " prl=%s", m.AppendParamList(nil))
	}
	if v := m.ClientID(); v != nil {
		fmt.Fprintf(&sb, " client_id=%x", v)
	}
	if s, ok := m.LeaseTime(); ok {
		fmt.Fprintf(&sb, " lease=%d", s)
	}
	if f, ok := m.FQDN(); ok {
		fmt.Fprintf(&sb, " fqdn=%s/%d/%d/wire=%v/%q", f.Flags, f.RCode1, f.RCode2, f.Wire(), f.AppendText(nil))
	}
	if m.Overload != 0 {
		fmt.Fprintf(&sb, " overload=%d", m.Overload)
	}
	if len(m.SName) > 0 {
		fmt.Fprintf(&sb, " sname=%q", m.SName)
	}
	if len(m.File) > 0 {
		fmt.Fprintf(&sb, " file=%q", m.File)
	}
	var names []string
	it := m.Options()
	for it.Next() {
		names = append(names, it.Option().Code.String())
	}
	joinNames(&sb, names)
	return sb.String()
}

// describe6 is describe for DHCPv6, following relay messages.
func describe6(m *Message6) string {
	var sb strings.Builder
	describe6To(&sb, m, 0)
	return sb.String()
}

func describe6To(sb *strings.Builder, m *Message6, depth int) {
	sb.WriteString(m.Type.String())
	if m.Type.IsRelay() {
		fmt.Fprintf(sb, " hops=%d link=%s peer=%s", m.HopCount, m.LinkAddr, m.PeerAddr)
	} else {
		fmt.Fprintf(sb, " xid=%#06x", m.XID)
	}
	if d := m.ClientID(); d != nil {
		fmt.Fprintf(sb, " duid=%s/%x", d.Type(), []byte(d))
		if mac, ok := d.MAC(); ok {
			fmt.Fprintf(sb, " mac=%x", mac)
		}
	}
	if d := m.ServerID(); d != nil {
		fmt.Fprintf(sb, " server=%x", []byte(d))
	}
	if m.ORO() != nil {
		fmt.Fprintf(sb, " oro=%s", m.AppendORO(nil))
	}
	if v, ok := m.VendorClass(); ok {
		fmt.Fprintf(sb, " vendor=%d", v.Enterprise)
		it := v.Items()
		for it.Next() {
			fmt.Fprintf(sb, "/%q", it.Item())
		}
	}
	if f, ok := m.FQDN(); ok {
		fmt.Fprintf(sb, " fqdn=%s/%q", f.Flags, f.AppendText(nil))
	}
	ias := m.IANAs()
	for ias.Next() {
		ia := ias.IA()
		fmt.Fprintf(sb, " ia_na=%08x/%d/%d", ia.IAID, ia.T1, ia.T2)
		as := ia.Addrs()
		for as.Next() {
			a := as.Addr()
			fmt.Fprintf(sb, "[%s %d %d]", a.Addr, a.Preferred, a.Valid)
		}
	}
	var names []string
	it := m.Options()
	for it.Next() {
		names = append(names, it.Option().Code.String())
	}
	joinNames(sb, names)
	if r := m.RelayMessage(); r != nil && depth < 8 {
		var in Message6
		sb.WriteString(" relayed: ")
		if err := in.Parse(r); err != nil {
			fmt.Fprintf(sb, "error %v", err)
			return
		}
		describe6To(sb, &in, depth+1)
	}
}

// wantError checks that err wraps want in an *Error at offset, about
// option (-1: none).
func wantError(t *testing.T, err, want error, offset int64, option int) {
	t.Helper()
	var e *Error
	if !errors.Is(err, want) || !errors.As(err, &e) {
		t.Fatalf("Parse: %v, want %v", err, want)
	}
	if e.Offset != offset || e.Option != option || e.ByteOffset() != offset {
		t.Errorf("Parse: offset %d option %d, want %d and %d (%v)", e.Offset, e.Option, offset, option, err)
	}
}

// joinNames renders the codes of a message's options, in order.
func joinNames(sb *strings.Builder, names []string) {
	sb.WriteString(" options=")
	sb.WriteString(strings.Join(names, ","))
}
