// Package fingerprint builds the asset inventory: every device seen on the
// network, the protocols and services it uses, the names it gives itself
// and whom it talks to.
//
// An [Inventory] is a [flow.Sink]: feed it the events of a [flow.Engine]
// (directly or alongside other sinks) and ask it for [Inventory.Devices].
// It learns from the engine's flow events and from every event Detail that
// implements [flow.Identifier] (the AE title a DICOM device calls from, the
// HL7 application it sends as, ...), so it knows nothing of the protocol
// adapters and works with adapters written outside medtap too.
//
// Memory is bounded: the number of addresses held and, per device, of
// addresses, names, services, protocols and peers are capped by [Config];
// past a cap the least recently seen address (to within a second of packet
// time) is evicted, or the new entry dropped, and [Inventory.Stats] counts
// what was lost. An event allocates
// nothing once its devices are known.
//
// A device is known by its own MAC where it is seen with one, else by its
// IP address. The addresses a MAC comes with are one device: a host seen
// with an IPv4 and an IPv6 address, or given a new address by DHCP, is one
// device with every address it was seen with ([Device.Addrs]), the last one
// its [Device.Addr]; a DHCP acknowledgement ties the client's MAC, the
// address it is given and the host name it sent. A MAC seen with many
// addresses ([Config.RouterAddrs], or with an address outside
// [Config.LocalNets]) is a router's: the devices behind it keep their IP
// address as their key, each its own device, and those attributed to the
// router's MAC before it was recognised are split back out by address. An
// IPv4 address and its IPv4-mapped IPv6 form are the same address; zones
// are not kept.
package fingerprint

import (
	"bytes"
	"cmp"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/medtap/medtap/fingerprint/devdb"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/dicomflow"
)

// Config caps what an [Inventory] holds. The zero value of a field selects
// its default.
type Config struct {
	// MaxDevices caps the addresses tracked at once (a device seen with
	// two addresses counts twice); default 65536.
	MaxDevices   int
	MaxNames     int // names per device; default 16
	MaxServices  int // services per device; default 64
	MaxProtocols int // protocols per device; default 32
	MaxPeers     int // distinct peer addresses remembered per device; default 1024
	MaxRoles     int // roles per device; default 16
	MaxAddrs     int // addresses per device; default 16
	// RouterAddrs is how many distinct addresses of one family (IPv4, or
	// IPv6) seen with one MAC make it a router's (link-local addresses
	// and those a DHCP server gave its owner do not count); default 4, at
	// most 64. Negative: no MAC is taken for a router's.
	RouterAddrs int
	// LocalNets are the capture's own subnets, when known: a MAC seen with
	// an address outside them (link-local addresses aside) is a router's
	// at once. Empty: any address may be local.
	LocalNets []netip.Prefix
	// DB is the device database devices are matched against; nil selects
	// devdb.Default().
	DB *devdb.Database
}

func (c *Config) defaults() {
	c.MaxDevices = cmpOr(c.MaxDevices, 65536)
	c.MaxNames = cmpOr(c.MaxNames, 16)
	c.MaxServices = cmpOr(c.MaxServices, 64)
	c.MaxProtocols = cmpOr(c.MaxProtocols, 32)
	c.MaxPeers = cmpOr(c.MaxPeers, 1024)
	c.MaxRoles = cmpOr(c.MaxRoles, 16)
	c.MaxAddrs = cmpOr(c.MaxAddrs, 16)
	if c.RouterAddrs == 0 {
		c.RouterAddrs = 4
	}
	c.RouterAddrs = min(c.RouterAddrs, 64)
	if c.DB == nil {
		c.DB = devdb.Default()
	}
}

func cmpOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// Stats counts what an [Inventory] saw and what its caps dropped.
type Stats struct {
	Devices          uint64 // devices held now
	DevicesEvicted   uint64 // least recently seen devices dropped at MaxDevices
	NamesDropped     uint64 // names not kept: the device had MaxNames
	ServicesDropped  uint64
	ProtocolsDropped uint64
	PeersDropped     uint64 // peers not remembered: the device had MaxPeers
	RolesDropped     uint64
	AddrsDropped     uint64 // addresses kept apart from their MAC's device: it had MaxAddrs
	Routers          uint64 // MACs found to be routers': seen with many addresses, or one outside LocalNets
	MACsDropped      uint64 // MACs no longer remembered, past 2×MaxDevices (ones with no device)
}

// Device is what the inventory learned about one device.
type Device struct {
	// Addr is the address it was seen with last (of those it holds
	// still, for a device whose old address another took over).
	Addr netip.Addr
	// Addrs are the addresses it was seen with, in the order first seen,
	// when more than one; nil when Addr is its only one.
	Addrs []netip.Addr `json:",omitzero"`
	// MAC is its own link-layer address, its key; zero for a device known
	// by its address alone.
	MAC flow.MAC
	// Router is, for a device known by its address alone, the MAC its
	// packets came with, shared by many addresses: a router's (the
	// device is behind it, or is the router itself).
	Router      flow.MAC  `json:",omitzero"`
	First, Last time.Time // packet times of the first and last flow or event
	// Protocols are the application protocols of its identified flows,
	// sorted.
	Protocols []string
	// Services are the protocols it served, as "dicom/tcp:104", sorted.
	Services []string
	// Names are the identities it gave itself, as "kind:name"
	// ("ae:CT_SCANNER", "hl7:LAB@HOSP"), sorted.
	Names []string
	// Roles are the sides of protocols it was seen on ("dicom-scu",
	// "dicom-scp", "hl7-sender", "hl7-receiver", "astm-sender", ...),
	// sorted.
	Roles []string
	// Vendor, Product and OS are what the device database says the
	// evidence names, with the Confidence of that (0..1).
	Vendor, Product, OS string
	Confidence          float64
	// Class is the device class: the database's when it gives one, else
	// what behaviour says ("pacs", "workstation", "modality:CT",
	// "interface-engine", ...); "" when neither says. Criticality comes
	// with it.
	Class       string
	Criticality string
	// Evidence lists the rules that matched: the database's test IDs
	// ("entry:field") and the behaviour rule ("behaviour:...").
	Evidence []string
	// Exposure lists why the device is exposed, each factor explained:
	// an end-of-life OS, SMBv1, PHI protocols without TLS, logins in clear
	// text, a default password accepted, many peers, and the CISA
	// advisories that apply to its vendor and product (with "version
	// unknown" when its version was not seen).
	Exposure      []Exposure
	Peers         int // distinct peers remembered (at most MaxPeers)
	FlowsIn       int // flows it accepted
	FlowsOut      int // flows it opened
	BytesSent     uint64
	BytesReceived uint64
}

