package fingerprint

import (
	"maps"
	"net/netip"
	"reflect"
	"slices"
	"time"

	"github.com/medtap/medtap/fingerprint/devdb"
	"github.com/medtap/medtap/flow"
)

// A macDevice is the device of one MAC: the records of the addresses it
// was seen with. A MAC seen with many addresses is a router's (shared):
// it then has no addresses of its own, and the records it had are devices
// by themselves again.
type macDevice struct {
	mac     flow.MAC
	members []*device // its addresses' records, first seen first; orphans among them
	// foreign are the addresses seen with the MAC that belong to another
	// device (or that its device had no room for): they count toward the
	// router test too.
	foreign []addrKey
	count   [2]int // distinct IPv4 and IPv6 addresses counted toward the router test
	shared  bool
	mark    uint32 // Devices' pass that reported it
}

// link takes the MAC a record's address came with into account: the
// address joins the device of its MAC, or counts toward the MAC being a
// router's.
func (inv *Inventory) link(d *device, mac flow.MAC) {
	d.mac = mac
	if d.own != nil && d.own.mac == mac {
		return
	}
	g := inv.macs[mac]
	if g != nil && g.shared {
		if d.own == nil {
			d.router = mac
		}
		return
	}
	if inv.cfg.RouterAddrs > 0 && !inv.local(d.addr) {
		// Only a router sends what an address outside the capture's
		// subnets sent.
		if g = inv.group(mac); g != nil {
			inv.share(g)
		}
		if d.own == nil {
			d.router = mac
		}
		return
	}
	if g = inv.group(mac); g == nil {
		return
	}
	if d.own != nil {
		// The address has a MAC of its own already: this one forwarded
		// its packets (a capture that sees both sides of a router), or
		// took its address over, which only DHCP tells.
		inv.foreign(g, d.addr)
		return
	}
	inv.join(g, d, counts(d.addr))
}

