package lldpflow_test

import (
	"encoding/hex"
	"flag"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/lldpflow"
	"github.com/medtap/medtap/internal/pcaptest"
	"github.com/medtap/medtap/internal/pcaptest/pcapflow"
	"github.com/medtap/medtap/internal/pkttest"
	"github.com/medtap/medtap/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	lldpPcap = "../../netproto/lldp/testdata/lldp.pcap"
	cdpPcap  = "../../netproto/cdp/testdata/cdp.pcap"
)

// TestGolden checks the JSON of every event of the committed captures.
func TestGolden(t *testing.T) {
	for _, c := range []struct{ proto, pcap string }{{lldpflow.Name, lldpPcap}, {lldpflow.NameCDP, cdpPcap}} {
		lines := pcapflow.Events(t, c.pcap, c.proto)
		pcaptest.Golden(t, "testdata/"+c.proto+".golden", strings.Join(lines, "\n")+"\n", *update)
	}
}

// capBits turns an array of capability names back into the bitmap, by
// the names' bit numbers.
func capBits(t *testing.T, v any, name func(int) string, bits int) string {
	t.Helper()
	var x uint64
	for _, n := range strings.Split(pcaptest.Str(v), ",") {
		if n == "" {
			continue
		}
		i := -1
		for b := range bits {
			if name(b) == n {
				i = b
			}
		}
		if i < 0 {
			t.Fatalf("unknown capability %q", n)
		}
		x |= 1 << i
	}
	return "0x" + strings.Repeat("0", bits/4-len(strconv.FormatUint(x, 16))) + strconv.FormatUint(x, 16)
}

// agreement counts what a tshark comparison checked.

