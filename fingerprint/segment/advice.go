package segment

import (
	"cmp"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Device is what the advice needs to know of one device.
type Device struct {
	Addr   netip.Addr
	MAC    [6]byte
	HasMAC bool
	Name   string // host name, AE title or other label; may be empty
	Class  Class  // "" is ClassUnknown
}

// Advice is the segmentation advice computed from the flows of a
// [Collector] and a list of devices. Every list is sorted.
type Advice struct {
	// Classes lists the devices given, by class.
	Classes []ClassMembers `json:"classes"`
	// Matrix has one cell per (client class, server class) pair seen.
	Matrix []Cell `json:"matrix"`
	// Rules is the allow-list for the expected flows: one rule per
	// (source, destination, transport, port), where a source or
	// destination is a whole class when every device of that class (two at
	// least) shares the rule.
	Rules []Rule `json:"rules"`
	// Unusual lists the flows no expectation covers, one entry per
	// (client, server, transport, port, protocol); they are not in Rules.
	Unusual []Crossing `json:"unusual"`
	Stats   Stats      `json:"stats"`
}

// ClassMembers lists the devices of one class.
type ClassMembers struct {
	Class   Class    `json:"class"`
	Members []Member `json:"members"`
}

// Member is one device of a class.
type Member struct {
	Addr netip.Addr `json:"addr"`
	MAC  string     `json:"mac,omitempty"` // "00:1b:..." when known
	Name string     `json:"name,omitempty"`
}

// Cell is one cell of the communication matrix: what devices of class
// Client opened to devices of class Server.
type Cell struct {
	Client   Class     `json:"client"`
	Server   Class     `json:"server"`
	Flows    uint64    `json:"flows"`
	Bytes    uint64    `json:"bytes"`
	Services []Service `json:"services"` // by transport, port, protocol
}

// Service is one service of a matrix cell.
type Service struct {
	Protocol  string    `json:"protocol,omitempty"` // "" when not identified
	Transport Transport `json:"transport"`
	Port      uint16    `json:"port"`
	Flows     uint64    `json:"flows"`
	Bytes     uint64    `json:"bytes"`
	Expected  bool      `json:"expected"` // false: its flows are in Advice.Unusual
}

// Endpoint is the source or destination of a rule or crossing: one device,
// or, with Addr zero, every device of Class.
type Endpoint struct {
	Class Class      `json:"class"`
	Addr  netip.Addr `json:"addr,omitzero"`
	Name  string     `json:"name,omitempty"`
}

// IsClass reports whether e names a whole class.
func (e Endpoint) IsClass() bool { return !e.Addr.IsValid() }

// Rule is one entry of the allow-list: Source may open flows to
// Destination on Transport and Port.
type Rule struct {
	Source      Endpoint  `json:"source"`
	Destination Endpoint  `json:"destination"`
	Transport   Transport `json:"transport"`
	Port        uint16    `json:"port"`
	// Protocols are the protocols identified on its flows, sorted; empty
	// when none was.
	Protocols []string `json:"protocols"`
	Flows     uint64   `json:"flows"`
	Bytes     uint64   `json:"bytes"`
}

// Crossing is an unusual flow between two devices.
type Crossing struct {
	Client    Endpoint  `json:"client"`
	Server    Endpoint  `json:"server"`
	Protocol  string    `json:"protocol,omitempty"`
	Transport Transport `json:"transport"`
	Port      uint16    `json:"port"`
	Flows     uint64    `json:"flows"`
	Bytes     uint64    `json:"bytes"`
	First     time.Time `json:"first,omitzero"`
	Last      time.Time `json:"last,omitzero"`
	Reason    Reason    `json:"reason"`
	Why       string    `json:"why"` // the reason in words
}

// Reason says why a crossing is unusual.
type Reason uint8

// The reasons, in the order they are tried.
const (
	// ReasonInternet: one side is outside the local ranges and no
	// expectation covers the pair (none covers a clinical class).
	ReasonInternet Reason = iota + 1
	// ReasonUnknownClass: one side's class is unknown.
	ReasonUnknownClass
	// ReasonUnexpectedService: the classes do talk, but not on this
	// protocol or port.
	ReasonUnexpectedService
	// ReasonUnexpectedPair: the client's class never opens flows to the
	// server's.
	ReasonUnexpectedPair
)

var reasonNames = [...]string{
	ReasonInternet:          "internet",
	ReasonUnknownClass:      "unknown-class",
	ReasonUnexpectedService: "unexpected-service",
	ReasonUnexpectedPair:    "unexpected-pair",
}

// String returns the reason's name ("internet", "unexpected-pair"), or
// "Reason(n)".
func (r Reason) String() string {
	if int(r) < len(reasonNames) && reasonNames[r] != "" {
		return reasonNames[r]
	}
	return "Reason(" + strconv.Itoa(int(r)) + ")"
}

// MarshalText returns the String form.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Advice computes the segmentation advice from the flows held and devices.
// A device's class comes from devices (the first entry of an address
// counts); an address not listed there, or listed as unknown, is
// ClassMulticast when it is a multicast or broadcast address, ClassInternet
// when it is outside the local ranges, ClassUnknown otherwise. The
// Collector keeps its flows; Advice may be called again at any time.
func (c *Collector) Advice(devices []Device) *Advice {
	a := &Advice{Stats: c.Stats(), Matrix: []Cell{}, Rules: []Rule{}, Unusual: []Crossing{}}
	ctx := newAdviceContext(c, devices)
	a.Classes = ctx.classMembers()

	cells := map[[2]Class]*Cell{}
	cellSvcs := map[cellService]*Service{}
	rules := map[ruleKey]*Rule{}
	for i := range c.entries {
		e := &c.entries[i]
		k := e.key
		src, dst := ctx.endpoint(k.clientAddr()), ctx.endpoint(k.serverAddr())
		svc := service{protocol: c.protoNames[k.proto], transport: k.transport, port: k.port}
		ok, pair := ctx.m.expected(src.Class, dst.Class, svc)

		pk := [2]Class{src.Class, dst.Class}
		cell := cells[pk]
		if cell == nil {
			cell = &Cell{Client: src.Class, Server: dst.Class}
			cells[pk] = cell
		}
		cell.Flows = addSat(cell.Flows, e.flows)
		cell.Bytes = addSat(cell.Bytes, e.bytes)
		sk := cellService{pk, svc}
		s := cellSvcs[sk]
		if s == nil {
			s = &Service{Protocol: svc.protocol, Transport: svc.transport, Port: svc.port, Expected: ok}
			cellSvcs[sk] = s
		}
		s.Flows = addSat(s.Flows, e.flows)
		s.Bytes = addSat(s.Bytes, e.bytes)

		if !ok {
			a.Unusual = append(a.Unusual, ctx.crossing(e, src, dst, svc, pair))
			continue
		}
		addRule(rules, ruleKey{src.key(), dst.key(), k.transport, k.port}, svc.protocol, e.flows, e.bytes)
	}
	for sk, s := range cellSvcs {
		cell := cells[sk.pair]
		cell.Services = append(cell.Services, *s)
	}
	for _, cell := range cells {
		slices.SortFunc(cell.Services, compareService)
		a.Matrix = append(a.Matrix, *cell)
	}
	slices.SortFunc(a.Matrix, func(x, y Cell) int {
		return cmp.Or(compareClass(x.Client, y.Client), compareClass(x.Server, y.Server))
	})

	rules = ctx.group(rules, false)
	rules = ctx.group(rules, true)
	for rk, r := range rules {
		r.Source, r.Destination = ctx.endpointOf(rk.src), ctx.endpointOf(rk.dst)
		if r.Protocols == nil {
			r.Protocols = []string{}
		}
		slices.Sort(r.Protocols)
		a.Rules = append(a.Rules, *r)
	}
	slices.SortFunc(a.Rules, compareRule)
	slices.SortFunc(a.Unusual, compareCrossing)
	return a
}

// endKey is a comparable endpoint: a device (Addr valid) or a class.
type endKey struct {
	class Class
	addr  netip.Addr
}

func (e Endpoint) key() endKey { return endKey{e.Class, e.Addr} }

type ruleKey struct {
	src, dst  endKey
	transport Transport
	port      uint16
}

type cellService struct {
	pair [2]Class
	svc  service
}

func addRule(rules map[ruleKey]*Rule, k ruleKey, proto string, flows, bytes uint64) {
	r := rules[k]
	if r == nil {
		r = &Rule{Transport: k.transport, Port: k.port}
		rules[k] = r
	}
	if proto != "" && !slices.Contains(r.Protocols, proto) {
		r.Protocols = append(r.Protocols, proto)
	}
	r.Flows = addSat(r.Flows, flows)
	r.Bytes = addSat(r.Bytes, bytes)
}

// adviceContext is what computing one Advice needs.
type adviceContext struct {
	devs    map[netip.Addr]*Device
	members map[Class][]*Device
	local   []netip.Prefix
	m       *matcher
}

func newAdviceContext(c *Collector, devices []Device) *adviceContext {
	ctx := &adviceContext{devs: make(map[netip.Addr]*Device, len(devices)), members: map[Class][]*Device{},
		local: c.Local, m: newMatcher(c.Expected)}
	for i := range devices {
		d := &devices[i]
		a := normAddr(d.Addr)
		if !a.IsValid() {
			continue
		}
		if _, dup := ctx.devs[a]; dup {
			continue
		}
		ctx.devs[a] = d
		cl := d.Class
		if cl == "" {
			cl = ClassUnknown
		}
		ctx.members[cl] = append(ctx.members[cl], d)
	}
	return ctx
}

func (ctx *adviceContext) classMembers() []ClassMembers {
	out := make([]ClassMembers, 0, len(ctx.members))
	for cl, ds := range ctx.members {
		cm := ClassMembers{Class: cl, Members: make([]Member, len(ds))}
		for i, d := range ds {
			m := Member{Addr: normAddr(d.Addr), Name: d.Name}
			if d.HasMAC {
				m.MAC = net.HardwareAddr(d.MAC[:]).String()
			}
			cm.Members[i] = m
		}
		slices.SortFunc(cm.Members, func(x, y Member) int { return x.Addr.Compare(y.Addr) })
		out = append(out, cm)
	}
	slices.SortFunc(out, func(x, y ClassMembers) int { return compareClass(x.Class, y.Class) })
	return out
}

// classOf returns the class of address a (normalised).
func (ctx *adviceContext) classOf(a netip.Addr) Class {
	if d := ctx.devs[a]; d != nil && d.Class != "" && d.Class != ClassUnknown {
		return d.Class
	}
	switch {
	case isGroupAddr(a):
		return ClassMulticast
	case !isLocal(a, ctx.local):
		return ClassInternet
	}
	return ClassUnknown
}

// endpoint returns the device endpoint of address a.
func (ctx *adviceContext) endpoint(a netip.Addr) Endpoint {
	e := Endpoint{Class: ctx.classOf(a), Addr: a}
	if d := ctx.devs[a]; d != nil {
		e.Name = d.Name
	}
	return e
}

func (ctx *adviceContext) endpointOf(k endKey) Endpoint {
	if k.addr.IsValid() {
		return ctx.endpoint(k.addr)
	}
	return Endpoint{Class: k.class}
}

// group replaces the rules that reach every device of a class from one
// source (or, with sources, that every device of a class opens to one
// destination) by one rule naming the class.
func (ctx *adviceContext) group(rules map[ruleKey]*Rule, sources bool) map[ruleKey]*Rule {
	side := func(k *ruleKey) *endKey {
		if sources {
			return &k.src
		}
		return &k.dst
	}
	groups := map[ruleKey][]ruleKey{} // the rules with side set to its class
	for k := range rules {
		s := side(&k)
		if !s.addr.IsValid() || !groupable(s.class) || len(ctx.members[s.class]) < 2 {
			continue
		}
		g := k
		*side(&g) = endKey{class: s.class}
		groups[g] = append(groups[g], k)
	}
	for g, ks := range groups {
		if len(ks) != len(ctx.members[side(&g).class]) {
			continue // distinct devices of the class, one rule each: some are missing
		}
		r := &Rule{Transport: g.transport, Port: g.port}
		for _, k := range ks {
			old := rules[k]
			for _, p := range old.Protocols {
				if !slices.Contains(r.Protocols, p) {
					r.Protocols = append(r.Protocols, p)
				}
			}
			r.Flows = addSat(r.Flows, old.Flows)
			r.Bytes = addSat(r.Bytes, old.Bytes)
			delete(rules, k)
		}
		rules[g] = r
	}
	return rules
}

// crossing describes an unusual flow.
func (ctx *adviceContext) crossing(e *entry, src, dst Endpoint, svc service, pair bool) Crossing {
	x := Crossing{Client: src, Server: dst, Protocol: svc.protocol, Transport: svc.transport, Port: svc.port,
		Flows: e.flows, Bytes: e.bytes, First: timeOf(e.first), Last: timeOf(e.last)}
	pairText := string(src.Class) + " -> " + string(dst.Class)
	switch {
	case !isLocal(dst.Addr, ctx.local) && !isGroupAddr(dst.Addr):
		x.Reason = ReasonInternet
		x.Why = string(src.Class) + " talks to " + dst.Addr.String() + ", outside the local ranges (the internet)"
	case !isLocal(src.Addr, ctx.local):
		x.Reason = ReasonInternet
		x.Why = src.Addr.String() + ", outside the local ranges (the internet), reaches " + string(dst.Class)
	case src.Class == ClassUnknown || dst.Class == ClassUnknown:
		x.Reason = ReasonUnknownClass
		u := src.Addr
		if dst.Class == ClassUnknown {
			u = dst.Addr
		}
		x.Why = pairText + ": the class of " + u.String() + " is unknown: classify it, then review"
	case pair:
		x.Reason = ReasonUnexpectedService
		x.Why = pairText + " is expected on " + strings.Join(ctx.m.services(src.Class, dst.Class), ", ") +
			", not on " + svc.String()
	default:
		x.Reason = ReasonUnexpectedPair
		x.Why = pairText + ": " + string(src.Class) + " does not normally open flows to " + string(dst.Class)
	}
	return x
}

func compareService(x, y Service) int {
	return cmp.Or(cmp.Compare(x.Transport, y.Transport), cmp.Compare(x.Port, y.Port), strings.Compare(x.Protocol, y.Protocol))
}

// compareEndpoint orders by class, then a whole class before its devices,
// then by address.
func compareEndpoint(x, y Endpoint) int {
	return cmp.Or(compareClass(x.Class, y.Class), x.Addr.Compare(y.Addr))
}

func compareRule(x, y Rule) int {
	return cmp.Or(compareEndpoint(x.Source, y.Source), compareEndpoint(x.Destination, y.Destination),
		cmp.Compare(x.Transport, y.Transport), cmp.Compare(x.Port, y.Port))
}

func compareCrossing(x, y Crossing) int {
	return cmp.Or(x.Client.Addr.Compare(y.Client.Addr), x.Server.Addr.Compare(y.Server.Addr),
		cmp.Compare(x.Transport, y.Transport), cmp.Compare(x.Port, y.Port), strings.Compare(x.Protocol, y.Protocol))
}
