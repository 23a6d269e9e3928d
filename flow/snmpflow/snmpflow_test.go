package snmpflow_test

import (
	"encoding/hex"
	"encoding/xml"
	"flag"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/snmpflow"
	"github.com/medtap/medtap/internal/pcaptest"
	"github.com/medtap/medtap/internal/pcaptest/pcapflow"
	"github.com/medtap/medtap/internal/pkttest"
	"github.com/medtap/medtap/internal/testutil"
	"github.com/medtap/medtap/netproto/snmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const snmpPcap = "../../netproto/snmp/testdata/snmp.pcap"

func TestGolden(t *testing.T) {
	lines := pcapflow.Events(t, snmpPcap, snmpflow.Name)
	pcaptest.Golden(t, "testdata/snmp.golden", strings.Join(lines, "\n")+"\n", *update)
	for _, l := range lines {
		// The communities of the capture never reach an event.
		if strings.Contains(l, "mtll-ward7-ro") || strings.Contains(l, `"public"`) || strings.Contains(l, "mtll-wrong") {
			t.Fatalf("a community string in an event: %s", l)
		}
	}
}

// pdmlField is a field of tshark's PDML output.
type pdmlField struct {
	Name   string      `xml:"name,attr"`
	Show   string      `xml:"show,attr"`
	Value  string      `xml:"value,attr"`
	Fields []pdmlField `xml:"field"`
}

type pdmlPacket struct {
	Protos []struct {
		Name   string      `xml:"name,attr"`
		Fields []pdmlField `xml:"field"`
	} `xml:"proto"`
}

// tsharkPackets returns the SNMP fields of every frame, flattened in
// document order.
func tsharkPackets(t *testing.T, tshark string) [][]pdmlField {
	out, err := exec.Command(tshark, "-n", "-r", snmpPcap, "-Y", "snmp", "-T", "pdml").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var doc struct {
		Packets []pdmlPacket `xml:"packet"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var pkts [][]pdmlField
	var flatten func(dst []pdmlField, fs []pdmlField) []pdmlField
	flatten = func(dst []pdmlField, fs []pdmlField) []pdmlField {
		for _, f := range fs {
			dst = flatten(append(dst, pdmlField{Name: f.Name, Show: f.Show, Value: f.Value}), f.Fields)
		}
		return dst
	}
	for _, p := range doc.Packets {
		var fs []pdmlField
		for _, pr := range p.Protos {
			if pr.Name == "snmp" {
				fs = flatten(fs, pr.Fields)
			}
		}
		pkts = append(pkts, fs)
	}
	return pkts
}

// tsharkMessage is what tshark shows of one message: header fields by name
// (the first occurrence) and the variable bindings in order.
type tsharkMessage struct {
	field    map[string]string
	names    []string
	values   []pdmlField // the value field of each binding
	hasField map[string]bool
}

func parseTshark(fs []pdmlField) tsharkMessage {
	m := tsharkMessage{field: map[string]string{}, hasField: map[string]bool{}}
	for _, f := range fs {
		switch {
		case f.Name == "snmp.name":
			m.names = append(m.names, f.Show)
		case len(m.values) < len(m.names) && (strings.HasPrefix(f.Name, "snmp.value.") ||
			f.Name == "snmp.noSuchObject" || f.Name == "snmp.noSuchInstance" || f.Name == "snmp.endOfMibView"):
			m.values = append(m.values, f)
		}
		if !m.hasField[f.Name] {
			m.field[f.Name], m.hasField[f.Name] = f.Show, true
		}
	}
	return m
}

// TestAgainstTshark compares every field of every SNMP event with tshark's
// dissection of the same datagram. Community strings are compared only
// for presence and membership in the default list, and never printed.
func TestAgainstTshark(t *testing.T) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	pkts := tsharkPackets(t, tshark)
	var events []map[string]any
	logins := 0
	for _, l := range pcapflow.Events(t, snmpPcap, snmpflow.Name) {
		ev := pcaptest.Decode(t, l)
		if ev["kind"] == string(snmpflow.KindCleartextLogin) {
			logins++
			continue
		}
		events = append(events, ev)
	}
	if len(events) != len(pkts) || len(events) == 0 {
		t.Fatalf("%d events, tshark %d datagrams", len(events), len(pkts))
	}
	pduNames := map[string]string{"0": "get-request", "1": "get-next-request", "2": "response", "3": "set-request", "4": "trap",
		"5": "get-bulk-request", "6": "inform-request", "7": "snmpv2-trap", "8": "report"}
	versions := map[string]string{"0": "v1", "1": "v2c", "3": "v3"}
	var a pcaptest.Agreement
	for i, ev := range events {
		frame := i + 1
		m := parseTshark(pkts[i])
		a.Events++
		version := m.field["snmp.version"]
		if !m.hasField["snmp.version"] {
			version = m.field["snmp.msgVersion"]
		}
		a.Check(t, frame, "version", pcaptest.Str(ev["version"]), versions[version])
		_, hasCommunity := m.field["snmp.community"]
		a.Check(t, frame, "community_present", pcaptest.Str(ev["community_present"]), strconv.FormatBool(hasCommunity))
		if hasCommunity {
			a.Check(t, frame, "default_community", pcaptest.Str(ev["default_community"]), strconv.FormatBool(snmp.DefaultCommunity([]byte(m.field["snmp.community"]))))
		}
		a.Check(t, frame, "user", pcaptest.Str(ev["user"]), m.field["snmp.msgUserName"])
		if m.hasField["snmp.encryptedPDU"] {
			a.Check(t, frame, "kind", pcaptest.Str(ev["kind"]), "encrypted")
			continue
		}
		pdu := pduNames[m.field["snmp.data"]]
		a.Check(t, frame, "kind", pcaptest.Str(ev["kind"]), pdu)
		a.Check(t, frame, "pdu", pcaptest.Str(ev["pdu"]), pdu)
		a.Check(t, frame, "request_id", pcaptest.Str(ev["request_id"]), m.field["snmp.request_id"])
		if pdu == "get-bulk-request" {
			a.Check(t, frame, "non_repeaters", pcaptest.Str(ev["non_repeaters"]), m.field["snmp.non_repeaters"])
			a.Check(t, frame, "max_repetitions", pcaptest.Str(ev["max_repetitions"]), m.field["snmp.max_repetitions"])
		} else if pdu != "trap" {
			status, _ := strconv.Atoi(m.field["snmp.error_status"])
			want := snmp.ErrorStatus(status).String()
			if status == 0 && pdu != "response" && pdu != "report" {
				want = ""
			}
			a.Check(t, frame, "error_status", pcaptest.Str(ev["error_status"]), want)
			idx := m.field["snmp.error_index"]
			if idx == "0" {
				idx = ""
			}
			a.Check(t, frame, "error_index", pcaptest.Str(ev["error_index"]), idx)
		}
		if pdu == "trap" {
			a.Check(t, frame, "enterprise", pcaptest.Str(ev["enterprise"]), m.field["snmp.enterprise"])
			a.Check(t, frame, "agent_addr", pcaptest.Str(ev["agent_addr"]), m.field["snmp.agent_addr"])
			g, _ := strconv.Atoi(m.field["snmp.generic_trap"])
			a.Check(t, frame, "generic_trap", pcaptest.Str(ev["generic_trap"]), snmp.GenericTrap(g).String())
			a.Check(t, frame, "specific_trap", pcaptest.Str(ev["specific_trap"]), m.field["snmp.specific_trap"])
			a.Check(t, frame, "uptime", pcaptest.Str(ev["uptime"]), m.field["snmp.time_stamp"])
		}
		a.Check(t, frame, "varbinds", pcaptest.Str(ev["varbinds"]), strconv.Itoa(len(m.names)))
		a.Check(t, frame, "oids", pcaptest.Str(ev["oids"]), strings.Join(m.names[:min(16, len(m.names))], ","))
		want := map[string]string{}
		for j, name := range m.names {
			v := m.values[j]
			switch {
			case pdu == "response" && v.Name == "snmp.value.octets":
				b, err := hex.DecodeString(v.Value)
				if err != nil {
					t.Fatal(err)
				}
				key := map[string]string{"1.3.6.1.2.1.1.1.0": "sys_descr", "1.3.6.1.2.1.1.4.0": "sys_contact",
					"1.3.6.1.2.1.1.5.0": "sys_name", "1.3.6.1.2.1.1.6.0": "sys_location"}[name]
				if key != "" {
					want[key] = string(b)
				}
			case pdu == "response" && v.Name == "snmp.value.oid" && name == "1.3.6.1.2.1.1.2.0":
				want["sys_object_id"] = v.Show
			case (pdu == "snmpv2-trap" || pdu == "inform-request") && v.Name == "snmp.value.oid" && name == "1.3.6.1.6.3.1.1.4.1.0":
				want["trap_oid"] = v.Show
			}
		}
		for _, k := range []string{"sys_descr", "sys_object_id", "sys_name", "sys_contact", "sys_location", "trap_oid"} {
			a.Check(t, frame, k, pcaptest.Str(ev[k]), want[k])
		}
	}
	t.Logf("SNMP against tshark: %v; %d cleartext-login events", &a, logins)
}

var (
	mgr   = netip.MustParseAddrPort("10.216.0.21:40000")
	agent = netip.MustParseAddrPort("10.216.0.20:161")
)

func tlv(tag byte, parts ...[]byte) []byte {
	var v []byte
	for _, p := range parts {
		v = append(v, p...)
	}
	return append([]byte{tag, byte(len(v))}, v...)
}

func oid(s string) []byte { return tlv(0x06, snmp.MustParseOID(s).Bytes()) }

// response is an SNMPv1 response from the agent naming itself.
func response(community string) []byte {
	vb := func(name string, v []byte) []byte { return tlv(0x30, oid(name), v) }
	return tlv(0x30, []byte{0x02, 0x01, 0x00}, tlv(0x04, []byte(community)),
		tlv(0xa2, []byte{0x02, 0x01, 0x07, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00}, tlv(0x30,
			vb("1.3.6.1.2.1.1.1.0", tlv(0x04, []byte("IntelliVue X3"))),
			vb("1.3.6.1.2.1.1.2.0", oid("1.3.6.1.4.1.19816.1")),
			vb("1.3.6.1.2.1.1.5.0", tlv(0x04, []byte("mx-bed4"))))))
}

func TestEvents(t *testing.T) {
	var got, ids []string
	e, err := flow.NewEngine(flow.Config{Protocols: []string{snmpflow.Name}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol != snmpflow.Name {
			return
		}
		got = append(got, string(flow.AppendEventJSON(nil, ev)))
		if id, ok := ev.Detail.(flow.Identifier); ok {
			id.Identify(ev.Kind, nil, func(i flow.Identity) { ids = append(ids, i.Kind+"="+string(i.Name)) })
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][]byte{
		pkttest.RawUDP(agent, mgr, response("public")),
		pkttest.RawUDP(agent, mgr, response("s3cret-ward")),     // same flow: no second login
		pkttest.RawUDP(agent, mgr, response("public")[:20]),     // truncated
		pkttest.RawUDP(mgr, agent, append(response("x"), 0x00)), // trailing byte
	} {
		if err := e.Packet(pkttest.T0, flow.LinkRaw, p); err != nil {
			t.Fatal(err)
		}
	}
	ev := `{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"snmp","kind":"response","src":"10.216.0.20:161","dst":"10.216.0.21:40000","version":"v1","community_present":true,"default_community":%s,"pdu":"response","request_id":7,"error_status":"noError","varbinds":3,"oids":["1.3.6.1.2.1.1.1.0","1.3.6.1.2.1.1.2.0","1.3.6.1.2.1.1.5.0"],"sys_descr":"IntelliVue X3","sys_object_id":"1.3.6.1.4.1.19816.1","vendor":"Philips Medizin Systeme Boeblingen GmbH","sys_name":"mx-bed4"}`
	want := []string{
		strings.Replace(ev, "%s", "true", 1),
		`{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"snmp","kind":"cleartext-login","src":"10.216.0.20:161","dst":"10.216.0.21:40000","protocol":"snmp","version":"v1","default_credential":true}`,
		strings.Replace(ev, "%s", "false", 1),
		`{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"snmp","kind":"error","src":"10.216.0.20:161","dst":"10.216.0.21:40000","offset":199,"error":"snmp: truncated element at offset 0"}`,
		`{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"snmp","kind":"error","src":"10.216.0.21:40000","dst":"10.216.0.20:161","offset":92,"error":"snmp: trailing bytes at offset 92"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantIDs := "host=mx-bed4 os=IntelliVue X3 vendor=Philips Medizin Systeme Boeblingen GmbH host=mx-bed4 os=IntelliVue X3 vendor=Philips Medizin Systeme Boeblingen GmbH"
	if strings.Join(ids, " ") != wantIDs {
		t.Errorf("identities %q", strings.Join(ids, " "))
	}
}

// TestSteadyAllocs checks that a datagram of an existing flow, its event
// JSON and identities cost no allocation.
func TestSteadyAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("the race detector allocates")
	}
	buf, idBuf := make([]byte, 0, 4096), make([]byte, 0, 256)
	events := 0
	yield := func(flow.Identity) {}
	e, err := flow.NewEngine(flow.Config{Protocols: []string{snmpflow.Name}}, flow.SinkFunc(func(ev *flow.Event) {
		events++
		buf = flow.AppendEventJSON(buf[:0], ev)
		if id, ok := ev.Detail.(flow.Identifier); ok {
			id.Identify(ev.Kind, idBuf[:0], yield)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	// Every datagram of the capture, replayed in one flow.
	pkts := [][]byte{pkttest.RawUDP(agent, mgr, response("public"))}
	for _, d := range pcaptest.UDPPayloads(t, snmpPcap) {
		pkts = append(pkts, pkttest.RawUDP(agent, mgr, d))
	}
	feed := func() {
		for _, p := range pkts {
			e.Packet(pkttest.T0, flow.LinkRaw, p)
		}
	}
	feed()
	before := events
	if n := testing.AllocsPerRun(20, feed); n != 0 {
		t.Errorf("%.1f allocations per %d datagrams, want 0", n, len(pkts))
	}
	if events-before != 21*len(pkts) {
		t.Errorf("%d events for %d datagrams", events-before, 21*len(pkts))
	}
}
