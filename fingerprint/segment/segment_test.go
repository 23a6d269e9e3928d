package segment

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestHospitalUnusual(t *testing.T) {
	a := hospital().Advice(hospitalDevices)
	checkAdvice(t, hospital(), a)
	tests := []struct {
		client, server string
		port           uint16
		reason         Reason
		why            string // a part of the text
	}{
		{"10.10.1.11", "8.8.8.8", 53, ReasonInternet, "modality talks to 8.8.8.8, outside the local ranges"},
		{"10.10.1.12", "10.10.2.10", 80, ReasonUnexpectedService, "modality -> pacs is expected on dicom, not on http tcp/80"},
		{"10.10.6.11", "10.10.2.20", 445, ReasonUnexpectedPair, "pump does not normally open flows to workstation"},
		{"10.10.7.7", "10.10.2.10", 104, ReasonUnknownClass, "the class of 10.10.7.7 is unknown"},
		{"198.51.100.7", "10.10.1.13", 22, ReasonInternet, "198.51.100.7, outside the local ranges (the internet), reaches modality"},
	}
	if len(a.Unusual) != len(tests) {
		t.Errorf("%d unusual crossings, want %d:", len(a.Unusual), len(tests))
		for _, x := range a.Unusual {
			t.Logf("  %+v", x)
		}
	}
	for _, tt := range tests {
		t.Run(tt.client+"->"+tt.server, func(t *testing.T) {
			i := slices.IndexFunc(a.Unusual, func(x Crossing) bool {
				return x.Client.Addr == ip(tt.client) && x.Server.Addr == ip(tt.server) && x.Port == tt.port
			})
			if i < 0 {
				t.Fatal("not listed as unusual")
			}
			x := a.Unusual[i]
			if x.Reason != tt.reason || !strings.Contains(x.Why, tt.why) {
				t.Errorf("reason %v %q, want %v %q", x.Reason, x.Why, tt.reason, tt.why)
			}
			if x.First.IsZero() || x.Last.Before(x.First) {
				t.Errorf("times %v .. %v", x.First, x.Last)
			}
		})
	}
}

