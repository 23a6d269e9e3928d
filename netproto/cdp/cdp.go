package cdp

import (
	"encoding/binary"
	"net/netip"
	"strconv"
)

// HeaderLen is the size of the CDP header: version, TTL, checksum.
const HeaderLen = 4

// TLVType is the type of a CDP TLV.
type TLVType uint16

// The TLV types Parse decodes, and a few others.
const (
	TypeDeviceID        TLVType = 0x0001
	TypeAddresses       TLVType = 0x0002
	TypePortID          TLVType = 0x0003
	TypeCapabilities    TLVType = 0x0004
	TypeSoftwareVersion TLVType = 0x0005
	TypePlatform        TLVType = 0x0006
	TypeIPPrefixes      TLVType = 0x0007
	TypeProtocolHello   TLVType = 0x0008
	TypeVTPDomain       TLVType = 0x0009
	TypeNativeVLAN      TLVType = 0x000a
	TypeDuplex          TLVType = 0x000b
	TypeVoIPVLANReply   TLVType = 0x000e
	TypeVoIPVLANQuery   TLVType = 0x000f
	TypePower           TLVType = 0x0010
	TypeMTU             TLVType = 0x0011
	TypeSystemName      TLVType = 0x0014
	TypeSystemOID       TLVType = 0x0015
	TypeMgmtAddresses   TLVType = 0x0016
	TypeLocation        TLVType = 0x0017
)

var tlvNames = map[TLVType]string{
	TypeDeviceID: "device-id", TypeAddresses: "addresses", TypePortID: "port-id", TypeCapabilities: "capabilities",
	TypeSoftwareVersion: "software-version", TypePlatform: "platform", TypeIPPrefixes: "ip-prefixes",
	TypeProtocolHello: "protocol-hello", TypeVTPDomain: "vtp-domain", TypeNativeVLAN: "native-vlan",
	TypeDuplex: "duplex", TypeVoIPVLANReply: "voip-vlan-reply", TypeVoIPVLANQuery: "voip-vlan-query",
	TypePower: "power", TypeMTU: "mtu", TypeSystemName: "system-name", TypeSystemOID: "system-oid",
	TypeMgmtAddresses: "management-addresses", TypeLocation: "location",
}

func (t TLVType) String() string {
	if s, ok := tlvNames[t]; ok {
		return s
	}
	return "TLVType(" + strconv.Itoa(int(t)) + ")"
}

// TLV is one TLV of a CDP packet. Value is a view into the packet.
type TLV struct {
	Type   TLVType
	Value  []byte
	Offset int // of the four-byte TLV header, from the start of the CDP header
}

// Reader is a cursor over the TLVs of a CDP packet:
//
//	var r cdp.Reader
//	r.Reset(packet) // from the CDP header on
//	for r.Next() {
//		tlv := r.TLV()
//	}
//	err := r.Err()
//
// Reset does not check the header (see [Parse]). Iteration stops at the end
// of the data, at bytes that are all zero after the last TLV (the padding of
// a short Ethernet frame, whose 802.3 length was not applied), or at a TLV
// that is shorter than its header or runs past the end ([ErrLength],
// [ErrTruncated]). The zero value is ready for Reset; a Reader allocates
// nothing.
type Reader struct {
	data []byte
	off  int
	end  int // past the last TLV read
	tlv  TLV
	err  error
}

// Reset starts reading the TLVs of packet, which begins with the CDP
// header.
func (r *Reader) Reset(packet []byte) {
	*r = Reader{data: packet, off: min(HeaderLen, len(packet))}
	r.end = r.off
	if len(packet) < HeaderLen {
		r.err = errAt(0, ErrTruncated)
	}
}

// Next advances to the next TLV and reports whether there is one.
func (r *Reader) Next() bool {
	if r.err != nil || r.off == len(r.data) {
		return false
	}
	rest := r.data[r.off:]
	if allZero(rest) {
		r.off = len(r.data) // padding
		return false
	}
	if len(rest) < 4 {
		r.err = errAt(r.off, ErrTruncated)
		return false
	}
	n := int(binary.BigEndian.Uint16(rest[2:]))
	if n < 4 {
		r.err = errAt(r.off, ErrLength)
		return false
	}
	if n > len(rest) {
		r.err = errAt(r.off, ErrTruncated)
		return false
	}
	r.tlv = TLV{Type: TLVType(binary.BigEndian.Uint16(rest)), Value: rest[4:n:n], Offset: r.off}
	r.off += n
	r.end = r.off
	return true
}

// End returns the offset just past the last TLV read: the length of the
// packet without padding, once Next has returned false without an error.
func (r *Reader) End() int { return r.end }

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// TLV returns the current TLV.
func (r *Reader) TLV() TLV { return r.tlv }

// Err returns the error that stopped iteration, or nil.
func (r *Reader) Err() error { return r.err }

// Sniff reports whether data begins a CDP packet: version 1 or 2 and a
// first TLV of a known type whose length fits. It does not allocate.
func Sniff(data []byte) bool {
	if len(data) < HeaderLen+4 || (data[0] != 1 && data[0] != 2) {
		return false
	}
	t := binary.BigEndian.Uint16(data[4:])
	n := int(binary.BigEndian.Uint16(data[6:]))
	return t >= 1 && t <= 0x1f && n >= 4 && n <= len(data)-HeaderLen
}

// Checksum returns the checksum of a CDP packet (from the header on) as
// its sender computes it: the Internet checksum with the checksum field
// taken as zero, except that an odd last byte is added the way Cisco's
// implementation does (as the low byte of a word, sign-extended), which
// lldpd and Wireshark reproduce.
func Checksum(packet []byte) uint16 {
	var sum uint32
	n := len(packet)
	for i := 0; i+1 < n; i += 2 {
		if i == 2 {
			continue // the checksum field
		}
		sum += uint32(packet[i])<<8 | uint32(packet[i+1])
	}
	if n&1 == 1 {
		v := uint32(packet[n-1])
		if v&0x80 != 0 {
			sum += 0xff00 + v - 1
		} else {
			sum += v
		}
	}
	sum = sum>>16 + sum&0xffff
	sum += sum >> 16
	return ^uint16(sum)
}

// Address is one entry of an addresses TLV: a protocol and an address of
// that protocol.
type Address struct {
	ProtocolType uint8  // 1: NLPID, 2: IEEE 802.2
	Protocol     []byte // 0xcc (NLPID) for IPv4; an 802.2 SNAP header ending 0x86dd for IPv6
	Addr         []byte
}

var snapIPv6 = [8]byte{0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd}

// IP returns the address when it is IPv4 or IPv6.
func (a *Address) IP() (netip.Addr, bool) {
	switch {
	case a.ProtocolType == 1 && len(a.Protocol) == 1 && a.Protocol[0] == 0xcc && len(a.Addr) == 4:
		return netip.AddrFrom4([4]byte(a.Addr)), true
	case a.ProtocolType == 2 && string(a.Protocol) == string(snapIPv6[:]) && len(a.Addr) == 16:
		return netip.AddrFrom16([16]byte(a.Addr)), true
	}
	return netip.Addr{}, false
}