// AppendJSON appends d as one JSON object (no newline) in the envelope of
// medtap's JSON Lines: "type":"device", "ts" the last time it was seen.
func (d *Device) AppendJSON(b []byte) []byte {
	b = append(b, `{"type":"device","ts":`...)
	b = flow.AppendTime(b, d.Last)
	b = flow.AppendString(b, "ip", d.Addr.String())
	if len(d.Addrs) > 1 {
		b = append(flow.AppendKey(b, "addresses"), '[')
		for i, a := range d.Addrs {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(a.AppendTo(append(b, '"')), '"')
		}
		b = append(b, ']')
	}
	if !d.MAC.IsZero() {
		b = append(d.MAC.AppendTo(append(flow.AppendKey(b, "mac"), '"')), '"')
	}
	if !d.Router.IsZero() {
		b = append(d.Router.AppendTo(append(flow.AppendKey(b, "router_mac"), '"')), '"')
	}
	b = append(b, `,"first_seen":`...)
	b = flow.AppendTime(b, d.First)
	b = append(b, `,"last_seen":`...)
	b = flow.AppendTime(b, d.Last)
	b = appendStrings(b, "protocols", d.Protocols)
	b = appendStrings(b, "services", d.Services)
	b = appendStrings(b, "names", d.Names)
	if h := d.names("host"); len(h) > 0 {
		b = flow.AppendString(b, "hostname", h[0])
	}
	if ae := d.names("ae"); len(ae) > 0 {
		b = appendStrings(b, "ae_titles", ae)
	}
	if len(d.Roles) > 0 {
		b = appendStrings(b, "roles", d.Roles)
	}
	if d.Vendor != "" {
		b = flow.AppendString(b, "vendor", d.Vendor)
	}
	if d.Product != "" {
		b = flow.AppendString(b, "product", d.Product)
	}
	if d.OS != "" {
		b = flow.AppendString(b, "os", d.OS)
	}
	if d.Class != "" {
		b = flow.AppendString(b, "class", d.Class)
	}
	if d.Criticality != "" {
		b = flow.AppendString(b, "criticality", d.Criticality)
	}
	if len(d.Evidence) > 0 {
		b = strconv.AppendFloat(flow.AppendKey(b, "confidence"), d.Confidence, 'f', 2, 64)
		b = appendStrings(b, "evidence", d.Evidence)
	}
	if len(d.Exposure) > 0 {
		b = appendExposures(b, d.Exposure)
	}
	b = flow.AppendInt(b, "peers", int64(d.Peers))
	b = flow.AppendInt(b, "flows_in", int64(d.FlowsIn))
	b = flow.AppendInt(b, "flows_out", int64(d.FlowsOut))
	b = flow.AppendInt(b, "bytes_sent", int64(d.BytesSent))
	b = flow.AppendInt(b, "bytes_received", int64(d.BytesReceived))
	return append(b, '}')
}

// names returns the device's names of one kind, without the kind.
func (d *Device) names(kind string) []string {
	var out []string
	for _, n := range d.Names {
		if v, ok := strings.CutPrefix(n, kind+":"); ok {
			out = append(out, v)
		}
	}
	return out
}

func appendStrings(b []byte, key string, vals []string) []byte {
	b = flow.AppendKey(b, key)
	b = append(b, '[')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = flow.AppendQuoted(b, v)
	}
	return append(b, ']')
}

// device is the inventory's record of one address, on a list ordered by
// the last time it was touched: a device by itself, or one address of the
// device of a MAC (own). What each address did is kept apart, so that a
// MAC found to be a router's splits back into its addresses exactly.
type device struct {
	addr        netip.Addr
	mac         flow.MAC   // the MAC it came with last (zero: none yet): most events repeat it
	own         *macDevice // the device of its own MAC it is an address of; nil: a device by itself
	router      flow.MAC   // for a device by itself: the router's MAC its packets came with
	counted     bool       // counts toward own's router test
	orphan      bool       // its address moved to another MAC: kept for own's history, not by address
	first, last time.Time
	roles       map[string]struct{}
	dicom       dicomBehaviour
	hl7From     map[addrKey]struct{}
	hl7Sent     uint8          // hl7SentADT, hl7SentORM: what it sent
	ev          devdb.Evidence // what the device database reads
	exposure    exposureFlags
	protocols   map[string]struct{}
	services    map[string]struct{}
	names       map[string]struct{}
	peers       map[addrKey]struct{}
	// The peer (once peers has one), protocol, service and name last
	// recorded: a device talks to the same peer the same way many times
	// over, and these spare the map lookups then.
	lastPeer    addrKey
	lastProto   string
	lastService []byte
	lastName    []byte
	flowsIn     int
	flowsOut    int
	sent, recvd uint64
	prev, next  *device
	lruSec      int64 // packet time, in seconds, of the device's last move in the list
}