func TestHospitalRules(t *testing.T) {
	a := hospital().Advice(hospitalDevices)
	var got []string
	for _, r := range a.Rules {
		got = append(got, ruleString(r))
	}
	want := []string{
		// all three modalities store: the class; two query the worklist: each
		"modality -> 10.10.2.10 tcp/104 dicom",
		"10.10.1.11 -> 10.10.2.30 tcp/104 dicom",
		"10.10.1.11 -> 10.10.9.10 udp/53",
		"10.10.1.12 -> 10.10.2.30 tcp/104 dicom",
		"10.10.2.10 -> 10.10.1.11 tcp/104 dicom",
		"10.10.2.10 -> 10.10.2.20 tcp/11112 dicom",
		"10.10.2.20 -> 10.10.2.10 tcp/104 dicom",
		"10.10.2.30 -> 10.10.3.10 tcp/2575 hl7",
		"monitor -> 255.255.255.255 udp/24005 intellivue",
		"10.10.5.10 -> monitor udp/24105 intellivue",
		"10.10.5.10 -> 10.10.3.20 tcp/2575 hl7",
		"lab_analyser -> 10.10.4.10 tcp/4001 astm",
		"10.10.4.10 -> 10.10.3.10 tcp/2576 hl7",
		"10.10.3.10 -> 10.10.4.10 tcp/2575 hl7",
		"10.10.3.10 -> 10.10.3.20 tcp/2575 hl7",
		"10.10.3.20 -> 10.10.3.10 tcp/6661 hl7",
		"10.10.3.20 -> 10.10.9.10 udp/53",
		"10.10.8.50 -> 10.10.3.20 tcp/443 tls",
		"10.10.8.50 -> 203.0.113.80 tcp/443 tls",
		// DNS6 and the unlisted host both run on IPv6: a device of
		// unknown class may use the DNS (AnyClass row)
		"fd00:10:10::20 -> fd00:10:10::9 udp/53",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func ruleString(r Rule) string {
	end := func(e Endpoint) string {
		if e.IsClass() {
			return string(e.Class)
		}
		return e.Addr.String()
	}
	return strings.TrimSpace(fmt.Sprintf("%s -> %s %s %s", end(r.Source), end(r.Destination),
		portText(r.Transport, r.Port), strings.Join(r.Protocols, ",")))
}

func TestHospitalMatrix(t *testing.T) {
	a := hospital().Advice(hospitalDevices)
	cell := func(c, s Class) *Cell {
		for i := range a.Matrix {
			if a.Matrix[i].Client == c && a.Matrix[i].Server == s {
				return &a.Matrix[i]
			}
		}
		return nil
	}
	m := cell(ClassModality, ClassPACS)
	if m == nil || m.Flows != 26 || len(m.Services) != 2 {
		t.Fatalf("modality -> pacs: %+v", m)
	}
	if s := m.Services[0]; s.Protocol != "http" || s.Port != 80 || s.Expected || s.Flows != 1 {
		t.Errorf("modality -> pacs http: %+v", s)
	}
	if s := m.Services[1]; s.Protocol != "dicom" || s.Port != 104 || !s.Expected || s.Flows != 25 || s.Bytes != 25*1500 {
		t.Errorf("modality -> pacs dicom: %+v", s)
	}
	if c := cell(ClassModality, ClassInternet); c == nil || c.Services[0].Expected {
		t.Errorf("modality -> internet: %+v", c)
	}
	if c := cell(ClassMonitor, ClassMulticast); c == nil || c.Flows != 27 {
		t.Errorf("monitor -> multicast: %+v", c)
	}
	for i := 1; i < len(a.Matrix); i++ {
		x, y := a.Matrix[i-1], a.Matrix[i]
		if compareClass(x.Client, y.Client) > 0 || x.Client == y.Client && compareClass(x.Server, y.Server) >= 0 {
			t.Errorf("matrix not sorted at %d: %s->%s, %s->%s", i, x.Client, x.Server, y.Client, y.Server)
		}
	}
}

// TestExpectations judges single flows between two listed devices.
func TestExpectations(t *testing.T) {
	tests := []struct {
		client, server Class
		proto          string
		t              Transport
		port           uint16
		want           Reason // 0: expected
	}{
		{ClassModality, ClassPACS, "dicom", TCP, 104, 0},
		{ClassModality, ClassPACS, "dicom", TCP, 4242, 0}, // any port
		{ClassModality, ClassPACS, "", TCP, 104, ReasonUnexpectedService},
		{ClassPACS, ClassWorkstation, "dicom", TCP, 11112, 0},
		{ClassWorkstation, ClassPACS, "http", TCP, 8080, 0},
		{ClassInterfaceEngine, ClassEHR, "hl7", TCP, 2575, 0},
		{ClassEHR, ClassInterfaceEngine, "hl7", TCP, 2575, 0},
		{ClassLIS, ClassInterfaceEngine, "hl7", TCP, 2575, 0},
		{ClassLabAnalyser, ClassLIS, "astm", TCP, 4001, 0},
		{ClassLabAnalyser, ClassLabMiddleware, "poct1a", TCP, 5000, 0},
		{ClassLabAnalyser, ClassLIS, "http", TCP, 80, ReasonUnexpectedService},
		{ClassMonitor, ClassMonitorGateway, "", UDP, 7000, 0},
		{ClassPump, ClassPumpGateway, "tls", TCP, 443, 0},
		{ClassPump, ClassWorkstation, "smb", TCP, 445, ReasonUnexpectedPair},
		{ClassModality, ClassEHR, "hl7", TCP, 2575, ReasonUnexpectedPair},
		{ClassEHR, ClassModality, "dicom", TCP, 104, ReasonUnexpectedPair},
		{ClassITWorkstation, ClassITWorkstation, "smb", TCP, 445, ReasonUnexpectedPair},
		{ClassModality, ClassITServer, "", UDP, 53, 0},
		{ClassModality, ClassITServer, "dhcp", UDP, 67, 0},
		{ClassModality, ClassITServer, "smb", TCP, 445, ReasonUnexpectedService},
		{ClassITServer, ClassPump, "snmp", UDP, 161, 0},
		{ClassITServer, ClassPump, "", UDP, 161, 0},
		{ClassITServer, ClassPump, "", TCP, 161, ReasonUnexpectedService},
		{ClassPump, ClassITServer, "", UDP, 162, 0},
		{ClassUnknown, ClassITServer, "", UDP, 53, 0},
		{ClassUnknown, ClassPACS, "dicom", TCP, 104, ReasonUnknownClass},
		{ClassPACS, ClassUnknown, "dicom", TCP, 104, ReasonUnknownClass},
		{"cardiology_cvis", ClassPACS, "dicom", TCP, 104, ReasonUnexpectedPair}, // a class of the caller's
		{"", ClassPACS, "dicom", TCP, 104, ReasonUnknownClass},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s->%s/%s/%s/%d", tt.client, tt.server, tt.proto, tt.t, tt.port)
		t.Run(name, func(t *testing.T) {
			devs := []Device{{Addr: ip("10.0.0.1"), Class: tt.client}, {Addr: ip("10.0.0.2"), Class: tt.server}}
			var c Collector
			c.Add(&Flow{Client: ip("10.0.0.1"), Server: ip("10.0.0.2"), Transport: tt.t, Port: tt.port, Protocol: tt.proto})
			a := c.Advice(devs)
			checkAdvice(t, &c, a)
			var got Reason
			if len(a.Unusual) == 1 {
				got = a.Unusual[0].Reason
			}
			if got != tt.want || len(a.Unusual)+len(a.Rules) != 1 {
				t.Errorf("reason %v (%d rules, %d unusual), want %v", got, len(a.Rules), len(a.Unusual), tt.want)
			}
		})
	}
}

func TestInternetAndMulticast(t *testing.T) {
	tests := []struct {
		addr  string
		local []netip.Prefix
		want  Class
	}{
		{"8.8.8.8", nil, ClassInternet},
		{"2001:4860:4860::8888", nil, ClassInternet},
		{"10.1.2.3", nil, ClassUnknown},
		{"172.16.0.1", nil, ClassUnknown},
		{"192.168.1.1", nil, ClassUnknown},
		{"100.64.1.1", nil, ClassUnknown},
		{"169.254.1.1", nil, ClassUnknown},
		{"fd12::1", nil, ClassUnknown},
		{"fe80::1", nil, ClassUnknown},
		{"224.0.0.251", nil, ClassMulticast},
		{"ff02::fb", nil, ClassMulticast},
		{"255.255.255.255", nil, ClassMulticast},
		{"130.1.2.3", []netip.Prefix{netip.MustParsePrefix("130.1.0.0/16")}, ClassUnknown},
		{"::ffff:8.8.8.8", nil, ClassInternet},
	}
	for _, tt := range tests {
		ctx := newAdviceContext(&Collector{Local: tt.local}, nil)
		if got := ctx.classOf(normAddr(ip(tt.addr))); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.addr, got, tt.want)
		}
	}
	// A device listed with a class keeps it, even at a public address;
	// listed as unknown, the address decides.
	ctx := newAdviceContext(&Collector{}, []Device{{Addr: ip("130.1.2.3"), Class: ClassPACS}, {Addr: ip("8.8.8.8")}})
	if got := ctx.classOf(ip("130.1.2.3")); got != ClassPACS {
		t.Errorf("listed public PACS: %s", got)
	}
	if got := ctx.classOf(ip("8.8.8.8")); got != ClassInternet {
		t.Errorf("listed unknown public address: %s", got)
	}
}

