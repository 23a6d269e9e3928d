package fingerprint

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/medtap/medtap/fingerprint/devdb"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/hl7flow"
	"github.com/medtap/medtap/flow/httpflow"
	"github.com/medtap/medtap/flow/lldpflow"
	"github.com/medtap/medtap/flow/tlsflow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
	"github.com/medtap/medtap/mllp"
	"github.com/medtap/medtap/netproto/lldp"
)

// evidenceDB has one entry a field of the evidence the HTTP, TLS, LLDP and
// HL7 events fill, with the values of the committed captures.
const evidenceDB = `version 1
entry t-ua
  vendor UA
  source test
  test 100 http.user-agent prefix curl/
entry t-server
  vendor Server
  source test
  test 100 http.server prefix MedtapTest/
entry t-ja4
  vendor JA4
  source test
  test 100 tls.ja4 regexp ^t1[0-3][di][0-9]{4}
entry t-ja3
  vendor JA3
  source test
  test 100 tls.ja3 regexp ^[0-9a-f]{32}$
entry t-lldp
  vendor LLDP
  source test
  test 50 lldp.manufacturer exact Contoso Medical
  test 50 lldp.model exact IP-300 Infusion Pump
entry t-udi
  vendor UDI
  source test
  test 100 udi exact 00643169007222
`

func evidenceInventory(t *testing.T) *Inventory {
	t.Helper()
	db, err := devdb.Load(strings.NewReader(evidenceDB), "evidence.db")
	if err != nil {
		t.Fatal(err)
	}
	return NewInventory(Config{DB: db})
}

// byAddr returns the inventory's device of addr (a zero Device if none).
func byAddr(inv *Inventory, addr string) Device {
	for _, d := range inv.Devices() {
		if d.Addr == netip.MustParseAddr(addr) {
			return d
		}
	}
	return Device{}
}

// TestEvidenceFromCaptures runs the committed HTTP, TLS and LLDP captures
// through an inventory: the User-Agent reaches the client, the Server
// header the server, the JA3 and JA4 of the first ClientHello the TLS
// client, the LLDP-MED inventory the device of the management address,
// and each is matched by the database.
func TestEvidenceFromCaptures(t *testing.T) {
	for _, c := range []struct {
		pcap, proto string
		addr        string
		want        []string // the rules that match
	}{
		{"../netproto/http/testdata/http.pcap", httpflow.Name, "10.213.0.1", []string{"t-ua:http.user-agent"}},
		{"../netproto/http/testdata/http.pcap", httpflow.Name, "10.213.0.2", []string{"t-server:http.server"}},
		{"../netproto/tlshello/testdata/peers.pcap", tlsflow.Name, "10.217.0.2", []string{"t-ja3:tls.ja3", "t-ja4:tls.ja4"}},
		{"../netproto/tlshello/testdata/peers.pcap", tlsflow.Name, "10.217.0.1", nil},
		{"../netproto/lldp/testdata/lldp.pcap", lldpflow.Name, "10.216.0.11", []string{"t-lldp:lldp.manufacturer", "t-lldp:lldp.model"}},
		{"../netproto/lldp/testdata/lldp.pcap", lldpflow.Name, "10.216.0.12", nil},
	} {
		inv := evidenceInventory(t)
		var ja3, ja4 string // of the first ClientHello
		sink := flow.SinkFunc(func(e *flow.Event) {
			if h, ok := e.Detail.(*tlsflow.Hello); ok && h.Client != nil && ja4 == "" {
				ja3, ja4 = string(h.Client.AppendJA3(nil)), string(h.Client.AppendJA4(nil))
			}
			inv.Event(e)
		})
		flowtest.RunFile(t, flowtest.NewEngine(t, flow.Config{Protocols: []string{c.proto}}, sink), c.pcap)
		d := byAddr(inv, c.addr)
		got := slices.Clone(d.Evidence)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s %s: rules %q, want %q", c.pcap, c.addr, got, c.want)
		}
		if c.proto == tlsflow.Name && c.want != nil {
			ev := inv.devs[keyOf(d.Addr)].ev
			if ev.JA3 != ja3 || ev.JA4 != ja4 {
				t.Errorf("JA3 %q JA4 %q, want the first ClientHello's %q %q", ev.JA3, ev.JA4, ja3, ja4)
			}
		}
	}
}