// TestLLDPAgainstTshark compares every field of every LLDP event with
// tshark's dissection of the same frame.
func TestLLDPAgainstTshark(t *testing.T) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	fields := []string{"lldp.chassis.subtype", "lldp.chassis.id", "lldp.chassis.id.mac", "lldp.port.subtype", "lldp.port.id",
		"lldp.port.id.mac", "lldp.time_to_live", "lldp.port.desc", "lldp.tlv.system.name", "lldp.tlv.system.desc",
		"lldp.tlv.system_cap", "lldp.tlv.enable_system_cap", "lldp.mgn.addr.ip4", "lldp.media.subtype.class",
		"lldp.media.app_type", "lldp.media.vlan_id", "lldp.media.l2_prio", "lldp.media.dscp", "lldp.media.tag_flag",
		"lldp.media.hardware", "lldp.media.firmware", "lldp.media.software", "lldp.media.sn", "lldp.media.manufacturer",
		"lldp.media.model", "lldp.media.asset"}
	rows := pcaptest.Tshark(t, tshark, lldpPcap, "lldp", fields...)
	lines := pcapflow.Events(t, lldpPcap, lldpflow.Name)
	if len(lines) != len(rows) || len(lines) == 0 {
		t.Fatalf("%d events, tshark %d frames", len(lines), len(rows))
	}
	var a pcaptest.Agreement
	medClass := map[string]string{"endpoint-class-1": "1", "endpoint-class-2": "2", "endpoint-class-3": "3", "network-connectivity": "4"}
	apps := map[string]string{"voice": "1", "voice-signaling": "2", "streaming-video": "7"}
	for i, line := range lines {
		frame := i + 1
		ev, r := pcaptest.Decode(t, line), rows[frame]
		a.Events++
		if ev["kind"] != "advertisement" {
			t.Fatalf("frame %d: %s", frame, line)
		}
		subtypes := map[string]string{"mac": "4", "local": "7", "interface-name": "6"}
		a.Check(t, frame, "chassis_id_subtype", subtypes[pcaptest.Str(ev["chassis_id_subtype"])], r[0])
		if r[0] == "4" {
			a.Check(t, frame, "chassis_id", pcaptest.Str(ev["chassis_id"]), r[2])
		} else {
			a.Check(t, frame, "chassis_id", hex.EncodeToString([]byte(pcaptest.Str(ev["chassis_id"]))), r[1])
		}
		portSubtypes := map[string]string{"mac": "3", "interface-name": "5", "local": "7"}
		a.Check(t, frame, "port_id_subtype", portSubtypes[pcaptest.Str(ev["port_id_subtype"])], r[3])
		if r[3] == "3" {
			a.Check(t, frame, "port_id", pcaptest.Str(ev["port_id"]), r[5])
		} else {
			a.Check(t, frame, "port_id", pcaptest.Str(ev["port_id"]), r[4])
		}
		a.Check(t, frame, "ttl", pcaptest.Str(ev["ttl"]), r[6])
		a.Check(t, frame, "port_description", pcaptest.Str(ev["port_description"]), r[7])
		a.Check(t, frame, "system_name", pcaptest.Str(ev["system_name"]), r[8])
		a.Check(t, frame, "system_description", pcaptest.Str(ev["system_description"]), r[9])
		if r[10] != "" || ev["capabilities"] != nil {
			a.Check(t, frame, "capabilities_supported", capBits(t, ev["capabilities_supported"], lldpCapName, 16), r[10])
			a.Check(t, frame, "capabilities", capBits(t, ev["capabilities"], lldpCapName, 16), r[11])
		}
		a.Check(t, frame, "mgmt_addr", pcaptest.Str(ev["mgmt_addr"]), r[12])
		a.Check(t, frame, "med_device_type", medClass[pcaptest.Str(ev["med_device_type"])], r[13])
		var app, vlan, prio, dscp, tagged []string
		if ps, ok := ev["network_policies"].([]any); ok {
			for _, p := range ps {
				p := p.(map[string]any)
				app, vlan, prio = append(app, apps[pcaptest.Str(p["app"])]), append(vlan, pcaptest.Str(p["vlan"])), append(prio, pcaptest.Str(p["priority"]))
				dscp, tagged = append(dscp, pcaptest.Str(p["dscp"])), append(tagged, map[bool]string{true: "1", false: "0"}[p["tagged"] == true])
			}
		}
		a.Check(t, frame, "network_policies app", strings.Join(app, ","), r[14])
		a.Check(t, frame, "network_policies vlan", strings.Join(vlan, ","), r[15])
		a.Check(t, frame, "network_policies priority", strings.Join(prio, ","), r[16])
		a.Check(t, frame, "network_policies dscp", strings.Join(dscp, ","), r[17])
		a.Check(t, frame, "network_policies tagged", strings.Join(tagged, ","), r[18])
		for j, k := range []string{"hw_revision", "fw_revision", "sw_revision", "serial", "manufacturer", "model", "asset_id"} {
			a.Check(t, frame, k, pcaptest.Str(ev[k]), r[19+j])
		}
	}
	t.Logf("LLDP against tshark: %v", &a)
}

func lldpCapName(i int) string {
	return []string{"other", "repeater", "bridge", "wlan-ap", "router", "telephone", "docsis", "station",
		"c-vlan", "s-vlan", "tpmr", "bit11", "bit12", "bit13", "bit14", "bit15"}[i]
}

func cdpCapName(i int) string {
	names := []string{"router", "trans-bridge", "sr-bridge", "switch", "host", "igmp", "repeater", "phone", "remote", "cvta", "mac-relay"}
	if i < len(names) {
		return names[i]
	}
	return "bit" + strconv.Itoa(i)
}