// Inventory accumulates devices from flow events. It is not safe for
// concurrent use; like an Engine, it runs on the goroutine that feeds it.
type Inventory struct {
	cfg        Config
	devs       map[addrKey]*device     // by keyOf its address (orphans aside)
	macs       map[flow.MAC]*macDevice // the devices of MACs, and routers' MACs
	head, tail *device                 // least recently touched first
	nrec       int                     // records on the list
	grouped    int                     // records that are an address of a MAC's device
	ngroups    int                     // MAC devices with an address
	mark       uint32                  // Devices' pass, to report each MAC's device once
	counted    map[*macDevice]struct{} // for distinct
	stats      Stats
	buf        []byte              // for names an Identifier builds
	ev         *flow.Event         // the event being identified
	yield      func(flow.Identity) // addIdentity, made once
	matches    []devdb.Match       // reused by classify
	key        []byte              // a name or service being looked up
	dhcp       map[flow.MAC]*dhcp  // DHCP evidence by client MAC
	none       device              // what get returns for an address that is no device
	recent     [2]*device          // the devices get returned last, most recent first
}

// NewInventory returns an empty inventory with the limits of cfg.
func NewInventory(cfg Config) *Inventory {
	cfg.defaults()
	inv := &Inventory{cfg: cfg, devs: make(map[addrKey]*device), macs: map[flow.MAC]*macDevice{}, buf: make([]byte, 0, 256), dhcp: map[flow.MAC]*dhcp{}}
	inv.yield = inv.addIdentity
	return inv
}

// Event implements [flow.Sink].
func (inv *Inventory) Event(e *flow.Event) {
	inv.evidence(e)
	inv.exposureEvidence(e)
	if e.Protocol != flow.ProtocolFlow {
		if id, ok := e.Detail.(flow.Identifier); ok {
			inv.identify(e, id)
		}
		inv.behaviour(e)
		return
	}
	if e.Kind != flow.KindEnd {
		return
	}
	fi, ok := e.Detail.(*flow.FlowInfo)
	if !ok {
		return
	}
	c := inv.get(e.Src.Addr(), e.SrcMAC, fi.Start)
	s := inv.get(e.Dst.Addr(), e.DstMAC, fi.Start)
	c.seen(e.Time)
	s.seen(e.Time)
	c.flowsOut++
	s.flowsIn++
	c.sent += fi.Bytes[0]
	c.recvd += fi.Bytes[1]
	s.sent += fi.Bytes[1]
	s.recvd += fi.Bytes[0]
	inv.addPeer(c, s.addr)
	inv.addPeer(s, c.addr)
	if fi.Protocol != "" {
		inv.addProtocol(c, fi.Protocol)
		inv.addProtocol(s, fi.Protocol)
		// A server port counts as a service once the flow carried a
		// protocol medtap identified.
		k := append(inv.key[:0], fi.Protocol...)
		k = append(append(append(k, '/'), fi.Transport.String()...), ':')
		inv.key = strconv.AppendUint(k, uint64(e.Dst.Port()), 10)
		if !bytes.Equal(inv.key, s.lastService) {
			if inv.addKey(s.services, inv.key, inv.cfg.MaxServices, &inv.stats.ServicesDropped) {
				s.lastService = append(s.lastService[:0], inv.key...)
			}
		}
	}
}

func (inv *Inventory) identify(e *flow.Event, d flow.Identifier) {
	inv.ev = e
	d.Identify(e.Kind, inv.buf[:0], inv.yield)
	inv.ev = nil
}

// addIdentity records one identity of the event being identified.
func (inv *Inventory) addIdentity(id flow.Identity) {
	name := bytes.TrimSpace(id.Name)
	if len(name) == 0 {
		return
	}
	e := inv.ev
	addr, mac := e.Src.Addr(), e.SrcMAC
	if !id.Source {
		addr, mac = e.Dst.Addr(), e.DstMAC
	}
	if id.Addr.IsValid() && id.Addr != addr {
		addr, mac = id.Addr, flow.MAC{}
	}
	if !addr.IsValid() {
		return // a link-layer frame's without an address: the inventory is by address
	}
	dev := inv.get(addr, mac, e.Time)
	if id.Kind == "os" {
		dev.osEvidence(e.Protocol, name)
	}
	inv.key = append(append(append(inv.key[:0], id.Kind...), ':'), name...)
	if !bytes.Equal(inv.key, dev.lastName) && inv.addKey(dev.names, inv.key, inv.cfg.MaxNames, &inv.stats.NamesDropped) {
		dev.lastName = append(dev.lastName[:0], inv.key...)
	}
}

