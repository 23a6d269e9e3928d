package flow

import (
	"encoding/binary"
	"errors"
	"net/netip"
)

// LinkType is a pcap link-layer header type (LINKTYPE_* in the pcap
// specification).
type LinkType uint32

// The link types the decoder understands.
const (
	LinkNull      LinkType = 0   // BSD loopback, host-endian address family
	LinkEthernet  LinkType = 1   // Ethernet II, 802.1Q and QinQ tags
	LinkRawBSD12  LinkType = 12  // raw IP on some BSDs
	LinkRawBSD14  LinkType = 14  // raw IP on OpenBSD
	LinkRaw       LinkType = 101 // raw IPv4 or IPv6
	LinkLoop      LinkType = 108 // OpenBSD loopback, big-endian address family
	LinkLinuxSLL  LinkType = 113 // Linux cooked capture v1
	LinkIPv4      LinkType = 228
	LinkIPv6      LinkType = 229
	LinkLinuxSLL2 LinkType = 276 // Linux cooked capture v2
)

// Errors returned by [Packet.Decode]. They are sentinels so counting them
// never allocates.
var (
	ErrUnsupportedLink = errors.New("flow: unsupported link type")
	ErrNotIP           = errors.New("flow: not an IP packet")
	ErrTruncated       = errors.New("flow: truncated header")
	ErrBadHeader       = errors.New("flow: malformed header")
	ErrNotTCPUDP       = errors.New("flow: not TCP or UDP")
)

// TCP header flags.
const (
	FlagFIN = 0x01
	FlagSYN = 0x02
	FlagRST = 0x04
	FlagPSH = 0x08
	FlagACK = 0x10
	FlagURG = 0x20
)

const maxVLANs = 2
const maxIPv6ExtHeaders = 8

// Packet is a decoded packet: the fields medtap needs from layers 2 to 4,
// and views of the IP and transport payloads. The zero value is ready to
// use; [Packet.Decode] overwrites every field, so one Packet can be reused
// for every packet without allocating.
type Packet struct {
	Link LinkType
	// SrcMAC and DstMAC are the Ethernet addresses (only SrcMAC for Linux
	// cooked captures, which record the sender's); zero when the link
	// type has none.
	SrcMAC, DstMAC MAC
	// EtherType is the protocol of the link-layer payload: the Ethernet
	// type after any VLAN tags, or for an 802.3 frame with an LLC/SNAP
	// header the SNAP protocol ID (0x2000 for Cisco's CDP).
	EtherType uint16
	// L2Payload is the link-layer payload of a frame that is not IP
	// (Decode returns ErrNotIP), a view into the data passed to Decode.
	L2Payload []byte
	VLAN      [maxVLANs]uint16 // outer first
	NumVLAN   int
	IPVersion uint8 // 4 or 6; 0 when the packet is not IP
	Src, Dst  netip.Addr
	Protocol  uint8 // IP protocol number of the transport layer
	TTL       uint8 // IPv4 TTL or IPv6 hop limit

	// IPv4 fragmentation. A packet with Fragment set carries part of a
	// datagram; only the first fragment (FragOffset 0) has a transport header.
	Fragment   bool
	FragID     uint32
	FragOffset uint16 // in bytes
	MoreFrags  bool

	SrcPort, DstPort uint16
	Seq, Ack         uint32 // TCP only
	Flags            uint8  // TCP only
	Window           uint16 // TCP only

	// IPHeader is the IP header (IPv4 with its options; the fixed IPv6
	// header), TCPHeader the TCP header with its options (nil for UDP),
	// IPPayload the bytes after the IP header(s) and Payload the bytes
	// after the transport header. All are views into the data passed to
	// Decode and valid as long as it is.
	IPHeader  []byte
	TCPHeader []byte
	IPPayload []byte
	Payload   []byte
	// Truncated is set when the capture holds fewer bytes than the IP
	// header declares (snaplen cut). Payload then holds what was captured.
	Truncated bool

	// The addresses as 128-bit words (IPv4 mapped into IPv6), for the flow
	// table key.
	srcW, dstW [2]uint64
}