// local reports whether a may be on the capture's own subnets.
func (inv *Inventory) local(a netip.Addr) bool {
	if len(inv.cfg.LocalNets) == 0 || a.IsLinkLocalUnicast() {
		return true
	}
	a = a.Unmap()
	for _, p := range inv.cfg.LocalNets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// counts reports whether an address seen with a MAC counts toward the MAC
// being a router's: a link-local address never comes through one.
func counts(a netip.Addr) bool { return !a.IsLinkLocalUnicast() }

// family is 0 for an IPv4 address, 1 for IPv6: each family is counted on
// its own, so that a host's IPv4 address and its stable, temporary and
// unique local IPv6 addresses do not add up to a router's.
func family(a netip.Addr) int {
	if a.Unmap().Is4() {
		return 0
	}
	return 1
}

// count counts one more address of a's family toward g's router test.
func (inv *Inventory) count(g *macDevice, a netip.Addr) {
	f := family(a)
	g.count[f]++
	if g.count[f] >= inv.cfg.RouterAddrs {
		inv.share(g)
	}
}

// group returns the device of mac, made if needed. At 2×MaxDevices MACs
// (more than there can be devices of MACs) one without addresses, a
// router's or one counting foreign addresses only, is forgotten first.
func (inv *Inventory) group(mac flow.MAC) *macDevice {
	g := inv.macs[mac]
	if g != nil {
		return g
	}
	if len(inv.macs) >= 2*inv.cfg.MaxDevices {
		for m, o := range inv.macs {
			if len(o.members) == 0 {
				delete(inv.macs, m)
				inv.stats.MACsDropped++
				break
			}
		}
		if len(inv.macs) >= 2*inv.cfg.MaxDevices {
			return nil
		}
	}
	g = &macDevice{mac: mac}
	inv.macs[mac] = g
	return g
}

// join makes d an address of g's device; counted says whether its address
// counts toward the router test.
func (inv *Inventory) join(g *macDevice, d *device, counted bool) {
	if len(g.members) >= inv.cfg.MaxAddrs {
		if counted {
			if inv.foreign(g, d.addr); g.shared {
				d.router = g.mac
				return
			}
		}
		inv.stats.AddrsDropped++
		return
	}
	if len(g.members) == 0 {
		inv.ngroups++
	}
	g.members = append(g.members, d)
	inv.grouped++
	d.own, d.router, d.counted = g, flow.MAC{}, false
	if counted && inv.cfg.RouterAddrs > 0 {
		d.counted = true
		inv.count(g, d.addr)
	}
}

// foreign counts an address seen with g's MAC that is not one of its own.
func (inv *Inventory) foreign(g *macDevice, a netip.Addr) {
	if inv.cfg.RouterAddrs <= 0 || !counts(a) {
		return
	}
	k := keyOf(a)
	if slices.Contains(g.foreign, k) {
		return
	}
	for _, m := range g.members {
		if m.counted && keyOf(m.addr) == k {
			return
		}
	}
	g.foreign = append(g.foreign, k)
	inv.count(g, a)
}

// share marks g's MAC a router's: its addresses become devices by
// themselves again, behind the router. Records of addresses that moved to
// another device (orphans) are dropped: their address has a device.
func (inv *Inventory) share(g *macDevice) {
	if g.shared {
		return
	}
	g.shared = true
	inv.stats.Routers++

	if len(g.members) > 0 {
		inv.ngroups--
	}
	inv.grouped -= len(g.members)
	members := g.members
	g.members, g.foreign, g.count = nil, nil, [2]int{}
	for _, d := range members {
		d.own, d.router, d.counted = nil, g.mac, false
		if d.orphan {
			inv.unlink(d)
			inv.nrec--
		}
	}
}

// leave takes d out of the device of its MAC, forgetting the device when
// nothing is left of it.
func (inv *Inventory) leave(d *device) {
	g := d.own
	if g == nil {
		return
	}
	if i := slices.Index(g.members, d); i >= 0 {
		g.members = slices.Delete(g.members, i, i+1)
	}
	inv.grouped--
	if d.counted {
		g.count[family(d.addr)]--
	}
	d.own, d.counted = nil, false
	if len(g.members) == 0 {
		inv.ngroups--
		if !g.shared && len(g.foreign) == 0 && inv.macs[g.mac] == g {
			delete(inv.macs, g.mac)
		}
	}
}

// tie records what a DHCP server says: a is the address of mac's device.
// An address another MAC's device had stays in that device's history, and
// a new record starts for it.
func (inv *Inventory) tie(a netip.Addr, mac flow.MAC, ts time.Time) {
	if !isDevice(a) {
		return
	}
	d := inv.get(a, flow.MAC{}, ts)
	g := inv.group(mac)
	if g == nil || g.shared {
		return
	}
	if d.own != nil && d.own != g {
		d.orphan = true
		inv.unindex(d)
		d = inv.get(a, flow.MAC{}, ts)
		if g = inv.group(mac); g == nil { // made again if the new record's eviction took it
			return
		}
	}
	if d.own == g {
		if d.counted {
			d.counted = false
			g.count[family(d.addr)]--
		}
	} else {
		inv.join(g, d, false)
	}
	d.mac = mac
}

// addrs returns the address g's device was seen with last (of those it
// holds still) and, when it has more than one, every address in the order
// first seen.
func (g *macDevice) addrs() (last netip.Addr, all []netip.Addr) {
	var cur *device
	for _, d := range g.members {
		if cur == nil || cur.orphan && !d.orphan || cur.orphan == d.orphan && !d.last.Before(cur.last) {
			cur = d
		}
	}
	if cur == nil {
		return netip.Addr{}, nil
	}
	if len(g.members) == 1 {
		return cur.addr, nil
	}
	ms := slices.Clone(g.members)
	slices.SortStableFunc(ms, func(a, b *device) int { return a.first.Compare(b.first) })
	for _, d := range ms {
		if !slices.Contains(all, d.addr) {
			all = append(all, d.addr)
		}
	}
	if len(all) == 1 {
		all = nil
	}
	return cur.addr, all
}

// merged returns one record of what every address of g's device did: the
// record itself for a device of one address, else a new record with the
// union of their sets (each cut at its cap, the addresses seen first
// first) and the sum of their counts.
func (inv *Inventory) merged(g *macDevice) *device {
	if len(g.members) == 1 {
		return g.members[0]
	}
	m := &device{protocols: map[string]struct{}{}, services: map[string]struct{}{}, names: map[string]struct{}{},
		peers: map[addrKey]struct{}{}, roles: map[string]struct{}{}, hl7From: map[addrKey]struct{}{}}
	var dropped uint64 // what the caps cut here is no loss of the inventory's
	c := &inv.cfg
	for i, d := range g.members {
		if i == 0 || d.first.Before(m.first) {
			m.first = d.first
		}
		if d.last.After(m.last) {
			m.last = d.last
		}
		for _, set := range [...]struct {
			dst, src map[string]struct{}
			max      int
		}{{m.protocols, d.protocols, c.MaxProtocols}, {m.services, d.services, c.MaxServices}, {m.names, d.names, c.MaxNames}, {m.roles, d.roles, c.MaxRoles}} {
			for _, k := range slices.Sorted(maps.Keys(set.src)) {
				inv.add(set.dst, k, set.max, &dropped)
			}
		}
		for _, set := range [...]struct{ dst, src map[addrKey]struct{} }{{m.peers, d.peers}, {m.hl7From, d.hl7From}} {
			for k := range set.src {
				if len(set.dst) >= c.MaxPeers {
					break
				}
				set.dst[k] = struct{}{}
			}
		}
		m.dicom.merge(&d.dicom)
		m.hl7Sent |= d.hl7Sent
		mergeEvidence(&m.ev, &d.ev)
		m.exposure.smb1 = m.exposure.smb1 || d.exposure.smb1
		m.exposure.defaultAccepted = m.exposure.defaultAccepted || d.exposure.defaultAccepted
		m.exposure.loginsAccepted += d.exposure.loginsAccepted
		m.flowsIn += d.flowsIn
		m.flowsOut += d.flowsOut
		m.sent += d.sent
		m.recvd += d.recvd
	}
	return m
}

// mergeEvidence fills the empty fields of dst from src: each answer first
// given is kept, as for one record.
func mergeEvidence(dst, src *devdb.Evidence) {
	dv, sv := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	for i := range dv.NumField() {
		f, s := dv.Field(i), sv.Field(i)
		switch {
		case f.Kind() == reflect.String:
			if f.String() == "" {
				f.SetString(s.String())
			}
		case f.Kind() == reflect.Array && f.Type().Elem().Kind() == reflect.String:
			slots := f.Slice(0, f.Len()).Interface().([]string)
			for j := range s.Len() {
				if v := s.Index(j).String(); v != "" {
					addSlot(slots, []byte(v))
				}
			}
		}
	}
}

// distinct counts the devices a set of peer addresses names: the
// addresses of one MAC's device count once.
func (inv *Inventory) distinct(set map[addrKey]struct{}) int {
	if inv.grouped == inv.ngroups {
		return len(set) // every MAC's device has one address
	}
	if inv.counted == nil {
		inv.counted = map[*macDevice]struct{}{}
	}
	clear(inv.counted)
	n := 0
	for k := range set {
		if d := inv.devs[k]; d != nil && d.own != nil && len(d.own.members) > 1 {
			if _, ok := inv.counted[d.own]; ok {
				continue
			}
			inv.counted[d.own] = struct{}{}
		}
		n++
	}
	return n
}