// behaviour records the roles an event shows and the DICOM operations
// that classes come from.
func (inv *Inventory) behaviour(e *flow.Event) {
	rs, rd := roleOf(e)
	if rs == "" && rd == "" {
		if d, ok := e.Detail.(*dicomflow.DIMSE); ok && e.Src.IsValid() {
			src, dst := inv.src(e), inv.dst(e)
			src.dicom.dimse(src, dst, d.Message)
		}
		return
	}
	if !e.Src.IsValid() {
		return
	}
	src, dst := inv.src(e), inv.dst(e)
	if rs != "" {
		inv.add(src.roles, rs, inv.cfg.MaxRoles, &inv.stats.RolesDropped)
	}
	if rd != "" {
		inv.add(dst.roles, rd, inv.cfg.MaxRoles, &inv.stats.RolesDropped)
	}
	if rd == "hl7-receiver" {
		k := keyOf(src.addr)
		if _, ok := dst.hl7From[k]; !ok && len(dst.hl7From) < inv.cfg.MaxPeers {
			dst.hl7From[k] = struct{}{}
		}
	}
}

// addKey is add for a key built in a buffer: it allocates only for a key
// the set does not hold yet (invalid UTF-8 written as '?').
func (inv *Inventory) addKey(set map[string]struct{}, k []byte, max int, dropped *uint64) bool {
	if _, ok := set[string(k)]; ok {
		return true
	}
	return inv.add(set, strings.ToValidUTF8(string(k), "?"), max, dropped)
}

// add puts v in set unless set has max members (then it counts a drop). It
// reports whether set holds v.
func (inv *Inventory) add(set map[string]struct{}, v string, max int, dropped *uint64) bool {
	if _, ok := set[v]; ok {
		return true
	}
	if len(set) >= max {
		*dropped++
		return false
	}
	set[v] = struct{}{}
	return true
}

func (inv *Inventory) addProtocol(d *device, p string) {
	if p != d.lastProto && inv.add(d.protocols, p, inv.cfg.MaxProtocols, &inv.stats.ProtocolsDropped) {
		d.lastProto = p
	}
}

func (inv *Inventory) addPeer(d *device, addr netip.Addr) {
	peer := keyOf(addr)
	if len(d.peers) > 0 && peer == d.lastPeer {
		return
	}
	if _, ok := d.peers[peer]; !ok {
		if len(d.peers) >= inv.cfg.MaxPeers {
			inv.stats.PeersDropped++
			return
		}
		d.peers[peer] = struct{}{}
	}
	d.lastPeer = peer
}

// src and dst return the records of an event's ends.
func (inv *Inventory) src(e *flow.Event) *device { return inv.get(e.Src.Addr(), e.SrcMAC, e.Time) }
func (inv *Inventory) dst(e *flow.Event) *device { return inv.get(e.Dst.Addr(), e.DstMAC, e.Time) }

