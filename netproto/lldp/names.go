package lldp

import "strconv"

// ChassisIDSubtype says what a chassis id is (IEEE 802.1AB Table 8-2).
type ChassisIDSubtype uint8

// Chassis id subtypes.
const (
	ChassisComponent      ChassisIDSubtype = 1 // entPhysicalAlias of a chassis
	ChassisInterfaceAlias ChassisIDSubtype = 2 // ifAlias
	ChassisPortComponent  ChassisIDSubtype = 3 // entPhysicalAlias of a port
	ChassisMAC            ChassisIDSubtype = 4
	ChassisNetworkAddress ChassisIDSubtype = 5 // an IANA address family byte, then the address
	ChassisInterfaceName  ChassisIDSubtype = 6 // ifName
	ChassisLocal          ChassisIDSubtype = 7 // locally assigned
)

var chassisNames = [...]string{"", "chassis-component", "interface-alias", "port-component", "mac", "network-address", "interface-name", "local"}

func (s ChassisIDSubtype) String() string {
	if int(s) < len(chassisNames) && s != 0 {
		return chassisNames[s]
	}
	return "ChassisIDSubtype(" + strconv.Itoa(int(s)) + ")"
}

// PortIDSubtype says what a port id is (IEEE 802.1AB Table 8-3).
type PortIDSubtype uint8

// Port id subtypes.
const (
	PortInterfaceAlias PortIDSubtype = 1
	PortComponent      PortIDSubtype = 2
	PortMAC            PortIDSubtype = 3
	PortNetworkAddress PortIDSubtype = 4
	PortInterfaceName  PortIDSubtype = 5
	PortAgentCircuitID PortIDSubtype = 6
	PortLocal          PortIDSubtype = 7
)

var portNames = [...]string{"", "interface-alias", "port-component", "mac", "network-address", "interface-name", "agent-circuit-id", "local"}

func (s PortIDSubtype) String() string {
	if int(s) < len(portNames) && s != 0 {
		return portNames[s]
	}
	return "PortIDSubtype(" + strconv.Itoa(int(s)) + ")"
}

// AppendChassisID appends the chassis id as text: a MAC address as six
// colon-separated hex pairs, a network address in its usual form, other
// subtypes as their bytes.
func (a *Advertisement) AppendChassisID(dst []byte) []byte {
	return appendID(dst, a.ChassisSubtype == ChassisMAC, a.ChassisSubtype == ChassisNetworkAddress, a.ChassisID)
}

// AppendPortID appends the port id as text, as AppendChassisID does.
func (a *Advertisement) AppendPortID(dst []byte) []byte {
	return appendID(dst, a.PortSubtype == PortMAC, a.PortSubtype == PortNetworkAddress, a.PortID)
}

const hexDigits = "0123456789abcdef"

func appendID(dst []byte, mac, netAddr bool, id []byte) []byte {
	switch {
	case mac && len(id) == 6:
		return appendHex(dst, id, ':')
	case netAddr && len(id) > 1:
		if ip, ok := ipOf(AddrFamily(id[0]), id[1:]); ok {
			return ip.AppendTo(dst)
		}
		return appendHex(dst, id, 0)
	}
	return append(dst, id...)
}