// TestCDPAgainstTshark compares every field of every CDP event with
// tshark's dissection of the same frame.
func TestCDPAgainstTshark(t *testing.T) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	rows := pcaptest.Tshark(t, tshark, cdpPcap, "cdp", "cdp.version", "cdp.ttl", "cdp.deviceid", "cdp.nrgyz.ip_address",
		"cdp.portid", "cdp.capabilities", "cdp.software_version", "cdp.platform", "cdp.native_vlan", "cdp.checksum.status")
	lines := pcapflow.Events(t, cdpPcap, lldpflow.NameCDP)
	if len(lines) != len(rows) || len(lines) == 0 {
		t.Fatalf("%d events, tshark %d frames", len(lines), len(rows))
	}
	var a pcaptest.Agreement
	for i, line := range lines {
		frame := i + 1
		ev, r := pcaptest.Decode(t, line), rows[frame]
		a.Events++
		a.Check(t, frame, "version", pcaptest.Str(ev["version"]), r[0])
		a.Check(t, frame, "ttl", pcaptest.Str(ev["ttl"]), r[1])
		a.Check(t, frame, "device_id", pcaptest.Str(ev["device_id"]), r[2])
		a.Check(t, frame, "addresses", pcaptest.Str(ev["addresses"]), r[3])
		a.Check(t, frame, "mgmt_addr", pcaptest.Str(ev["mgmt_addr"]), strings.Split(r[3], ",")[0])
		a.Check(t, frame, "port_id", pcaptest.Str(ev["port_id"]), r[4])
		a.Check(t, frame, "capabilities", capBits(t, ev["capabilities"], cdpCapName, 32), r[5])
		a.Check(t, frame, "software_version", pcaptest.Str(ev["software_version"]), r[6])
		a.Check(t, frame, "platform", pcaptest.Str(ev["platform"]), r[7])
		a.Check(t, frame, "native_vlan", pcaptest.Str(ev["native_vlan"]), r[8])
		ok := "1"
		if ev["checksum_ok"] == false {
			ok = "0"
		}
		a.Check(t, frame, "checksum_ok", ok, r[9])
	}
	t.Logf("CDP against tshark: %v", &a)
}

// ethFrame builds an Ethernet frame from src to dst.
func ethFrame(dst, src flow.MAC, ethType uint16, payload []byte) []byte {
	b := append(append(append([]byte(nil), dst[:]...), src[:]...), byte(ethType>>8), byte(ethType))
	return append(b, payload...)
}

var (
	lldpGroup = flow.MAC{0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e}
	cdpGroup  = flow.MAC{0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc}
	pumpMAC   = flow.MAC{0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc}
)

// pumpLLDPDU: chassis and port id (MAC), TTL, system name and
// description, a management address, LLDP-MED manufacturer and model.
var pumpLLDPDU = []byte{
	0x02, 0x07, 0x04, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc,
	0x04, 0x07, 0x03, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc,
	0x06, 0x02, 0x00, 0x78,
	0x0a, 0x07, 'p', 'u', 'm', 'p', '-', '0', '7',
	0x0c, 0x05, 'O', 'S', ' ', '2', '4',
	0x10, 0x0c, 0x05, 0x01, 10, 216, 0, 11, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00,
	0xfe, 0x0b, 0x00, 0x12, 0xbb, 0x09, 'C', 'o', 'n', 't', 'o', 's', 'o',
	0xfe, 0x0a, 0x00, 0x12, 0xbb, 0x0a, 'I', 'P', '-', '3', '0', '0',
	0x00, 0x00,
}

// cdpPacket: a CDP header (checksum not set) and a device id, an IPv4
// address, a port id, software version, platform and native VLAN 20.
var cdpPacket = []byte{
	0x02, 0xb4, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x07, 's', 'w', '1',
	0x00, 0x02, 0x00, 0x11, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0xcc, 0x00, 0x04, 10, 216, 0, 12,
	0x00, 0x03, 0x00, 0x0a, 'G', 'i', '0', '/', '1', '1',
	0x00, 0x05, 0x00, 0x08, 'I', 'O', 'S', '!',
	0x00, 0x06, 0x00, 0x09, 'C', '9', '2', '0', '0',
	0x00, 0x0a, 0x00, 0x06, 0x00, 0x14,
}

func snap(pid uint16, payload []byte) []byte {
	return append([]byte{0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, byte(pid >> 8), byte(pid)}, payload...)
}