// Decode decodes data, captured with link type link, into p. It returns nil
// when p holds a TCP or UDP packet (Payload set), ErrNotTCPUDP for other IP
// packets and non-first fragments (IPPayload set), or one of the other
// sentinel errors. Decode never allocates.
func (p *Packet) Decode(link LinkType, data []byte) error {
	*p = Packet{Link: link}
	var ethType uint16
	switch link {
	case LinkEthernet:
		if len(data) < 14 {
			return ErrTruncated
		}
		p.DstMAC, p.SrcMAC = MAC(data[0:6]), MAC(data[6:12])
		ethType = binary.BigEndian.Uint16(data[12:14])
		data = data[14:]
		for ethType == 0x8100 || ethType == 0x88a8 || ethType == 0x9100 {
			if len(data) < 4 {
				return ErrTruncated
			}
			if p.NumVLAN < maxVLANs {
				p.VLAN[p.NumVLAN] = binary.BigEndian.Uint16(data) & 0x0fff
			}
			p.NumVLAN++
			ethType = binary.BigEndian.Uint16(data[2:4])
			data = data[4:]
			if p.NumVLAN > 8 {
				return ErrBadHeader
			}
		}
		if ethType <= 1500 {
			// 802.3 with a length: an LLC/SNAP header names the protocol.
			if len(data) < 8 || data[0] != 0xAA || data[1] != 0xAA || data[2] != 0x03 {
				return ErrNotIP
			}
			ethType = binary.BigEndian.Uint16(data[6:8])
			data = data[8:]
		}
	case LinkLinuxSLL:
		if len(data) < 16 {
			return ErrTruncated
		}
		if binary.BigEndian.Uint16(data[4:6]) == 6 {
			p.SrcMAC = MAC(data[6:12])
		}
		ethType = binary.BigEndian.Uint16(data[14:16])
		data = data[16:]
	case LinkLinuxSLL2:
		if len(data) < 20 {
			return ErrTruncated
		}
		if data[11] == 6 {
			p.SrcMAC = MAC(data[12:18])
		}
		ethType = binary.BigEndian.Uint16(data[0:2])
		data = data[20:]
	case LinkNull, LinkLoop:
		if len(data) < 4 {
			return ErrTruncated
		}
		fam := binary.LittleEndian.Uint32(data)
		if link == LinkLoop || fam > 0xffff {
			fam = binary.BigEndian.Uint32(data)
		}
		data = data[4:]
		switch fam {
		case 2:
			ethType = 0x0800
		case 10, 24, 28, 30:
			ethType = 0x86dd
		default:
			return ErrNotIP
		}
	case LinkRaw, LinkRawBSD12, LinkRawBSD14, LinkIPv4, LinkIPv6:
		if len(data) < 1 {
			return ErrTruncated
		}
		switch data[0] >> 4 {
		case 4:
			ethType = 0x0800
		case 6:
			ethType = 0x86dd
		default:
			return ErrNotIP
		}
	default:
		return ErrUnsupportedLink
	}
	p.EtherType = ethType
	switch ethType {
	case 0x0800:
		return p.decodeIPv4(data)
	case 0x86dd:
		return p.decodeIPv6(data)
	}
	p.L2Payload = data
	return ErrNotIP
}

func (p *Packet) decodeIPv4(b []byte) error {
	if len(b) < 20 {
		return ErrTruncated
	}
	if b[0]>>4 != 4 {
		return ErrBadHeader
	}
	ihl := int(b[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[2:4]))
	if ihl < 20 || total < ihl {
		return ErrBadHeader
	}
	if len(b) < ihl {
		return ErrTruncated
	}
	p.IPVersion = 4
	p.TTL = b[8]
	p.Protocol = b[9]
	p.Src = netip.AddrFrom4([4]byte(b[12:16]))
	p.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	p.srcW = [2]uint64{0, 0xffff<<32 | uint64(binary.BigEndian.Uint32(b[12:16]))}
	p.dstW = [2]uint64{0, 0xffff<<32 | uint64(binary.BigEndian.Uint32(b[16:20]))}
	frag := binary.BigEndian.Uint16(b[6:8])
	p.MoreFrags = frag&0x2000 != 0
	p.FragOffset = (frag & 0x1fff) * 8
	if p.MoreFrags || p.FragOffset != 0 {
		p.Fragment = true
		p.FragID = uint32(binary.BigEndian.Uint16(b[4:6]))
	}
	if len(b) >= total {
		b = b[:total] // drop link-layer padding
	} else {
		p.Truncated = true
	}
	p.IPHeader = b[:ihl]
	p.IPPayload = b[ihl:]
	if p.FragOffset != 0 {
		return ErrNotTCPUDP
	}
	return p.decodeTransport(p.IPPayload)
}