// get returns the record of a, created if needed (evicting the least
// recently touched record at MaxDevices), with ts taken into its times and
// the MAC it came with (zero: none) into the device it belongs to.
func (inv *Inventory) get(a netip.Addr, mac flow.MAC, ts time.Time) *device {
	// An event names its two ends several times over: the last two
	// devices looked up are kept at hand.
	var d *device
	if c := inv.recent[0]; c != nil && c.addr == a {
		d = c
	} else if c := inv.recent[1]; c != nil && c.addr == a {
		d = c
		inv.recent[0], inv.recent[1] = c, inv.recent[0]
	} else if d = inv.devs[keyOf(a)]; d != nil {
		inv.recent[0], inv.recent[1] = d, inv.recent[0]
	}
	if d == nil && !isDevice(a) {
		// 0.0.0.0 of a DHCP client, a broadcast or multicast group: no
		// device. What is recorded goes to a scratch record, emptied.
		n := &inv.none
		if n.names == nil {
			*n = device{protocols: map[string]struct{}{}, services: map[string]struct{}{}, names: map[string]struct{}{},
				peers: map[addrKey]struct{}{}, roles: map[string]struct{}{}, hl7From: map[addrKey]struct{}{}}
		}
		clear(n.protocols)
		clear(n.services)
		clear(n.names)
		clear(n.peers)
		clear(n.roles)
		clear(n.hl7From)
		n.lastProto, n.lastService, n.lastName = "", n.lastService[:0], n.lastName[:0]
		n.ev = devdb.Evidence{}
		return n
	}
	if d == nil {
		if inv.nrec >= inv.cfg.MaxDevices {
			inv.evict()
		}
		d = &device{addr: a, first: ts, last: ts, protocols: map[string]struct{}{}, services: map[string]struct{}{},
			names: map[string]struct{}{}, peers: map[addrKey]struct{}{}, roles: map[string]struct{}{},
			hl7From: map[addrKey]struct{}{}}
		inv.devs[keyOf(a)] = d
		inv.nrec++
		inv.pushBack(d)
		inv.recent[0], inv.recent[1] = d, inv.recent[0]
	} else if sec := ts.Unix(); sec != d.lruSec {
		// Keep the list in order of activity to within a second of packet
		// time: moving a device on every event costs cache misses for
		// nothing.
		d.lruSec = sec
		inv.moveToBack(d)
	}
	if mac != d.mac && !mac.IsZero() {
		inv.link(d, mac)
	}
	if ts.Before(d.first) {
		d.first = ts
	}
	d.seen(ts)
	return d
}

func (d *device) seen(ts time.Time) {
	if ts.After(d.last) {
		d.last = ts
	}
}

func (inv *Inventory) evict() {
	if d := inv.head; d != nil {
		inv.remove(d)
		inv.stats.DevicesEvicted++
	}
}

// remove drops the record d.
func (inv *Inventory) remove(d *device) {
	inv.unlink(d)
	inv.nrec--
	inv.leave(d)
	inv.unindex(d)
}

// unindex takes d out of the index by address.
func (inv *Inventory) unindex(d *device) {
	k := keyOf(d.addr)
	if inv.devs[k] == d {
		delete(inv.devs, k)
	}
	for i, c := range inv.recent {
		if c == d {
			inv.recent[i] = nil
		}
	}
}

func (inv *Inventory) pushBack(d *device) {
	d.prev, d.next = inv.tail, nil
	if inv.tail != nil {
		inv.tail.next = d
	} else {
		inv.head = d
	}
	inv.tail = d
}

func (inv *Inventory) unlink(d *device) {
	if d.prev != nil {
		d.prev.next = d.next
	} else {
		inv.head = d.next
	}
	if d.next != nil {
		d.next.prev = d.prev
	} else {
		inv.tail = d.prev
	}
	d.prev, d.next = nil, nil
}

func (inv *Inventory) moveToBack(d *device) {
	if inv.tail != d {
		inv.unlink(d)
		inv.pushBack(d)
	}
}

// An addrKey is an address as the key of a map: 16 bytes hash faster
// than a netip.Addr. An IPv4 address and its IPv4-mapped IPv6 form are one
// key; zones are not kept.
type addrKey [16]byte

func keyOf(a netip.Addr) addrKey { return a.As16() }

// Len returns the number of devices held.
func (inv *Inventory) Len() int { return inv.nrec - inv.grouped + inv.ngroups }

// Stats returns the inventory's counters.
func (inv *Inventory) Stats() Stats {
	s := inv.stats
	s.Devices = uint64(inv.Len())
	return s
}