// TestGrouping checks when rules name a whole class.
func TestGrouping(t *testing.T) {
	devs := []Device{
		{Addr: ip("10.0.1.1"), Class: ClassModality}, {Addr: ip("10.0.1.2"), Class: ClassModality},
		{Addr: ip("10.0.2.1"), Class: ClassPACS}, {Addr: ip("10.0.2.2"), Class: ClassPACS},
		{Addr: ip("10.0.3.1"), Class: ClassWorkstation},
		{Addr: ip("10.0.4.1"), Class: ClassITWorkstation}, {Addr: ip("10.0.4.2"), Class: ClassITServer},
		{Addr: ip("10.0.9.1")}, {Addr: ip("10.0.9.2")}, // unknown: never grouped
	}
	type f struct {
		c, s  string
		port  uint16
		proto string
	}
	tests := []struct {
		name  string
		flows []f
		want  []string
	}{
		{"both sides whole", []f{
			{"10.0.1.1", "10.0.2.1", 104, "dicom"}, {"10.0.1.1", "10.0.2.2", 104, "dicom"},
			{"10.0.1.2", "10.0.2.1", 104, "dicom"}, {"10.0.1.2", "10.0.2.2", 104, "dicom"},
		}, []string{"modality -> pacs tcp/104 dicom"}},
		{"one modality misses a PACS: destinations group first", []f{
			{"10.0.1.1", "10.0.2.1", 104, "dicom"}, {"10.0.1.1", "10.0.2.2", 104, "dicom"},
			{"10.0.1.2", "10.0.2.1", 104, "dicom"},
		}, []string{"10.0.1.1 -> pacs tcp/104 dicom", "10.0.1.2 -> 10.0.2.1 tcp/104 dicom"}},
		{"different ports do not group", []f{
			{"10.0.1.1", "10.0.2.1", 104, "dicom"}, {"10.0.1.2", "10.0.2.1", 11112, "dicom"},
		}, []string{"10.0.1.1 -> 10.0.2.1 tcp/104 dicom", "10.0.1.2 -> 10.0.2.1 tcp/11112 dicom"}},
		{"a class of one is its device", []f{
			{"10.0.2.1", "10.0.3.1", 11112, "dicom"}, {"10.0.2.2", "10.0.3.1", 11112, "dicom"},
		}, []string{"pacs -> 10.0.3.1 tcp/11112 dicom"}},
		{"protocols merge on one port", []f{
			{"10.0.4.1", "10.0.4.2", 445, "smb"}, {"10.0.4.1", "10.0.4.2", 445, ""}, {"10.0.4.1", "10.0.4.2", 445, "ntlm"},
		}, []string{"10.0.4.1 -> 10.0.4.2 tcp/445 ntlm,smb"}},
		{"unknown devices stay devices", []f{
			{"10.0.9.1", "10.0.2.1", 53, ""}, {"10.0.9.2", "10.0.2.1", 53, ""},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Collector
			for _, x := range tt.flows {
				c.Add(&Flow{Client: ip(x.c), Server: ip(x.s), Transport: TCP, Port: x.port, Protocol: x.proto})
			}
			a := c.Advice(devs)
			checkAdvice(t, &c, a)
			var got []string
			for _, r := range a.Rules {
				got = append(got, ruleString(r))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("rules %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCustomExpectations(t *testing.T) {
	c := hospital()
	c.Expected = append(DefaultExpectations(), Expectation{Client: ClassPump, Server: ClassWorkstation,
		Services: []string{"tcp/445"}, Note: "a site's own exception"})
	a := c.Advice(hospitalDevices)
	checkAdvice(t, c, a)
	for _, x := range a.Unusual {
		if x.Client.Class == ClassPump {
			t.Errorf("pump still unusual: %+v", x)
		}
	}
	// The copy is a copy.
	d := DefaultExpectations()
	d[0].Services[0] = "changed"
	if defaultExpectations[0].Services[0] != "dicom" {
		t.Error("DefaultExpectations shares its rows")
	}
}

func TestServiceSpecs(t *testing.T) {
	tests := []struct {
		spec string
		svc  service
		want bool
	}{
		{"*", service{}, true},
		{"dicom", service{"dicom", TCP, 104}, true},
		{"dicom", service{"", TCP, 104}, false},
		{"tcp/104", service{"", TCP, 104}, true},
		{"tcp/104", service{"dicom", TCP, 104}, true},
		{"tcp/104", service{"", UDP, 104}, false},
		{"udp/53", service{"", UDP, 53}, true},
		{"tcp/abc", service{"", TCP, 0}, false},
		{"tcp/65536", service{"", TCP, 0}, false},
		{"sctp/5", service{"", 132, 5}, false},
		{"", service{}, false},
		{"", service{"", 0, 0}, false},
	}
	for _, tt := range tests {
		sp := parseSpec(tt.spec)
		if got := sp.matches(tt.svc); got != tt.want {
			t.Errorf("%q matches %+v: %v, want %v", tt.spec, tt.svc, got, tt.want)
		}
	}
}

func TestAddAggregates(t *testing.T) {
	var c Collector
	f := Flow{Client: ip("::ffff:10.0.0.1"), Server: ip("10.0.0.2"), Transport: TCP, Port: 104, Protocol: "dicom",
		Bytes: 100, First: t0.Add(time.Hour), Last: t0.Add(2 * time.Hour)}
	c.Add(&f)
	f.Client = ip("10.0.0.1")
	f.First, f.Last = t0, time.Time{}
	f.Count = 3
	c.Add(&f)
	f.Server = ip("fe80::1%eth0")
	c.Add(&f) // a zone is dropped
	c.Add(&Flow{Client: ip("fe80::1"), Server: ip("10.0.0.2")})
	c.Add(&Flow{Server: ip("10.0.0.2")}) // invalid client
	s := c.Stats()
	if s.Tuples != 3 || s.Flows != 8 || s.Invalid != 1 {
		t.Errorf("stats %+v", s)
	}
	e := c.lookup(ip("10.0.0.1"), ip("10.0.0.2"), TCP, 104, 1)
	if e == nil {
		t.Fatal("tuple not held")
	}
	if e.flows != 4 || e.bytes != 200 || timeOf(e.first) != t0 || timeOf(e.last) != t0.Add(2*time.Hour) {
		t.Errorf("aggregate %+v", e)
	}
	if c.lookup(ip("10.0.0.1"), ip("fe80::1"), TCP, 104, 1) == nil {
		t.Error("zone not dropped")
	}
	c.Reset()
	if c.Len() != 0 || c.Stats() != (Stats{}) {
		t.Errorf("after Reset: %d, %+v", c.Len(), c.Stats())
	}
	var zero Collector
	if j := string(zero.Advice(nil).AppendJSON(nil)); j != `{"classes":[],"matrix":[],"rules":[],"unusual":[],"stats":{"flows":0,"tuples":0,"evicted":0,"evicted_flows":0,"protocols_dropped":0,"invalid":0}}` {
		t.Errorf("empty advice: %s", j)
	}
}

func TestProtocolNames(t *testing.T) {
	c := Collector{MaxProtocols: 2}
	add := func(p string) {
		c.Add(&Flow{Client: ip("10.0.0.1"), Server: ip("10.0.0.2"), Transport: TCP, Port: 1, Protocol: p})
	}
	add("dicom")
	add("hl7")
	add("astm")                                 // over MaxProtocols
	add(strings.Repeat("x", MaxProtocolName+1)) // too long
	add("dicom")
	if s := c.Stats(); s.ProtocolsDropped != 2 || s.Tuples != 3 {
		t.Errorf("stats %+v", s)
	}
	if len(c.protoNames) != 3 {
		t.Errorf("names %q", c.protoNames)
	}
}

func TestSaturation(t *testing.T) {
	var c Collector
	f := Flow{Client: ip("10.0.0.1"), Server: ip("10.0.0.2"), Count: 1 << 63, Bytes: 1 << 63}
	c.Add(&f)
	c.Add(&f)
	c.Add(&f)
	if s := c.Stats(); s.Flows != 1<<64-1 {
		t.Errorf("flows %d", s.Flows)
	}
	a := c.Advice(nil)
	if len(a.Unusual) != 1 || a.Unusual[0].Flows != 1<<64-1 || a.Unusual[0].Bytes != 1<<64-1 {
		t.Errorf("%+v", a.Unusual)
	}
}

func TestReasonString(t *testing.T) {
	for r, want := range map[Reason]string{ReasonInternet: "internet", ReasonUnexpectedPair: "unexpected-pair",
		0: "Reason(0)", 9: "Reason(9)"} {
		if got := r.String(); got != want {
			t.Errorf("%d: %q, want %q", r, got, want)
		}
	}
	for tr, want := range map[Transport]string{TCP: "tcp", UDP: "udp", 132: "ip132"} {
		if got := tr.String(); got != want {
			t.Errorf("%d: %q, want %q", tr, got, want)
		}
	}
}

// lookup returns the entry of a tuple, or nil.
func (c *Collector) lookup(client, server netip.Addr, t Transport, port, proto uint16) *entry {
	k := makeKey(client, server, t, port, proto)
	if _, i := c.index.find(c.entries, &k, c.index.hash(&k)); i >= 0 {
		return &c.entries[i]
	}
	return nil
}

// checkAdvice checks what must hold of every advice: each tuple c holds is
// allowed by the rules or listed as unusual (an unusual tuple may share a
// port with an allowed one: a firewall cannot tell them apart), and every
// crossing is a tuple; lists are sorted without duplicates; the matrix
// counts every flow; the JSON is valid.
func checkAdvice(t testing.TB, c *Collector, a *Advice) {
	t.Helper()
	var flows uint64
	listed := 0
	for i := range c.entries {
		e := &c.entries[i]
		k := e.key
		client, server := k.clientAddr(), k.serverAddr()
		flows = addSat(flows, e.flows)
		covered := slices.ContainsFunc(a.Rules, func(r Rule) bool {
			return covers(a, r.Source, client) && covers(a, r.Destination, server) && r.Transport == k.transport && r.Port == k.port
		})
		unusual := slices.ContainsFunc(a.Unusual, func(x Crossing) bool {
			return x.Client.Addr == client && x.Server.Addr == server && x.Transport == k.transport &&
				x.Port == k.port && x.Protocol == c.protoNames[k.proto]
		})
		if unusual {
			listed++
		}
		if !covered && !unusual {
			t.Errorf("tuple %v -> %v %s/%d %q: in rules %v, unusual %v", client, server, k.transport, k.port,
				c.protoNames[k.proto], covered, unusual)
		}
	}
	if listed != len(a.Unusual) {
		t.Errorf("%d crossings, %d tuples listed", len(a.Unusual), listed)
	}
	var cells uint64
	for _, m := range a.Matrix {
		var sum uint64
		for _, s := range m.Services {
			sum = addSat(sum, s.Flows)
		}
		if sum != m.Flows {
			t.Errorf("cell %s -> %s: %d flows, services sum to %d", m.Client, m.Server, m.Flows, sum)
		}
		cells = addSat(cells, m.Flows)
	}
	if cells != flows {
		t.Errorf("matrix counts %d flows, tuples %d", cells, flows)
	}
	for i := 1; i < len(a.Rules); i++ {
		if compareRule(a.Rules[i-1], a.Rules[i]) >= 0 {
			t.Errorf("rules %d, %d out of order or equal: %v, %v", i-1, i, a.Rules[i-1], a.Rules[i])
		}
	}
	for i := 1; i < len(a.Unusual); i++ {
		if compareCrossing(a.Unusual[i-1], a.Unusual[i]) >= 0 {
			t.Errorf("crossings %d, %d out of order or equal", i-1, i)
		}
	}
	if j := a.AppendJSON(nil); !json.Valid(j) {
		t.Errorf("invalid JSON: %s", j)
	}
}

// covers reports whether endpoint e of advice a allows address addr.
func covers(a *Advice, e Endpoint, addr netip.Addr) bool {
	if !e.IsClass() {
		return e.Addr == addr
	}
	for _, cm := range a.Classes {
		if cm.Class == e.Class {
			return slices.ContainsFunc(cm.Members, func(m Member) bool { return m.Addr == addr })
		}
	}
	return false
}
