// Package lldpflow is the flow adapter for the link-layer discovery
// protocols: importing it registers protocol "lldp" (IEEE 802.1AB,
// EtherType 0x88cc) and protocol "cdp" (Cisco Discovery Protocol, 802.3
// frames with SNAP protocol id 0x2000) with package flow, as Link
// protocols. Each frame is one "advertisement" event; its Src and Dst
// address-ports are zero (a frame belongs to no flow) and Event.SrcMAC and
// DstMAC say who sent it to which group address.
//
// # Identities
//
// Both Details implement [flow.Identifier]: an LLDP advertisement yields
// the system name ("host"), the system description ("os") and the LLDP-MED
// manufacturer and model ("vendor"); a CDP advertisement its device id
// ("host"), software version ("os") and platform ("vendor"). The event of
// a frame has no IP address, so each identity carries the management
// address the advertisement names ([Advertisement.MgmtAddr],
// [CDP.MgmtAddr]) as its Addr; without one, a consumer can still map it to
// a device through the sender's MAC address.
package lldpflow

import (
	"net/netip"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/netproto/cdp"
	"github.com/medtap/medtap/netproto/lldp"
)

// Names of the protocols in events and [flow.Config.Protocols].
const (
	Name    = "lldp"
	NameCDP = "cdp"
)

// EtherTypes the protocols register.
const (
	EtherTypeLLDP = 0x88cc
	SNAPCDP       = 0x2000 // the SNAP protocol id of CDP, after Cisco's OUI
)

// The kinds of event the adapter emits, with their Detail.
const (
	// KindAdvertisement: one LLDPDU ([*Advertisement], protocol "lldp")
	// or one CDP packet ([*CDP], protocol "cdp"). An LLDPDU with a TTL of
	// 0 (the sender is leaving) has "shutdown": true.
	KindAdvertisement flow.Kind = "advertisement"
	// Malformed frames are reported as [flow.KindError], with the offset
	// in the LLDPDU or CDP packet.
)

func init() {
	flow.Register(flow.Protocol{
		Name: Name, Transport: flow.Link, EtherTypes: []uint16{EtherTypeLLDP},
		New: func() flow.Decoder { return new(lldpDecoder) },
	})
	flow.Register(flow.Protocol{
		Name: NameCDP, Transport: flow.Link, EtherTypes: []uint16{SNAPCDP},
		New: func() flow.Decoder { return new(cdpDecoder) },
	})
}

// Advertisement is the Detail of an LLDP "advertisement": the parsed
// LLDPDU, whose views are valid only during the event.
type Advertisement struct {
	LLDP lldp.Advertisement
	buf  []byte // text of the ids and addresses, reused
}

// MgmtAddr returns the first IPv4 or IPv6 management address the
// advertisement carries (the zero Addr when it has none): the address
// under which an inventory keyed by IP knows the sender.
func (a *Advertisement) MgmtAddr() netip.Addr { return a.LLDP.MgmtIP() }

