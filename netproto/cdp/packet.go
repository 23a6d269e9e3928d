package cdp

import (
	"encoding/binary"
	"net/netip"
)

// MaxAddrs is the capacity of a [Packet]'s address arrays; further
// addresses are counted in Packet.Dropped.
const MaxAddrs = 8

// Packet is one CDP packet, read by [Parse]. Byte slices are views into
// the packet; empty when the TLV was absent.
type Packet struct {
	Version     uint8
	TTL         uint8  // seconds
	Checksum    uint16 // as carried
	ChecksumOK  bool   // Checksum equals [Checksum] of the packet
	DeviceID    []byte
	PortID      []byte
	Software    []byte // software version
	Platform    []byte
	VTPDomain   []byte
	SystemName  []byte
	Addrs       [MaxAddrs]Address // of the addresses TLV
	NumAddrs    int
	MgmtAddrs   [MaxAddrs]Address // of the management addresses TLV
	NumMgmtAddr int

	HasCapabilities bool
	Capabilities    Capabilities

	HasNativeVLAN bool
	NativeVLAN    uint16

	HasDuplex  bool
	FullDuplex bool

	// Dropped counts addresses past the arrays and repeated TLVs (the
	// first one is kept).
	Dropped int
}

// IP returns the first IPv4 or IPv6 address of the addresses TLV, else of
// the management addresses TLV, or the zero Addr.
func (p *Packet) IP() netip.Addr {
	for _, as := range [2][]Address{p.Addrs[:p.NumAddrs], p.MgmtAddrs[:p.NumMgmtAddr]} {
		for i := range as {
			if ip, ok := as[i].IP(); ok {
				return ip
			}
		}
	}
	return netip.Addr{}
}

// Parse reads the CDP packet data (from the CDP header on) into p, which it
// overwrites. Unknown TLVs are skipped; zero bytes after the last TLV are
// taken for Ethernet padding and left out of the checksum. It allocates nothing unless it
// returns an error; p keeps views into data.
func Parse(data []byte, p *Packet) error {
	*p = Packet{}
	if len(data) < HeaderLen {
		return errAt(0, ErrTruncated)
	}
	if data[0] != 1 && data[0] != 2 {
		return errAt(0, ErrVersion)
	}
	p.Version, p.TTL = data[0], data[1]
	p.Checksum = binary.BigEndian.Uint16(data[2:])
	var r Reader
	r.Reset(data)
	for r.Next() {
		if err := p.tlv(r.TLV()); err != nil {
			return err
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	p.ChecksumOK = p.Checksum == Checksum(data[:r.End()])
	return nil
}

func (p *Packet) keep(dst *[]byte, v []byte) {
	if *dst != nil {
		p.Dropped++
		return
	}
	*dst = v
}

func (p *Packet) tlv(t TLV) error {
	v := t.Value
	switch t.Type {
	case TypeDeviceID:
		p.keep(&p.DeviceID, v)
	case TypePortID:
		p.keep(&p.PortID, v)
	case TypeSoftwareVersion:
		p.keep(&p.Software, v)
	case TypePlatform:
		p.keep(&p.Platform, v)
	case TypeVTPDomain:
		p.keep(&p.VTPDomain, v)
	case TypeSystemName:
		p.keep(&p.SystemName, v)
	case TypeAddresses, TypeMgmtAddresses:
		arr, n := &p.Addrs, &p.NumAddrs
		if t.Type == TypeMgmtAddresses {
			arr, n = &p.MgmtAddrs, &p.NumMgmtAddr
		}
		if *n > 0 {
			p.Dropped++
			return nil
		}
		return p.addresses(t, arr, n)
	case TypeCapabilities:
		if len(v) != 4 {
			return errAt(t.Offset, ErrLength)
		}
		p.HasCapabilities, p.Capabilities = true, Capabilities(binary.BigEndian.Uint32(v))
	case TypeNativeVLAN:
		if len(v) != 2 {
			return errAt(t.Offset, ErrLength)
		}
		p.HasNativeVLAN, p.NativeVLAN = true, binary.BigEndian.Uint16(v)
	case TypeDuplex:
		if len(v) != 1 {
			return errAt(t.Offset, ErrLength)
		}
		p.HasDuplex, p.FullDuplex = true, v[0] == 1
	}
	return nil
}

// addresses reads an addresses TLV: a 32-bit count, then per address a
// protocol type, protocol length, protocol, 16-bit address length and
// address.
func (p *Packet) addresses(t TLV, arr *[MaxAddrs]Address, n *int) error {
	v := t.Value
	if len(v) < 4 {
		return errAt(t.Offset, ErrLength)
	}
	count := binary.BigEndian.Uint32(v)
	v = v[4:]
	for i := uint32(0); i < count; i++ {
		if len(v) < 2 || len(v) < 2+int(v[1])+2 {
			return errAt(t.Offset, ErrLength)
		}
		a := Address{ProtocolType: v[0], Protocol: v[2 : 2+v[1]]}
		v = v[2+int(v[1]):]
		alen := int(binary.BigEndian.Uint16(v))
		if alen > len(v)-2 {
			return errAt(t.Offset, ErrLength)
		}
		a.Addr, v = v[2:2+alen], v[2+alen:]
		if *n == MaxAddrs {
			p.Dropped++
			continue
		}
		arr[*n] = a
		*n++
	}
	return nil
}

// Capabilities is the CDP capabilities bitmap.
type Capabilities uint32

// CDP capabilities.
const (
	CapRouter      Capabilities = 0x001
	CapTransBridge Capabilities = 0x002 // transparent bridge
	CapSRBridge    Capabilities = 0x004 // source-route bridge
	CapSwitch      Capabilities = 0x008
	CapHost        Capabilities = 0x010
	CapIGMP        Capabilities = 0x020
	CapRepeater    Capabilities = 0x040
	CapPhone       Capabilities = 0x080 // VoIP phone
	CapRemote      Capabilities = 0x100 // remotely managed device
	CapCVTA        Capabilities = 0x200 // CVTA / STP dispute resolution / Cisco VT camera
	CapMACRelay    Capabilities = 0x400 // two-port MAC relay
)

var capNames = [32]string{"router", "trans-bridge", "sr-bridge", "switch", "host", "igmp", "repeater", "phone",
	"remote", "cvta", "mac-relay", "bit11", "bit12", "bit13", "bit14", "bit15", "bit16", "bit17", "bit18", "bit19",
	"bit20", "bit21", "bit22", "bit23", "bit24", "bit25", "bit26", "bit27", "bit28", "bit29", "bit30", "bit31"}

// CapabilityName returns the name of capability bit i (0-31): "router",
// "switch", or "bit11" for one without a name.
func CapabilityName(i int) string { return capNames[i&31] }

// String returns the names of the capabilities set, joined by commas.
func (c Capabilities) String() string { return string(c.AppendTo(nil, ',')) }

// AppendTo appends the names of the capabilities set, separated by sep.
func (c Capabilities) AppendTo(dst []byte, sep byte) []byte {
	first := true
	for i := range 32 {
		if c&(1<<i) == 0 {
			continue
		}
		if !first {
			dst = append(dst, sep)
		}
		first = false
		dst = append(dst, capNames[i]...)
	}
	return dst
}