// TestEvidenceUDI sends an HL7 message with a PRT segment: its PRT-16
// device identifier is the sender's udi evidence.
func TestEvidenceUDI(t *testing.T) {
	inv := evidenceInventory(t)
	msg := "MSH|^~\\&|PUMPGW|ICU|EMR|HOSP|20240101||ORU^R01^ORU_R01|C1|P|2.8.2\r" +
		"PRT|1|UC||EQUIP^Equipment^HL70912||||||(01)00643169007222(17)160128(21)BLC200461H||||||" +
		"00643169007222^^2.16.840.1.113883.3.3719^ISO|20150128|20180128|LOT7|BLC200461H\r"
	frame := string(mllp.AppendFrame(nil, []byte(msg)))
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{hl7flow.Name}}, inv)
	flowtest.Feed(t, e, []pkttest.Seg{{Dir: 0, Seq: 1000, Flags: flow.FlagSYN}, {Dir: 1, Seq: 5000, Flags: flow.FlagSYN | flow.FlagACK},
		{Dir: 0, Seq: 1001, Flags: flow.FlagACK, Data: frame}})
	e.Flush()
	if d := byAddr(inv, pkttest.Cli.Addr().String()); !slices.Equal(d.Evidence, []string{"t-udi:udi"}) {
		t.Errorf("sender's rules %q, want t-udi:udi", d.Evidence)
	}
	if d := byAddr(inv, pkttest.Srv.Addr().String()); len(d.Evidence) != 0 {
		t.Errorf("receiver's rules %q, want none", d.Evidence)
	}
}

// TestEvidenceLLDPByMAC: an LLDP-MED inventory without a management
// address reaches the device its sender's MAC is seen with, and a
// device's own inventory is not overwritten by it.
func TestEvidenceLLDPByMAC(t *testing.T) {
	inv := evidenceInventory(t)
	mac := flow.MAC{0x02, 0, 0, 0, 0, 0x11}
	adv := &lldpflow.Advertisement{LLDP: lldp.Advertisement{Manufacturer: []byte("Contoso Medical"), Model: []byte("IP-300 Infusion Pump")}}
	inv.Event(&flow.Event{Time: t0, Protocol: lldpflow.Name, Kind: lldpflow.KindAdvertisement, SrcMAC: mac, Detail: adv})
	other := &lldpflow.Advertisement{LLDP: lldp.Advertisement{Manufacturer: []byte("Other"), Model: []byte("X")}}
	inv.Event(&flow.Event{Time: t0, Protocol: lldpflow.Name, Kind: lldpflow.KindAdvertisement, SrcMAC: mac, Detail: other})
	inv.Event(&flow.Event{Time: t0, Protocol: flow.ProtocolFlow, Kind: flow.KindEnd, Src: ap("10.0.0.9:40000"), Dst: ap("10.0.0.1:80"),
		SrcMAC: mac, Detail: &flow.FlowInfo{Transport: flow.TCP, Start: t0}})
	d := byAddr(inv, "10.0.0.9")
	got := slices.Clone(d.Evidence)
	slices.Sort(got)
	if want := []string{"t-lldp:lldp.manufacturer", "t-lldp:lldp.model"}; !slices.Equal(got, want) {
		t.Errorf("rules %q, want %q", got, want)
	}
	if d.Vendor != "LLDP" {
		t.Errorf("vendor %q", d.Vendor)
	}
	if byAddr(inv, "10.0.0.1").Evidence != nil {
		t.Errorf("the peer got LLDP evidence")
	}
}
