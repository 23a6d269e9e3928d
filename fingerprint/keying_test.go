package fingerprint

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
)

// mac returns a MAC whose last byte is n.
func mac(n byte) flow.MAC { return flow.MAC{0x02, 0, 0, 0, 0, n} }

// dhcpAck is a DHCP message for tests: a server gives a client an
// address.
type dhcpAck struct {
	mac      flow.MAC
	host     string
	assigned netip.Addr
}

func (d *dhcpAck) AppendJSON(dst []byte) []byte { return dst }
func (d *dhcpAck) DHCPClient() (flow.MAC, []byte, []byte, []byte, netip.Addr) {
	return d.mac, nil, nil, []byte(d.host), d.assigned
}

// A step is one event of a keying test.
type step struct {
	cli, srv       string // "addr:port"
	cliMAC, srvMAC byte   // last byte of the MAC; 0: none
	name           string // the client names itself so after the flow
	ack            *dhcpAck
}

func (s step) run(inv *Inventory, ts time.Time) {
	if s.ack != nil {
		inv.Event(&flow.Event{Time: ts, Protocol: "dhcp", Kind: "ack", Src: ap("10.0.0.1:67"), Dst: ap("255.255.255.255:68"),
			SrcMAC: mac(1), DstMAC: flow.MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, Detail: s.ack})
		return
	}
	e := &flow.Event{Time: ts, Protocol: flow.ProtocolFlow, Kind: flow.KindEnd, Src: ap(s.cli), Dst: ap(s.srv),
		Detail: &flow.FlowInfo{Transport: flow.TCP, Protocol: "dicom", Start: ts, Bytes: [2]uint64{100, 10}}}
	if s.cliMAC != 0 {
		e.SrcMAC = mac(s.cliMAC)
	}
	if s.srvMAC != 0 {
		e.DstMAC = mac(s.srvMAC)
	}
	inv.Event(e)
	if s.name != "" {
		inv.Event(&flow.Event{Time: ts, Protocol: "test", Kind: "client", Src: e.Src, Dst: e.Dst, SrcMAC: e.SrcMAC, DstMAC: e.DstMAC, Detail: &named{s.name}})
	}
}

// summary is what keying tests compare of a device.
func summary(d *Device) string {
	var b strings.Builder
	fmt.Fprint(&b, d.Addr)
	if len(d.Addrs) > 0 {
		fmt.Fprint(&b, " ", d.Addrs)
	}
	if !d.MAC.IsZero() {
		fmt.Fprint(&b, " mac ", d.MAC.String()[15:])
	}
	if !d.Router.IsZero() {
		fmt.Fprint(&b, " router ", d.Router.String()[15:])
	}
	if len(d.Names) > 0 {
		fmt.Fprint(&b, " ", d.Names)
	}
	fmt.Fprintf(&b, " out %d in %d", d.FlowsOut, d.FlowsIn)
	return b.String()
}

func ipv4(last int) string { return fmt.Sprintf("10.0.0.%d:40000", last) }

// routerSteps are flows to the server 10.0.0.1 (MAC 01) from n addresses
// of another subnet, all through the router's MAC 0xfe, each client naming
// itself.
func routerSteps(n int) []step {
	var s []step
	for i := range n {
		s = append(s, step{cli: fmt.Sprintf("10.9.0.%d:40000", i+1), cliMAC: 0xfe, srv: "10.0.0.1:104", srvMAC: 1, name: fmt.Sprint("remote", i+1)})
	}
	return s
}

