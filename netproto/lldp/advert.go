package lldp

import (
	"encoding/binary"
	"net/netip"
)

// Limits of an [Advertisement]'s fixed arrays. Further TLVs of those kinds
// are counted in Advertisement.Dropped and otherwise ignored.
const (
	MaxMgmtAddrs = 4
	MaxPolicies  = 8
	MaxOrgTLVs   = 16
)

// OUIs of the organisationally specific TLVs that [Parse] decodes.
const (
	OUIIEEE8021 uint32 = 0x0080c2 // IEEE 802.1
	OUIIEEE8023 uint32 = 0x00120f // IEEE 802.3
	OUIMED      uint32 = 0x0012bb // TIA TR-41 (LLDP-MED, ANSI/TIA-1057)
)

// ManagementAddress is a management address TLV: an address of the
// sender's, the interface it belongs to and an optional OID.
type ManagementAddress struct {
	Family    AddrFamily // IANA address family of Addr
	Addr      []byte
	IfSubtype IfNumbering
	IfNumber  uint32
	OID       []byte // BER-encoded object identifier, often empty
}

// IP returns the address when it is IPv4 or IPv6.
func (m *ManagementAddress) IP() (netip.Addr, bool) { return ipOf(m.Family, m.Addr) }

func ipOf(f AddrFamily, b []byte) (netip.Addr, bool) {
	switch {
	case f == FamilyIPv4 && len(b) == 4:
		return netip.AddrFrom4([4]byte(b)), true
	case f == FamilyIPv6 && len(b) == 16:
		return netip.AddrFrom16([16]byte(b)), true
	}
	return netip.Addr{}, false
}

// OrgTLV is an organisationally specific TLV (type 127): an OUI, a subtype
// defined by that organisation and its information string.
type OrgTLV struct {
	OUI     uint32 // 24 bits
	Subtype uint8
	Info    []byte
	Offset  int // of the TLV header
}

// NetworkPolicy is an LLDP-MED network policy TLV: the VLAN and QoS an
// application (voice, video, ...) of the sender uses.
type NetworkPolicy struct {
	App      AppType
	Unknown  bool // the policy is required but not yet known
	Tagged   bool // 802.1Q tagged (VLAN and Priority apply)
	VLAN     uint16
	Priority uint8 // 802.1p, 0-7
	DSCP     uint8 // 0-63
}

// Advertisement is one LLDPDU, read by [Parse]. Byte slices are views into
// the LLDPDU; empty when the TLV was absent.
type Advertisement struct {
	ChassisSubtype ChassisIDSubtype
	ChassisID      []byte
	PortSubtype    PortIDSubtype
	PortID         []byte
	// TTL is how long the information stays valid, in seconds; 0 is a
	// shutdown LLDPDU: forget the sender.
	TTL uint16

	PortDescription   []byte
	SystemName        []byte
	SystemDescription []byte

	HasCapabilities bool
	Supported       Capabilities
	Enabled         Capabilities

	MgmtAddrs    [MaxMgmtAddrs]ManagementAddress
	NumMgmtAddrs int

	// PortVLAN is the IEEE 802.1 port VLAN id (PVID); 0 when absent.
	PortVLAN uint16

	// LLDP-MED.
	HasMED          bool // an LLDP-MED capabilities TLV was present
	MEDCapabilities MEDCapabilities
	MEDDeviceType   MEDDeviceType
	Policies        [MaxPolicies]NetworkPolicy
	NumPolicies     int
	// The LLDP-MED inventory TLVs.
	HardwareRevision []byte
	FirmwareRevision []byte
	SoftwareRevision []byte
	SerialNumber     []byte
	Manufacturer     []byte
	Model            []byte
	AssetID          []byte

	// OrgTLVs lists every organisationally specific TLV in order, the
	// decoded ones above included.
	OrgTLVs    [MaxOrgTLVs]OrgTLV
	NumOrgTLVs int

	// Dropped counts TLVs past the fixed arrays' capacity, and duplicate
	// optional TLVs (the first one is kept).
	Dropped int
}

// MgmtIP returns the first IPv4 or IPv6 management address, or the zero
// Addr.
func (a *Advertisement) MgmtIP() netip.Addr {
	for i := range a.NumMgmtAddrs {
		if ip, ok := a.MgmtAddrs[i].IP(); ok {
			return ip
		}
	}
	return netip.Addr{}
}