// AppendJSON implements [flow.Detail]: chassis_id and port_id (as text: a
// MAC address with colons, a network address in its usual form) with
// their subtypes, ttl, port_description, system_name, system_description,
// capabilities (enabled) and capabilities_supported (arrays of names),
// mgmt_addr (the first IP management address) and mgmt_addrs (every
// management address, when there are several), port_vlan_id, the LLDP-MED
// med_device_type, network_policies and inventory (hw_revision,
// fw_revision, sw_revision, serial, manufacturer, model, asset_id).
func (a *Advertisement) AppendJSON(dst []byte) []byte {
	l := &a.LLDP
	a.buf = l.AppendChassisID(a.buf[:0])
	dst = flow.AppendBytes(dst, "chassis_id", a.buf)
	dst = flow.AppendString(dst, "chassis_id_subtype", l.ChassisSubtype.String())
	a.buf = l.AppendPortID(a.buf[:0])
	dst = flow.AppendBytes(dst, "port_id", a.buf)
	dst = flow.AppendString(dst, "port_id_subtype", l.PortSubtype.String())
	dst = flow.AppendInt(dst, "ttl", int64(l.TTL))
	if l.TTL == 0 {
		dst = flow.AppendBool(dst, "shutdown", true)
	}
	dst = flow.AppendNonEmpty(dst, "port_description", l.PortDescription)
	dst = flow.AppendNonEmpty(dst, "system_name", l.SystemName)
	dst = flow.AppendNonEmpty(dst, "system_description", l.SystemDescription)
	if l.HasCapabilities {
		dst = appendNames(dst, "capabilities", uint32(l.Enabled), 16, lldp.CapabilityName)
		dst = appendNames(dst, "capabilities_supported", uint32(l.Supported), 16, lldp.CapabilityName)
	}
	if ip := l.MgmtIP(); ip.IsValid() {
		dst = flow.AppendKey(dst, "mgmt_addr")
		dst = append(ip.AppendTo(append(dst, '"')), '"')
	}
	if l.NumMgmtAddrs > 1 {
		dst = append(flow.AppendKey(dst, "mgmt_addrs"), '[')
		for i := range l.NumMgmtAddrs {
			if i > 0 {
				dst = append(dst, ',')
			}
			a.buf = l.MgmtAddrs[i].AppendAddr(a.buf[:0])
			dst = flow.AppendQuotedBytes(dst, a.buf)
		}
		dst = append(dst, ']')
	}
	if l.PortVLAN != 0 {
		dst = flow.AppendInt(dst, "port_vlan_id", int64(l.PortVLAN))
	}
	if l.HasMED {
		dst = flow.AppendString(dst, "med_device_type", l.MEDDeviceType.String())
	}
	if l.NumPolicies > 0 {
		dst = append(flow.AppendKey(dst, "network_policies"), '[')
		for i, p := range l.Policies[:l.NumPolicies] {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"app":`...)
			dst = flow.AppendQuoted(dst, p.App.String())
			dst = flow.AppendInt(dst, "vlan", int64(p.VLAN))
			dst = flow.AppendInt(dst, "priority", int64(p.Priority))
			dst = flow.AppendInt(dst, "dscp", int64(p.DSCP))
			dst = flow.AppendBool(dst, "tagged", p.Tagged)
			if p.Unknown {
				dst = flow.AppendBool(dst, "unknown", true)
			}
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	dst = flow.AppendNonEmpty(dst, "hw_revision", l.HardwareRevision)
	dst = flow.AppendNonEmpty(dst, "fw_revision", l.FirmwareRevision)
	dst = flow.AppendNonEmpty(dst, "sw_revision", l.SoftwareRevision)
	dst = flow.AppendNonEmpty(dst, "serial", l.SerialNumber)
	dst = flow.AppendNonEmpty(dst, "manufacturer", l.Manufacturer)
	dst = flow.AppendNonEmpty(dst, "model", l.Model)
	dst = flow.AppendNonEmpty(dst, "asset_id", l.AssetID)
	return dst
}

// Identify implements [flow.Identifier]: the system name ("host"), the
// system description ("os") and the LLDP-MED manufacturer and model joined
// by a space ("vendor"), all the sender's. See the package documentation
// for how to place them.
func (a *Advertisement) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	l := &a.LLDP
	addr := a.MgmtAddr()
	if len(l.SystemName) > 0 {
		yield(flow.Identity{Source: true, Addr: addr, Kind: "host", Name: l.SystemName})
	}
	if len(l.SystemDescription) > 0 {
		yield(flow.Identity{Source: true, Addr: addr, Kind: "os", Name: l.SystemDescription})
	}
	if v := joinVendor(buf, l.Manufacturer, l.Model); len(v) > 0 {
		yield(flow.Identity{Source: true, Addr: addr, Kind: "vendor", Name: v})
	}
}

// joinVendor appends manufacturer and model, separated by a space when
// both are there.
func joinVendor(buf, manufacturer, model []byte) []byte {
	buf = append(buf[:0], manufacturer...)
	if len(manufacturer) > 0 && len(model) > 0 {
		buf = append(buf, ' ')
	}
	return append(buf, model...)
}

// appendNames appends `,"key":[...]` with the names of the bits set in v.
func appendNames(dst []byte, key string, v uint32, bits int, name func(int) string) []byte {
	dst = append(flow.AppendKey(dst, key), '[')
	first := true
	for i := range bits {
		if v&(1<<i) == 0 {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = flow.AppendQuoted(dst, name(i))
	}
	return append(dst, ']')
}

// lldpDecoder decodes every LLDP frame of the engine; the Detail is reused.
type lldpDecoder struct{ adv Advertisement }

func (d *lldpDecoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	if err := lldp.Parse(data, &d.adv.LLDP); err != nil {
		c.DecodeError(dir, err)
		return
	}
	c.Emit(dir, KindAdvertisement, &d.adv)
	d.adv.LLDP = lldp.Advertisement{}
}

func (d *lldpDecoder) Gap(*flow.Context, flow.Dir, int) {}
func (d *lldpDecoder) Close(*flow.Context)              {}

// CDP is the Detail of a CDP "advertisement": the parsed packet, whose
// views are valid only during the event.
type CDP struct {
	CDP cdp.Packet
}

// MgmtAddr returns the first IPv4 or IPv6 address the packet carries (of
// its addresses TLV, else of its management addresses), or the zero Addr.
func (p *CDP) MgmtAddr() netip.Addr { return p.CDP.IP() }

// AppendJSON implements [flow.Detail]: version, ttl, device_id, addresses
// (every IPv4 and IPv6 address), mgmt_addr (the first of them, else the
// first management address), port_id, capabilities (names),
// software_version, platform, native_vlan, vtp_domain, duplex
// ("full"/"half"), system_name, and checksum_ok: false when the checksum
// is wrong.
func (p *CDP) AppendJSON(dst []byte) []byte {
	k := &p.CDP
	dst = flow.AppendInt(dst, "version", int64(k.Version))
	dst = flow.AppendInt(dst, "ttl", int64(k.TTL))
	dst = flow.AppendNonEmpty(dst, "device_id", k.DeviceID)
	if k.NumAddrs > 0 {
		dst = append(flow.AppendKey(dst, "addresses"), '[')
		n := 0
		for i := range k.NumAddrs {
			if ip, ok := k.Addrs[i].IP(); ok {
				if n > 0 {
					dst = append(dst, ',')
				}
				dst = append(ip.AppendTo(append(dst, '"')), '"')
				n++
			}
		}
		dst = append(dst, ']')
	}
	if ip := k.IP(); ip.IsValid() {
		dst = flow.AppendKey(dst, "mgmt_addr")
		dst = append(ip.AppendTo(append(dst, '"')), '"')
	}
	dst = flow.AppendNonEmpty(dst, "port_id", k.PortID)
	if k.HasCapabilities {
		dst = appendNames(dst, "capabilities", uint32(k.Capabilities), 32, cdp.CapabilityName)
	}
	dst = flow.AppendNonEmpty(dst, "software_version", k.Software)
	dst = flow.AppendNonEmpty(dst, "platform", k.Platform)
	if k.HasNativeVLAN {
		dst = flow.AppendInt(dst, "native_vlan", int64(k.NativeVLAN))
	}
	dst = flow.AppendNonEmpty(dst, "vtp_domain", k.VTPDomain)
	if k.HasDuplex {
		duplex := "half"
		if k.FullDuplex {
			duplex = "full"
		}
		dst = flow.AppendString(dst, "duplex", duplex)
	}
	dst = flow.AppendNonEmpty(dst, "system_name", k.SystemName)
	if !k.ChecksumOK {
		dst = flow.AppendBool(dst, "checksum_ok", false)
	}
	return dst
}

// Identify implements [flow.Identifier]: the device id ("host"), the
// software version ("os") and the platform ("vendor"), all the sender's.
// See the package documentation for how to place them.
func (p *CDP) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	c := &p.CDP
	addr := p.MgmtAddr()
	if len(c.DeviceID) > 0 {
		yield(flow.Identity{Source: true, Addr: addr, Kind: "host", Name: c.DeviceID})
	}
	if len(c.Software) > 0 {
		yield(flow.Identity{Source: true, Addr: addr, Kind: "os", Name: c.Software})
	}
	if len(c.Platform) > 0 {
		yield(flow.Identity{Source: true, Addr: addr, Kind: "vendor", Name: c.Platform})
	}
}

type cdpDecoder struct{ pkt CDP }

func (d *cdpDecoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	if err := cdp.Parse(data, &d.pkt.CDP); err != nil {
		c.DecodeError(dir, err)
		return
	}
	c.Emit(dir, KindAdvertisement, &d.pkt)
	d.pkt.CDP = cdp.Packet{}
}

func (d *cdpDecoder) Gap(*flow.Context, flow.Dir, int) {}
func (d *cdpDecoder) Close(*flow.Context)              {}