func TestInventoryKeying(t *testing.T) {
	srv := "10.0.0.1:104"
	a50, a51, a52 := netip.MustParseAddr("10.0.0.50"), netip.MustParseAddr("10.0.0.51"), netip.MustParseAddr("10.0.0.52")
	for _, tt := range []struct {
		name    string
		cfg     Config
		steps   []step
		want    []string
		routers uint64
	}{{
		name: "same MAC two addresses",
		steps: []step{
			{cli: ipv4(5), cliMAC: 5, srv: srv, srvMAC: 1, name: "ws"},
			{cli: ipv4(6), cliMAC: 5, srv: srv, srvMAC: 1},
		},
		want: []string{"10.0.0.1 mac 01 out 0 in 2", "10.0.0.6 [10.0.0.5 10.0.0.6] mac 05 [test:ws] out 2 in 0"},
	}, {
		name: "IPv4 and IPv6 of one MAC",
		steps: []step{
			{cli: ipv4(5), cliMAC: 5, srv: srv, srvMAC: 1},
			{cli: "[fe80::5]:40000", cliMAC: 5, srv: "[fe80::1]:104", srvMAC: 1},
			{cli: "[2001:db8::5]:40000", cliMAC: 5, srv: "[2001:db8::1]:104", srvMAC: 1},
		},
		want: []string{"2001:db8::1 [10.0.0.1 fe80::1 2001:db8::1] mac 01 out 0 in 3", "2001:db8::5 [10.0.0.5 fe80::5 2001:db8::5] mac 05 out 3 in 0"},
	}, {
		// Stable, temporary and unique local IPv6 addresses and the
		// IPv4 one: each family counts on its own toward a router's.
		name: "a host's many IPv6 addresses",
		steps: []step{
			{cli: ipv4(5), cliMAC: 5, srv: srv, srvMAC: 1},
			{cli: "[fe80::5]:40000", cliMAC: 5, srv: "[fe80::1]:104", srvMAC: 1},
			{cli: "[2001:db8::5]:40000", cliMAC: 5, srv: "[2001:db8::1]:104", srvMAC: 1},
			{cli: "[2001:db8::a1b2:c3d4]:40000", cliMAC: 5, srv: "[2001:db8::1]:104", srvMAC: 1},
			{cli: "[fd00::5]:40000", cliMAC: 5, srv: "[2001:db8::1]:104", srvMAC: 1},
		},
		want: []string{"2001:db8::1 [10.0.0.1 fe80::1 2001:db8::1] mac 01 out 0 in 5",
			"fd00::5 [10.0.0.5 fe80::5 2001:db8::5 2001:db8::a1b2:c3d4 fd00::5] mac 05 out 5 in 0"},
	}, {
		name: "an IPv6 router's MAC",
		steps: []step{
			{cli: "[2001:db8:9::1]:40000", cliMAC: 0xfe, srv: "[2001:db8::1]:104", srvMAC: 1},
			{cli: "[2001:db8:9::2]:40000", cliMAC: 0xfe, srv: "[2001:db8::1]:104", srvMAC: 1},
			{cli: "10.9.0.1:40000", cliMAC: 0xfe, srv: srv, srvMAC: 1},
			{cli: "[2001:db8:9::3]:40000", cliMAC: 0xfe, srv: "[2001:db8::1]:104", srvMAC: 1},
			{cli: "[2001:db8:9::4]:40000", cliMAC: 0xfe, srv: "[2001:db8::1]:104", srvMAC: 1},
		},
		want: []string{"10.9.0.1 router fe out 1 in 0", "2001:db8::1 [2001:db8::1 10.0.0.1] mac 01 out 0 in 5",
			"2001:db8:9::1 router fe out 1 in 0", "2001:db8:9::2 router fe out 1 in 0", "2001:db8:9::3 router fe out 1 in 0", "2001:db8:9::4 router fe out 1 in 0"},
		routers: 1,
	}, {
		name:  "a router's MAC: a device per address",
		steps: routerSteps(6),
		want: []string{"10.0.0.1 mac 01 out 0 in 6",
			"10.9.0.1 router fe [test:remote1] out 1 in 0", "10.9.0.2 router fe [test:remote2] out 1 in 0", "10.9.0.3 router fe [test:remote3] out 1 in 0",
			"10.9.0.4 router fe [test:remote4] out 1 in 0", "10.9.0.5 router fe [test:remote5] out 1 in 0", "10.9.0.6 router fe [test:remote6] out 1 in 0"},
		routers: 1,
	}, {
		name:  "below the threshold a router's MAC is one device",
		steps: routerSteps(3),
		want: []string{"10.0.0.1 mac 01 out 0 in 3",
			"10.9.0.3 [10.9.0.1 10.9.0.2 10.9.0.3] mac fe [test:remote1 test:remote2 test:remote3] out 3 in 0"},
	}, {
		name:  "a higher threshold",
		cfg:   Config{RouterAddrs: 8},
		steps: routerSteps(6),
		want: []string{"10.0.0.1 mac 01 out 0 in 6",
			"10.9.0.6 [10.9.0.1 10.9.0.2 10.9.0.3 10.9.0.4 10.9.0.5 10.9.0.6] mac fe [test:remote1 test:remote2 test:remote3 test:remote4 test:remote5 test:remote6] out 6 in 0"},
	}, {
		name:  "router detection off",
		cfg:   Config{RouterAddrs: -1, MaxAddrs: 2},
		steps: routerSteps(3),
		// The MAC's device has room for two addresses: the third is a
		// device by itself.
		want: []string{"10.0.0.1 mac 01 out 0 in 3",
			"10.9.0.2 [10.9.0.1 10.9.0.2] mac fe [test:remote1 test:remote2] out 2 in 0", "10.9.0.3 [test:remote3] out 1 in 0"},
	}, {
		name: "an address outside the local subnets",
		cfg:  Config{LocalNets: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")}},
		steps: []step{
			{cli: "10.0.0.254:40000", cliMAC: 0xfe, srv: srv, srvMAC: 1}, // the router's own address, first
			{cli: "192.0.2.7:40000", cliMAC: 0xfe, srv: srv, srvMAC: 1},
			{cli: "10.0.0.5:40000", cliMAC: 5, srv: "[fe80::1]:104", srvMAC: 1},
		},
		want:    []string{"fe80::1 [10.0.0.1 fe80::1] mac 01 out 0 in 3", "10.0.0.5 mac 05 out 1 in 0", "10.0.0.254 router fe out 1 in 0", "192.0.2.7 router fe out 1 in 0"},
		routers: 1,
	}, {
		// A capture of both sides of a router: the client's own MAC
		// stays its key when the router is seen forwarding for it.
		name: "its own MAC before the router's",
		steps: append([]step{{cli: "10.9.0.1:40000", cliMAC: 9, srv: srv, srvMAC: 1, name: "remote1"}},
			routerSteps(5)...),
		want: []string{"10.0.0.1 mac 01 out 0 in 6",
			"10.9.0.1 mac 09 [test:remote1] out 2 in 0", "10.9.0.2 router fe [test:remote2] out 1 in 0", "10.9.0.3 router fe [test:remote3] out 1 in 0",
			"10.9.0.4 router fe [test:remote4] out 1 in 0", "10.9.0.5 router fe [test:remote5] out 1 in 0"},
		routers: 1,
	}, {
		name: "its own MAC after the router's",
		steps: append(routerSteps(5),
			step{cli: "10.9.0.1:40000", cliMAC: 9, srv: srv, srvMAC: 1},
			step{cli: "10.9.0.1:40000", cliMAC: 0xfe, srv: srv, srvMAC: 1}),
		want: []string{"10.0.0.1 mac 01 out 0 in 7",
			"10.9.0.1 mac 09 [test:remote1] out 3 in 0", "10.9.0.2 router fe [test:remote2] out 1 in 0", "10.9.0.3 router fe [test:remote3] out 1 in 0",
			"10.9.0.4 router fe [test:remote4] out 1 in 0", "10.9.0.5 router fe [test:remote5] out 1 in 0"},
		routers: 1,
	}, {
		name: "seen without a MAC first",
		steps: []step{
			{cli: ipv4(5), srv: srv, name: "ws"},
			{cli: ipv4(5), cliMAC: 5, srv: srv, srvMAC: 1},
		},
		want: []string{"10.0.0.1 mac 01 out 0 in 2", "10.0.0.5 mac 05 [test:ws] out 2 in 0"},
	}, {
		name: "DHCP renews to new addresses",
		steps: []step{
			{ack: &dhcpAck{mac: mac(7), host: "CTSCAN01", assigned: a50}},
			{cli: "10.0.0.50:40000", cliMAC: 7, srv: srv, srvMAC: 1},
			{ack: &dhcpAck{mac: mac(7), assigned: a51}},
			{cli: "10.0.0.51:40000", cliMAC: 7, srv: srv, srvMAC: 1},
			{ack: &dhcpAck{mac: mac(7), assigned: a52}},
			{ack: &dhcpAck{mac: mac(7), assigned: netip.MustParseAddr("10.0.0.53")}},
			{ack: &dhcpAck{mac: mac(7), assigned: netip.MustParseAddr("10.0.0.54")}},
			{cli: "10.0.0.54:40000", cliMAC: 7, srv: srv, srvMAC: 1},
		},
		want: []string{"10.0.0.1 mac 01 out 0 in 3",
			"10.0.0.54 [10.0.0.50 10.0.0.51 10.0.0.52 10.0.0.53 10.0.0.54] mac 07 [host:CTSCAN01] out 3 in 0"},
	}, {
		name: "DHCP gives a device's address to another",
		steps: []step{
			{cli: "10.0.0.50:40000", cliMAC: 7, srv: srv, srvMAC: 1, name: "old"},
			{ack: &dhcpAck{mac: mac(8), host: "NEW", assigned: a50}},
			{cli: "10.0.0.50:40000", cliMAC: 8, srv: srv, srvMAC: 1, name: "new"},
		},
		want: []string{"10.0.0.1 mac 01 out 0 in 2", "10.0.0.50 mac 07 [test:old] out 1 in 0", "10.0.0.50 mac 08 [host:NEW test:new] out 1 in 0"},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			inv := NewInventory(tt.cfg)
			for i, s := range tt.steps {
				s.run(inv, t0.Add(time.Duration(i)*time.Second))
			}
			devs := inv.Devices()
			var got []string
			for i := range devs {
				got = append(got, summary(&devs[i]))
			}
			// Devices of one address sort in no set order.
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") && !sameSet(got, tt.want) {
				t.Errorf("devices:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if inv.Len() != len(devs) {
				t.Errorf("Len %d, %d devices", inv.Len(), len(devs))
			}
			if st := inv.Stats(); st.Routers != tt.routers {
				t.Errorf("%d routers, want %d", st.Routers, tt.routers)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	n := map[string]int{}
	for _, s := range a {
		n[s]++
	}
	for _, s := range b {
		n[s]--
	}
	for _, v := range n {
		if v != 0 {
			return false
		}
	}
	return true
}

// TestInventoryRekeying follows a router's MAC from its first addresses,
// attributed to one device, to the address that shows it is shared: the
// device splits into one device per address, each with exactly what its
// address did, and later traffic through the router stays per address.
func TestInventoryRekeying(t *testing.T) {
	inv := NewInventory(Config{})
	steps := routerSteps(3)
	for i, s := range steps {
		s.run(inv, t0.Add(time.Duration(i)*time.Second))
	}
	if inv.Len() != 2 {
		t.Fatalf("%d devices before the router is known, want 2", inv.Len())
	}
	// More traffic from the first address, then the fourth address.
	step{cli: "10.9.0.1:40001", cliMAC: 0xfe, srv: "10.0.0.1:104", srvMAC: 1, name: "again"}.run(inv, t0.Add(10*time.Second))
	routerSteps(4)[3].run(inv, t0.Add(11*time.Second))
	if inv.Len() != 5 {
		t.Fatalf("%d devices once the router is known, want 5", inv.Len())
	}
	routerSteps(5)[4].run(inv, t0.Add(12*time.Second))
	want := map[string]string{
		"10.9.0.1": "10.9.0.1 router fe [test:again test:remote1] out 2 in 0",
		"10.9.0.2": "10.9.0.2 router fe [test:remote2] out 1 in 0",
		"10.9.0.3": "10.9.0.3 router fe [test:remote3] out 1 in 0",
		"10.9.0.4": "10.9.0.4 router fe [test:remote4] out 1 in 0",
		"10.9.0.5": "10.9.0.5 router fe [test:remote5] out 1 in 0",
		"10.0.0.1": "10.0.0.1 mac 01 out 0 in 6",
	}
	devs := inv.Devices()
	if len(devs) != len(want) {
		t.Errorf("%d devices, want %d", len(devs), len(want))
	}
	for i := range devs {
		d := &devs[i]
		if got := summary(d); got != want[d.Addr.String()] {
			t.Errorf("%s, want %s", got, want[d.Addr.String()])
		}
		if d.Addr.String() == "10.9.0.1" && (d.BytesSent != 200 || d.First != t0 || d.Last != t0.Add(10*time.Second)) {
			t.Errorf("10.9.0.1 after the split: %+v", d)
		}
	}
	if st := inv.Stats(); st.Routers != 1 || st.Devices != 6 {
		t.Errorf("stats %+v", st)
	}
}

// TestInventoryKeyingBounded: addresses, MACs and routers stay within the
// caps however many MACs and addresses come and go.
func TestInventoryKeyingBounded(t *testing.T) {
	cfg := Config{MaxDevices: 64, MaxAddrs: 3}
	inv := NewInventory(cfg)

	for i := range 20000 {
		// Half the MACs come with 3 addresses each, the others, routers',
		// with 5.
		j := i / 6
		m := flow.MAC{2, 1, 0, byte(j >> 8), byte(j), 1}
		if i%2 == 1 {
			j = i / 10
			m = flow.MAC{2, 0, 0, byte(j >> 8), byte(j), 2}
		}
		cli := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 40000)
		inv.Event(&flow.Event{Time: t0.Add(time.Duration(i) * time.Millisecond), Protocol: flow.ProtocolFlow, Kind: flow.KindEnd,
			Src: cli, Dst: ap("10.0.0.1:104"), SrcMAC: m, DstMAC: mac(1), Detail: &flow.FlowInfo{Transport: flow.TCP, Start: t0}})
		if i%97 == 0 {
			inv.Event(&flow.Event{Time: t0, Protocol: "dhcp", Kind: "ack", Src: ap("10.0.0.1:67"), Dst: ap("255.255.255.255:68"),
				Detail: &dhcpAck{mac: flow.MAC{2, 0, 0, byte(i >> 8), byte(i), 3}, assigned: cli.Addr()}})
		}
	}
	if inv.nrec > cfg.MaxDevices || len(inv.devs) > cfg.MaxDevices || len(inv.macs) > 2*cfg.MaxDevices {
		t.Errorf("%d records, %d addresses, %d MACs", inv.nrec, len(inv.devs), len(inv.macs))
	}
	n := 0
	for d := inv.head; d != nil; d = d.next {
		n++
		if g := d.own; g != nil && (len(g.members) > cfg.MaxAddrs || g.shared || len(g.foreign) >= 4) {
			t.Fatalf("MAC %v: %d addresses, shared %v, %d foreign", g.mac, len(g.members), g.shared, len(g.foreign))
		}
	}
	devs := inv.Devices()
	st := inv.Stats()
	t.Logf("stats %+v", st)
	if st.Routers != 2000 || st.MACsDropped == 0 || st.DevicesEvicted == 0 {
		t.Errorf("the caps were not reached: %+v", st)
	}
	if n != inv.nrec || inv.Len() != len(devs) {
		t.Errorf("%d records listed, %d counted; Len %d, %d devices", n, inv.nrec, inv.Len(), len(devs))
	}
	for _, d := range devs {
		if len(d.Addrs) > cfg.MaxAddrs {
			t.Errorf("%v: %d addresses", d.Addr, len(d.Addrs))
		}
	}
}

// TestInventoryPeersByDevice: a peer of two addresses is one peer.
func TestInventoryPeersByDevice(t *testing.T) {
	inv := NewInventory(Config{})
	for i, s := range []step{
		{cli: ipv4(5), cliMAC: 5, srv: "10.0.0.1:104", srvMAC: 1},
		{cli: "[2001:db8::5]:40000", cliMAC: 5, srv: "[2001:db8::1]:104", srvMAC: 1},
		{cli: ipv4(6), cliMAC: 6, srv: "10.0.0.1:104", srvMAC: 1},
	} {
		s.run(inv, t0.Add(time.Duration(i)*time.Second))
	}
	for _, d := range inv.Devices() {
		want := map[byte]int{1: 2, 5: 1, 6: 1}[d.MAC[5]]
		if d.Peers != want {
			t.Errorf("%v: %d peers, want %d", d.MAC, d.Peers, want)
		}
	}
}

// TestDeviceJSONAddresses: the JSON of a device of several addresses
// lists them, and that of a device behind a router names the router's
// MAC.
func TestDeviceJSONAddresses(t *testing.T) {
	inv := NewInventory(Config{})
	steps := append([]step{
		{cli: ipv4(5), cliMAC: 5, srv: "10.0.0.1:104"},
		{cli: "[2001:db8::5]:40000", cliMAC: 5, srv: "10.0.0.1:104"},
	}, routerSteps(4)...)
	for i, s := range steps {
		s.run(inv, t0.Add(time.Duration(i)*time.Second))
	}
	var all []string
	for _, d := range inv.Devices() {
		b := d.AppendJSON(nil)
		if !json.Valid(b) {
			t.Fatalf("invalid JSON: %s", b)
		}
		all = append(all, string(b))
	}
	got := strings.Join(all, "\n")
	for _, want := range []string{`"ip":"2001:db8::5","addresses":["10.0.0.5","2001:db8::5"],"mac":"02:00:00:00:00:05",`,
		`"ip":"10.9.0.4","router_mac":"02:00:00:00:00:fe",`} {
		if !strings.Contains(got, want) {
			t.Errorf("no %s in\n%s", want, got)
		}
	}
}