func (p *Packet) decodeIPv6(b []byte) error {
	if len(b) < 40 {
		return ErrTruncated
	}
	if b[0]>>4 != 6 {
		return ErrBadHeader
	}
	p.IPVersion = 6
	p.TTL = b[7]
	p.IPHeader = b[:40]
	plen := int(binary.BigEndian.Uint16(b[4:6]))
	p.Src = netip.AddrFrom16([16]byte(b[8:24]))
	p.Dst = netip.AddrFrom16([16]byte(b[24:40]))
	p.srcW = [2]uint64{binary.BigEndian.Uint64(b[8:16]), binary.BigEndian.Uint64(b[16:24])}
	p.dstW = [2]uint64{binary.BigEndian.Uint64(b[24:32]), binary.BigEndian.Uint64(b[32:40])}
	next := b[6]
	b = b[40:]
	if plen != 0 { // 0 means a jumbogram; keep what was captured
		if len(b) >= plen {
			b = b[:plen]
		} else {
			p.Truncated = true
		}
	}
	for range maxIPv6ExtHeaders {
		var n int
		switch next {
		case 0, 43, 60: // hop-by-hop, routing, destination options
			if len(b) < 8 {
				return ErrTruncated
			}
			n = (int(b[1]) + 1) * 8
		case 44: // fragment
			if len(b) < 8 {
				return ErrTruncated
			}
			off := binary.BigEndian.Uint16(b[2:4])
			p.Fragment = true
			p.FragOffset = off &^ 7
			p.MoreFrags = off&1 != 0
			p.FragID = binary.BigEndian.Uint32(b[4:8])
			if p.FragOffset == 0 && !p.MoreFrags {
				p.Fragment = false // atomic fragment
			}
			n = 8
		case 51: // authentication header
			if len(b) < 8 {
				return ErrTruncated
			}
			n = (int(b[1]) + 2) * 4
		default:
			p.Protocol = next
			p.IPPayload = b
			if p.FragOffset != 0 {
				return ErrNotTCPUDP
			}
			return p.decodeTransport(b)
		}
		if len(b) < n {
			return ErrTruncated
		}
		next = b[0]
		b = b[n:]
	}
	return ErrBadHeader
}

// shortHeader is the error for a transport header cut short: the capture's
// fault (snaplen, or the rest is in another fragment) or the sender's.
func (p *Packet) shortHeader() error {
	if p.Truncated || p.Fragment {
		return ErrTruncated
	}
	return ErrBadHeader
}

func (p *Packet) decodeTransport(b []byte) error {
	switch p.Protocol {
	case 6:
		if len(b) < 20 {
			return p.shortHeader()
		}
		off := int(b[12]>>4) * 4
		if off < 20 {
			return ErrBadHeader
		}
		if len(b) < off {
			return p.shortHeader()
		}
		p.SrcPort = binary.BigEndian.Uint16(b[0:2])
		p.DstPort = binary.BigEndian.Uint16(b[2:4])
		p.Seq = binary.BigEndian.Uint32(b[4:8])
		p.Ack = binary.BigEndian.Uint32(b[8:12])
		p.Flags = b[13]
		p.Window = binary.BigEndian.Uint16(b[14:16])
		p.TCPHeader = b[:off]
		p.Payload = b[off:]
		return nil
	case 17:
		if len(b) < 8 {
			return p.shortHeader()
		}
		p.SrcPort = binary.BigEndian.Uint16(b[0:2])
		p.DstPort = binary.BigEndian.Uint16(b[2:4])
		ulen := int(binary.BigEndian.Uint16(b[4:6]))
		b = b[8:]
		if ulen >= 8 && ulen-8 <= len(b) && !p.Fragment {
			b = b[:ulen-8]
		}
		p.Payload = b
		return nil
	}
	return ErrNotTCPUDP
}

// SrcAddrPort returns the source address and port.
func (p *Packet) SrcAddrPort() netip.AddrPort { return netip.AddrPortFrom(p.Src, p.SrcPort) }

// DstAddrPort returns the destination address and port.
func (p *Packet) DstAddrPort() netip.AddrPort { return netip.AddrPortFrom(p.Dst, p.DstPort) }

// MAC is an Ethernet (EUI-48) address.
type MAC [6]byte

// IsZero reports whether m is all zeros: unknown.
func (m MAC) IsZero() bool { return m == MAC{} }

// AppendTo appends m as six lower-case hex pairs separated by colons.
func (m MAC) AppendTo(dst []byte) []byte {
	for i, c := range m {
		if i > 0 {
			dst = append(dst, ':')
		}
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return dst
}

func (m MAC) String() string { return string(m.AppendTo(make([]byte, 0, 17))) }

// MarshalText implements encoding.TextMarshaler: the colon form.
func (m MAC) MarshalText() ([]byte, error) { return m.AppendTo(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler: six hex pairs
// separated by colons or dashes.
func (m *MAC) UnmarshalText(b []byte) error {
	if len(b) != 17 {
		return errors.New("flow: a MAC is six hex pairs: " + string(b))
	}
	for i := range 6 {
		hi, lo := unhex(b[3*i]), unhex(b[3*i+1])
		if hi < 0 || lo < 0 || i < 5 && b[3*i+2] != ':' && b[3*i+2] != '-' {
			return errors.New("flow: a MAC is six hex pairs: " + string(b))
		}
		m[i] = byte(hi<<4 | lo)
	}
	return nil
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