// appendHex appends b in lower-case hex, with sep between bytes unless it
// is 0.
func appendHex(dst, b []byte, sep byte) []byte {
	for i, c := range b {
		if i > 0 && sep != 0 {
			dst = append(dst, sep)
		}
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return dst
}

// AppendAddr appends the management address: an IP address in its usual
// form, a MAC address (family 6) with colons, others in hex.
func (m *ManagementAddress) AppendAddr(dst []byte) []byte {
	if ip, ok := m.IP(); ok {
		return ip.AppendTo(dst)
	}
	if m.Family == Family802 && len(m.Addr) == 6 {
		return appendHex(dst, m.Addr, ':')
	}
	return appendHex(dst, m.Addr, 0)
}

// AddrFamily is an IANA address family number, the subtype of a
// management address.
type AddrFamily uint8

// The address families seen in management addresses.
const (
	FamilyIPv4 AddrFamily = 1
	FamilyIPv6 AddrFamily = 2
	Family802  AddrFamily = 6 // an IEEE 802 (MAC) address
)

func (f AddrFamily) String() string {
	switch f {
	case FamilyIPv4:
		return "ipv4"
	case FamilyIPv6:
		return "ipv6"
	case Family802:
		return "802"
	}
	return "AddrFamily(" + strconv.Itoa(int(f)) + ")"
}

// IfNumbering is the interface numbering subtype of a management address.
type IfNumbering uint8

// Interface numbering subtypes.
const (
	IfUnknown    IfNumbering = 1
	IfIndex      IfNumbering = 2
	IfSystemPort IfNumbering = 3
)

func (n IfNumbering) String() string {
	switch n {
	case IfUnknown:
		return "unknown"
	case IfIndex:
		return "ifindex"
	case IfSystemPort:
		return "system-port"
	}
	return "IfNumbering(" + strconv.Itoa(int(n)) + ")"
}

// Capabilities is the system capabilities bitmap (IEEE 802.1AB Table 8-4).
type Capabilities uint16

// System capabilities.
const (
	CapOther     Capabilities = 1 << 0
	CapRepeater  Capabilities = 1 << 1
	CapBridge    Capabilities = 1 << 2
	CapWLANAP    Capabilities = 1 << 3
	CapRouter    Capabilities = 1 << 4
	CapTelephone Capabilities = 1 << 5
	CapDOCSIS    Capabilities = 1 << 6
	CapStation   Capabilities = 1 << 7 // station only
	CapCVLAN     Capabilities = 1 << 8 // C-VLAN component
	CapSVLAN     Capabilities = 1 << 9 // S-VLAN component
	CapTPMR      Capabilities = 1 << 10
)

var capNames = [16]string{"other", "repeater", "bridge", "wlan-ap", "router", "telephone", "docsis", "station",
	"c-vlan", "s-vlan", "tpmr", "bit11", "bit12", "bit13", "bit14", "bit15"}

// CapabilityName returns the name of capability bit i (0-15): "bridge", "router", or
// "bit11" for a reserved one.
func CapabilityName(i int) string { return capNames[i&15] }

// String returns the names of the capabilities set, joined by commas.
func (c Capabilities) String() string { return string(c.AppendTo(nil, ',')) }

// AppendTo appends the names of the capabilities set, separated by sep.
func (c Capabilities) AppendTo(dst []byte, sep byte) []byte {
	first := true
	for i := range 16 {
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

// MEDCapabilities is the LLDP-MED capabilities bitmap (ANSI/TIA-1057
// 10.2.2).
type MEDCapabilities uint16

// LLDP-MED capabilities.
const (
	MEDCapCapabilities MEDCapabilities = 1 << 0
	MEDCapPolicy       MEDCapabilities = 1 << 1
	MEDCapLocation     MEDCapabilities = 1 << 2
	MEDCapPSE          MEDCapabilities = 1 << 3 // extended power via MDI, PSE
	MEDCapPD           MEDCapabilities = 1 << 4 // extended power via MDI, PD
	MEDCapInventory    MEDCapabilities = 1 << 5
)

// MEDDeviceType is the LLDP-MED device type.
type MEDDeviceType uint8

// LLDP-MED device types.
const (
	MEDNotDefined  MEDDeviceType = 0
	MEDClassI      MEDDeviceType = 1 // generic endpoint
	MEDClassII     MEDDeviceType = 2 // media endpoint
	MEDClassIII    MEDDeviceType = 3 // communication device endpoint (an IP phone)
	MEDNetworkConn MEDDeviceType = 4 // network connectivity device
)

var medTypeNames = [...]string{"not-defined", "endpoint-class-1", "endpoint-class-2", "endpoint-class-3", "network-connectivity"}

func (t MEDDeviceType) String() string {
	if int(t) < len(medTypeNames) {
		return medTypeNames[t]
	}
	return "MEDDeviceType(" + strconv.Itoa(int(t)) + ")"
}

// AppType is the application of an LLDP-MED network policy.
type AppType uint8

var appNames = [...]string{"", "voice", "voice-signaling", "guest-voice", "guest-voice-signaling",
	"softphone-voice", "video-conferencing", "streaming-video", "video-signaling"}

func (t AppType) String() string {
	if int(t) < len(appNames) && t != 0 {
		return appNames[t]
	}
	return "AppType(" + strconv.Itoa(int(t)) + ")"
}

// Name returns the name of a known organisationally specific TLV
// ("ieee-802.1/port-vlan-id", "med/inventory-model", ...), or "".
func (o *OrgTLV) Name() string {
	var names []string
	switch o.OUI {
	case OUIIEEE8021:
		names = orgNames8021[:]
	case OUIIEEE8023:
		names = orgNames8023[:]
	case OUIMED:
		names = orgNamesMED[:]
	}
	if int(o.Subtype) < len(names) {
		return names[o.Subtype]
	}
	return ""
}

var orgNames8021 = [...]string{"", "ieee-802.1/port-vlan-id", "ieee-802.1/port-protocol-vlan-id", "ieee-802.1/vlan-name",
	"ieee-802.1/protocol-identity", "ieee-802.1/vid-usage-digest", "ieee-802.1/management-vid", "ieee-802.1/link-aggregation"}

var orgNames8023 = [...]string{"", "ieee-802.3/mac-phy", "ieee-802.3/power-via-mdi", "ieee-802.3/link-aggregation",
	"ieee-802.3/max-frame-size"}

var orgNamesMED = [...]string{"", "med/capabilities", "med/network-policy", "med/location", "med/extended-power",
	"med/inventory-hardware-revision", "med/inventory-firmware-revision", "med/inventory-software-revision",
	"med/inventory-serial-number", "med/inventory-manufacturer", "med/inventory-model", "med/inventory-asset-id"}

var tlvNames = [...]string{"end", "chassis-id", "port-id", "ttl", "port-description", "system-name",
	"system-description", "system-capabilities", "management-address"}

func (t TLVType) String() string {
	if int(t) < len(tlvNames) {
		return tlvNames[t]
	}
	if t == TypeOrgSpecific {
		return "org-specific"
	}
	return "TLVType(" + strconv.Itoa(int(t)) + ")"
}