// Parse reads the LLDPDU data into a, which it overwrites. The first three
// TLVs must be the chassis id, port id and time to live (IEEE 802.1AB
// 8.2); TLV types 9-126, reserved, are skipped; a TLV whose length does not
// suit its type is an error. It allocates nothing unless it returns an
// error; a keeps views into data.
func Parse(data []byte, a *Advertisement) error {
	*a = Advertisement{}
	var r Reader
	r.Reset(data)
	i := 0
	for ; r.Next(); i++ {
		t := r.TLV()
		if (i == 0) != (t.Type == TypeChassisID) || (i == 1) != (t.Type == TypePortID) || (i == 2) != (t.Type == TypeTTL) {
			return errAt(t.Offset, ErrMandatory)
		}
		if err := a.tlv(t); err != nil {
			return err
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	if i < 3 {
		return errAt(r.off, ErrMandatory)
	}
	return nil
}

// optional keeps the first value of an optional string TLV.
func (a *Advertisement) optional(dst *[]byte, v []byte) {
	if *dst != nil {
		a.Dropped++
		return
	}
	*dst = v
}

func (a *Advertisement) tlv(t TLV) error {
	v := t.Value
	switch t.Type {
	case TypeChassisID, TypePortID:
		if len(v) < 2 || len(v) > 256 {
			return errAt(t.Offset, ErrLength)
		}
		if t.Type == TypeChassisID {
			a.ChassisSubtype, a.ChassisID = ChassisIDSubtype(v[0]), v[1:]
		} else {
			a.PortSubtype, a.PortID = PortIDSubtype(v[0]), v[1:]
		}
	case TypeTTL:
		if len(v) < 2 {
			return errAt(t.Offset, ErrLength)
		}
		a.TTL = binary.BigEndian.Uint16(v)
	case TypePortDescription:
		a.optional(&a.PortDescription, v)
	case TypeSystemName:
		a.optional(&a.SystemName, v)
	case TypeSystemDescription:
		a.optional(&a.SystemDescription, v)
	case TypeSystemCapabilities:
		if len(v) != 4 {
			return errAt(t.Offset, ErrLength)
		}
		if a.HasCapabilities {
			a.Dropped++
			return nil
		}
		a.HasCapabilities = true
		a.Supported = Capabilities(binary.BigEndian.Uint16(v))
		a.Enabled = Capabilities(binary.BigEndian.Uint16(v[2:]))
	case TypeManagementAddress:
		m, ok := parseMgmt(v)
		if !ok {
			return errAt(t.Offset, ErrLength)
		}
		if a.NumMgmtAddrs == MaxMgmtAddrs {
			a.Dropped++
			return nil
		}
		a.MgmtAddrs[a.NumMgmtAddrs] = m
		a.NumMgmtAddrs++
	case TypeOrgSpecific:
		if len(v) < 4 {
			return errAt(t.Offset, ErrLength)
		}
		o := OrgTLV{OUI: uint32(v[0])<<16 | uint32(v[1])<<8 | uint32(v[2]), Subtype: v[3], Info: v[4:], Offset: t.Offset}
		if a.NumOrgTLVs == MaxOrgTLVs {
			a.Dropped++
		} else {
			a.OrgTLVs[a.NumOrgTLVs] = o
			a.NumOrgTLVs++
		}
		return a.org(o)
	}
	return nil
}

// parseMgmt reads a management address TLV: address string length (the
// subtype byte and the address, 2-32), subtype, address, interface
// numbering subtype, interface number, OID string length (0-128), OID.
func parseMgmt(v []byte) (m ManagementAddress, ok bool) {
	if len(v) < 9 {
		return m, false
	}
	n := int(v[0])
	if n < 2 || n > 32 || len(v) < 1+n+6 {
		return m, false
	}
	m.Family, m.Addr = AddrFamily(v[1]), v[2:1+n]
	rest := v[1+n:]
	m.IfSubtype = IfNumbering(rest[0])
	m.IfNumber = binary.BigEndian.Uint32(rest[1:])
	oidLen := int(rest[5])
	if oidLen > 128 || len(rest) != 6+oidLen {
		return m, false
	}
	m.OID = rest[6:]
	return m, true
}

// org decodes the organisationally specific TLVs Advertisement has fields
// for.
func (a *Advertisement) org(o OrgTLV) error {
	v := o.Info
	switch o.OUI {
	case OUIIEEE8021:
		if o.Subtype == 1 { // port VLAN id
			if len(v) != 2 {
				return errAt(o.Offset, ErrLength)
			}
			a.PortVLAN = binary.BigEndian.Uint16(v)
		}
	case OUIMED:
		switch o.Subtype {
		case 1: // capabilities
			if len(v) != 3 {
				return errAt(o.Offset, ErrLength)
			}
			a.HasMED = true
			a.MEDCapabilities = MEDCapabilities(binary.BigEndian.Uint16(v))
			a.MEDDeviceType = MEDDeviceType(v[2])
		case 2: // network policy
			if len(v) != 4 {
				return errAt(o.Offset, ErrLength)
			}
			if a.NumPolicies == MaxPolicies {
				a.Dropped++
				return nil
			}
			x := uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3])
			a.Policies[a.NumPolicies] = NetworkPolicy{
				App: AppType(v[0]), Unknown: x&(1<<23) != 0, Tagged: x&(1<<22) != 0,
				VLAN: uint16(x >> 9 & 0xfff), Priority: uint8(x >> 6 & 7), DSCP: uint8(x & 0x3f),
			}
			a.NumPolicies++
		case 5, 6, 7, 8, 9, 10, 11: // inventory (at most 32 bytes each, not enforced)
			a.optional(a.inventory(o.Subtype), v)
		}
	}
	return nil
}

func (a *Advertisement) inventory(subtype uint8) *[]byte {
	switch subtype {
	case 5:
		return &a.HardwareRevision
	case 6:
		return &a.FirmwareRevision
	case 7:
		return &a.SoftwareRevision
	case 8:
		return &a.SerialNumber
	case 9:
		return &a.Manufacturer
	case 10:
		return &a.Model
	}
	return &a.AssetID
}