func TestEvents(t *testing.T) {
	var got []string
	var ids []string
	e := pkttestEngine(t, flow.SinkFunc(func(ev *flow.Event) {
		got = append(got, string(flow.AppendEventJSON(nil, ev)))
		if id, ok := ev.Detail.(flow.Identifier); ok {
			id.Identify(ev.Kind, nil, func(i flow.Identity) { ids = append(ids, i.Kind+"="+string(i.Name)) })
		}
		switch d := ev.Detail.(type) {
		case *lldpflow.Advertisement:
			ids = append(ids, "lldp mgmt="+d.MgmtAddr().String())
		case *lldpflow.CDP:
			ids = append(ids, "cdp mgmt="+d.MgmtAddr().String())
		}
	}))
	cdpFrame := snap(lldpflow.SNAPCDP, cdpPacket)
	for _, f := range [][]byte{
		ethFrame(lldpGroup, pumpMAC, lldpflow.EtherTypeLLDP, pumpLLDPDU),
		ethFrame(cdpGroup, pumpMAC, uint16(len(cdpFrame)), cdpFrame),
		ethFrame(lldpGroup, pumpMAC, lldpflow.EtherTypeLLDP, pumpLLDPDU[9:]),             // no chassis id
		ethFrame(cdpGroup, pumpMAC, uint16(len(cdpFrame)-4), cdpFrame[:len(cdpFrame)-4]), // a cut TLV
	} {
		if err := e.Packet(pkttest.T0, flow.LinkEthernet, f); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		`{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"lldp","kind":"advertisement","src":"00:1b:21:aa:bb:cc","dst":"01:80:c2:00:00:0e","chassis_id":"00:1b:21:aa:bb:cc","chassis_id_subtype":"mac","port_id":"00:1b:21:aa:bb:cc","port_id_subtype":"mac","ttl":120,"system_name":"pump-07","system_description":"OS 24","mgmt_addr":"10.216.0.11","manufacturer":"Contoso","model":"IP-300"}`,
		`{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"cdp","kind":"advertisement","src":"00:1b:21:aa:bb:cc","dst":"01:00:0c:cc:cc:cc","version":2,"ttl":180,"device_id":"sw1","addresses":["10.216.0.12"],"mgmt_addr":"10.216.0.12","port_id":"Gi0/11","software_version":"IOS!","platform":"C9200","native_vlan":20,"checksum_ok":false}`,
		`{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"lldp","kind":"error","src":"00:1b:21:aa:bb:cc","dst":"01:80:c2:00:00:0e","offset":0,"error":"lldp: chassis id, port id and TTL must come first, once each at offset 0"}`,
		`{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"cdp","kind":"error","src":"00:1b:21:aa:bb:cc","dst":"01:00:0c:cc:cc:cc","offset":55,"error":"cdp: truncated at offset 55"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantIDs := "host=pump-07 os=OS 24 vendor=Contoso IP-300 lldp mgmt=10.216.0.11 host=sw1 os=IOS! vendor=C9200 cdp mgmt=10.216.0.12"
	if strings.Join(ids, " ") != wantIDs {
		t.Errorf("identities %q\nwant       %q", strings.Join(ids, " "), wantIDs)
	}
}

func pkttestEngine(t testing.TB, sink flow.Sink) *flow.Engine {
	t.Helper()
	e, err := flow.NewEngine(flow.Config{Protocols: []string{lldpflow.Name, lldpflow.NameCDP}}, sink)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestSteadyAllocs checks that an advertisement, its JSON and its
// identities cost no allocation once the engine and the Details are warm.
func TestSteadyAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("the race detector allocates")
	}
	buf, idBuf := make([]byte, 0, 4096), make([]byte, 0, 256)
	events := 0
	yield := func(flow.Identity) {}
	e := pkttestEngine(t, flow.SinkFunc(func(ev *flow.Event) {
		events++
		buf = flow.AppendEventJSON(buf[:0], ev)
		if id, ok := ev.Detail.(flow.Identifier); ok {
			id.Identify(ev.Kind, idBuf[:0], yield)
		}
	}))
	cdpFrame := snap(lldpflow.SNAPCDP, cdpPacket)
	frames := [][]byte{ethFrame(lldpGroup, pumpMAC, lldpflow.EtherTypeLLDP, pumpLLDPDU), ethFrame(cdpGroup, pumpMAC, uint16(len(cdpFrame)), cdpFrame)}
	frames = append(frames, pcaptest.Frames(t, lldpPcap)...)
	frames = append(frames, pcaptest.Frames(t, cdpPcap)...)
	feed := func() {
		for _, f := range frames {
			e.Packet(pkttest.T0, flow.LinkEthernet, f)
		}
	}
	feed()
	if n := testing.AllocsPerRun(20, feed); n != 0 {
		t.Errorf("%.1f allocations per %d frames, want 0", n, len(frames))
	}
	if events != 22*len(frames) {
		t.Errorf("%d events for %d frames", events, 22*len(frames))
	}
}