// Devices returns a snapshot of every device, sorted by address (then
// MAC).
func (inv *Inventory) Devices() []Device {
	out := make([]Device, 0, inv.Len())
	inv.mark++
	for d := inv.head; d != nil; d = d.next {
		g := d.own
		if g == nil {
			out = append(out, inv.device(d, nil))
			continue
		}
		if g.mark == inv.mark {
			continue
		}
		g.mark = inv.mark
		out = append(out, inv.device(inv.merged(g), g))
	}
	slices.SortFunc(out, compareDevices)
	return out
}

// compareDevices orders devices by address, then MAC (two devices have
// one address when it moved from one to the other).
func compareDevices(a, b Device) int {
	return cmp.Or(a.Addr.Compare(b.Addr), bytes.Compare(a.MAC[:], b.MAC[:]))
}

// device reports the record d: a device by itself, or (g set) the device
// of g's MAC with every address's record merged into d.
func (inv *Inventory) device(d *device, g *macDevice) Device {
	dev := Device{
		Addr: d.addr, Router: d.router, First: d.first, Last: d.last,
		Roles:     slices.Sorted(maps.Keys(d.roles)),
		Protocols: slices.Sorted(maps.Keys(d.protocols)),
		Services:  slices.Sorted(maps.Keys(d.services)),
		Names:     slices.Sorted(maps.Keys(d.names)),
		Peers:     inv.distinct(d.peers), FlowsIn: d.flowsIn, FlowsOut: d.flowsOut,
		BytesSent: d.sent, BytesReceived: d.recvd,
	}
	if g != nil {
		dev.MAC, dev.Router = g.mac, flow.MAC{}
		dev.Addr, dev.Addrs = g.addrs()
		if x := inv.dhcp[g.mac]; x != nil && x.host != "" && len(dev.Names) < inv.cfg.MaxNames {
			// The host name the client sent to DHCP, before it had an
			// address to be named by.
			if n := "host:" + x.host; !slices.Contains(dev.Names, n) {
				dev.Names = append(dev.Names, n)
				slices.Sort(dev.Names)
			}
		}
	}
	inv.classify(d, &dev)
	dev.Exposure = inv.exposures(d, &dev, d.ev.SoftwareVersions)
	return dev
}

// classify fills what the device database and behaviour say of d, whose
// MAC dev has.
func (inv *Inventory) classify(d *device, dev *Device) {
	ev := d.ev
	if !dev.MAC.IsZero() {
		ev.MAC, ev.HasMAC = dev.MAC, true
		if x := inv.dhcp[dev.MAC]; x != nil {
			x.fill(&ev)
		}
	}
	inv.matches = inv.cfg.DB.Match(&ev, inv.matches[:0])
	r := devdb.Summarize(inv.matches)
	dev.Vendor, dev.Product, dev.OS, dev.Confidence = r.Vendor, r.Product, r.OS, r.Confidence
	dev.Evidence = r.AppendRules(nil)
	class, rule := d.behaviourClass(inv.distinct(d.hl7From))
	switch {
	case r.Class != "" && r.Class != devdb.ClassUnknown:
		dev.Class = string(r.Class)
		if r.Modality != "" {
			dev.Class += ":" + r.Modality
		}
		dev.Criticality = r.Criticality.String()
	case class != "":
		dev.Class = class
		dev.Evidence = append(dev.Evidence, rule)
		c, _, _ := strings.Cut(class, ":")
		dev.Criticality = devdb.Class(c).Criticality().String()
	}
}

// isDevice reports whether a can be a device's own address: not the
// unspecified address, a broadcast or a multicast group.
func isDevice(a netip.Addr) bool {
	if !a.IsValid() || a.IsUnspecified() || a.IsMulticast() {
		return false
	}
	if a.Is4() {
		b := a.As4()
		return b != [4]byte{255, 255, 255, 255}
	}
	return true
}
