package lldp

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func TestParseFull(t *testing.T) {
	var a Advertisement
	if err := Parse(fullLLDPDU(), &a); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"chassis subtype", a.ChassisSubtype.String(), "mac"},
		{"chassis id", string(a.AppendChassisID(nil)), "00:1b:21:aa:bb:cc"},
		{"port subtype", a.PortSubtype.String(), "interface-name"},
		{"port id", string(a.AppendPortID(nil)), "Gi1/0/7"},
		{"port description", string(a.PortDescription), "ward 7 bed 3"},
		{"system name", string(a.SystemName), "pump-07.ward7.example"},
		{"system description", string(a.SystemDescription), "Contoso IP-300 fw 2.4.1"},
		{"supported", a.Supported.String(), "bridge,telephone,station"},
		{"enabled", a.Enabled.String(), "telephone"},
		{"mgmt 0", string(a.MgmtAddrs[0].AppendAddr(nil)), "10.216.0.11"},
		{"mgmt 0 if", a.MgmtAddrs[0].IfSubtype.String(), "ifindex"},
		{"mgmt 1", string(a.MgmtAddrs[1].AppendAddr(nil)), "fd00::b"},
		{"mgmt 1 if", a.MgmtAddrs[1].IfSubtype.String(), "system-port"},
		{"mgmt 2", string(a.MgmtAddrs[2].AppendAddr(nil)), "02:00:00:00:00:01"},
		{"mgmt 2 family", a.MgmtAddrs[2].Family.String(), "802"},
		{"mgmt ip", a.MgmtIP().String(), "10.216.0.11"},
		{"med type", a.MEDDeviceType.String(), "endpoint-class-3"},
		{"policy app", a.Policies[0].App.String(), "voice"},
		{"hw", string(a.HardwareRevision), "rev C"},
		{"fw", string(a.FirmwareRevision), "2.4.1"},
		{"sw", string(a.SoftwareRevision), "2.4.1-77"},
		{"serial", string(a.SerialNumber), "CM300-0042"},
		{"manufacturer", string(a.Manufacturer), "Contoso Medical"},
		{"model", string(a.Model), "IP-300"},
		{"asset", string(a.AssetID), "BIOMED-11873"},
		{"org 0", a.OrgTLVs[0].Name(), "ieee-802.1/port-vlan-id"},
		{"org 1", a.OrgTLVs[1].Name(), "ieee-802.3/max-frame-size"},
		{"org last", a.OrgTLVs[a.NumOrgTLVs-1].Name(), ""},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if a.TTL != 120 || a.NumMgmtAddrs != 3 || a.PortVLAN != 500 || !a.HasMED || a.MEDCapabilities != 0x33 ||
		a.NumPolicies != 1 || a.NumOrgTLVs != 12 || a.Dropped != 0 {
		t.Errorf("TTL %d, %d mgmt, PVID %d, MED %v %#x, %d policies, %d org, %d dropped",
			a.TTL, a.NumMgmtAddrs, a.PortVLAN, a.HasMED, a.MEDCapabilities, a.NumPolicies, a.NumOrgTLVs, a.Dropped)
	}
	if p := a.Policies[0]; p != (NetworkPolicy{App: 1, Tagged: true, VLAN: 500, Priority: 6, DSCP: 46}) {
		t.Errorf("policy %+v", p)
	}
	if a.MgmtAddrs[1].IfNumber != 9 || string(a.MgmtAddrs[1].OID) != "\x2b\x06\x01" || a.MgmtAddrs[0].IfNumber != 3 {
		t.Errorf("mgmt 1 interface %d OID % x", a.MgmtAddrs[1].IfNumber, a.MgmtAddrs[1].OID)
	}
	if a.OrgTLVs[11].OUI != 0x00000c || a.OrgTLVs[11].Subtype != 1 || string(a.OrgTLVs[11].Info) != "\xde\xad" {
		t.Errorf("unknown org TLV %+v", a.OrgTLVs[11])
	}
}

func TestParseErrors(t *testing.T) {
	m := mandatory()
	for _, tt := range []struct {
		name string
		in   []byte
		want error
		off  int64
	}{
		{"empty", nil, ErrMandatory, 0},
		{"end only", tlv(TypeEnd), ErrMandatory, 0},
		{"one byte", []byte{2}, ErrTruncated, 0},
		{"port first", cat(m[9:], m[:9]), ErrMandatory, 0},
		{"no TTL", cat(m[:19], tlv(TypeEnd)), ErrMandatory, 19},
		{"TTL twice", cat(m, tlv(TypeTTL, 0, 1)), ErrMandatory, 23},
		{"chassis twice", cat(m, m[:9]), ErrMandatory, 23},
		{"truncated value", cat(m, []byte{byte(TypeSystemName) << 1, 10, 'a'}), ErrTruncated, 23},
		{"truncated header", cat(m, []byte{byte(TypeSystemName) << 1}), ErrTruncated, 23},
		{"chassis id too short", cat(tlv(TypeChassisID, 4), m[9:]), ErrLength, 0},
		{"TTL too short", cat(m[:19], tlv(TypeTTL, 1)), ErrLength, 19},
		{"capabilities length", cat(m, tlv(TypeSystemCapabilities, 0, 4)), ErrLength, 23},
		{"mgmt short", cat(m, tlv(TypeManagementAddress, 5, 1, 10, 0, 0, 1, 2, 0, 0)), ErrLength, 23},
		{"mgmt address length", cat(m, tlv(TypeManagementAddress, 40, 1, 10, 0, 0, 1, 2, 0, 0, 0, 1, 0)), ErrLength, 23},
		{"mgmt OID length", cat(m, tlv(TypeManagementAddress, 5, 1, 10, 0, 0, 1, 2, 0, 0, 0, 1, 5, 1)), ErrLength, 23},
		{"org short", cat(m, tlv(TypeOrgSpecific, 0, 0x12, 0xbb)), ErrLength, 23},
		{"MED capabilities length", cat(m, org(OUIMED, 1, 0, 0x33)), ErrLength, 23},
		{"MED policy length", cat(m, org(OUIMED, 2, 1, 0, 0)), ErrLength, 23},
		{"PVID length", cat(m, org(OUIIEEE8021, 1, 1)), ErrLength, 23},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var a Advertisement
			err := Parse(tt.in, &a)
			var e *Error
			if !errors.Is(err, tt.want) || !errors.As(err, &e) || e.Offset != tt.off {
				t.Fatalf("err = %v, want %v at offset %d", err, tt.want, tt.off)
			}
			if !strings.HasPrefix(err.Error(), "lldp: ") || e.ByteOffset() != tt.off {
				t.Errorf("message %q", err)
			}
		})
	}
}

// TestParseLimits checks that TLVs past the fixed arrays and repeated
// optional TLVs are counted, the first ones kept.
func TestParseLimits(t *testing.T) {
	in := mandatory()
	for i := range MaxMgmtAddrs + 2 {
		in = cat(in, tlv(TypeManagementAddress, 5, 1, 10, 216, 0, byte(i), 2, 0, 0, 0, 1, 0))
	}
	for range MaxOrgTLVs + 1 {
		in = cat(in, org(OUIMED, 2, 1, 0, 0, 0))
	}
	in = cat(in, str(TypeSystemName, "first"), str(TypeSystemName, "second"), org(OUIMED, 10, []byte("m1")...), org(OUIMED, 10, []byte("m2")...))
	var a Advertisement
	if err := Parse(in, &a); err != nil {
		t.Fatal(err)
	}
	// 2 addresses, 3 org TLVs past their array (2 of which are also past
	// the policies'), 9 policies past theirs, a name and a model.
	if a.NumMgmtAddrs != MaxMgmtAddrs || a.NumOrgTLVs != MaxOrgTLVs || a.NumPolicies != MaxPolicies ||
		string(a.SystemName) != "first" || string(a.Model) != "m1" || a.Dropped != 2+3+9+1+1 {
		t.Errorf("%d mgmt, %d org, %d policies, name %q, model %q, dropped %d",
			a.NumMgmtAddrs, a.NumOrgTLVs, a.NumPolicies, a.SystemName, a.Model, a.Dropped)
	}
	if a.MgmtIP() != netip.MustParseAddr("10.216.0.0") {
		t.Errorf("mgmt ip %v", a.MgmtIP())
	}
}

func TestReader(t *testing.T) {
	var r Reader
	r.Reset(fullLLDPDU())
	var types []TLVType
	for r.Next() {
		types = append(types, r.TLV().Type)
	}
	if r.Err() != nil || len(types) != 23 || types[0] != TypeChassisID || types[22] != 42 {
		t.Errorf("types %v, err %v", types, r.Err())
	}
	if r.Next() {
		t.Error("Next after the end")
	}
	// Without an End TLV, the data's end ends the LLDPDU.
	r.Reset(mandatory())
	n := 0
	for r.Next() {
		n++
	}
	if n != 3 || r.Err() != nil {
		t.Errorf("%d TLVs, %v", n, r.Err())
	}
}

func TestNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{ChassisIDSubtype(9).String(), "ChassisIDSubtype(9)"},
		{TypeOrgSpecific.String(), "org-specific"},
		{TLVType(42).String(), "TLVType(42)"},
		{TypeManagementAddress.String(), "management-address"},
		{PortIDSubtype(0).String(), "PortIDSubtype(0)"},
		{PortAgentCircuitID.String(), "agent-circuit-id"},
		{AddrFamily(9).String(), "AddrFamily(9)"},
		{IfNumbering(0).String(), "IfNumbering(0)"},
		{IfUnknown.String(), "unknown"},
		{(CapOther | CapTPMR | 1<<15).String(), "other,tpmr,bit15"},
		{Capabilities(0).String(), ""},
		{CapabilityName(4), "router"},
		{MEDDeviceType(9).String(), "MEDDeviceType(9)"},
		{MEDNetworkConn.String(), "network-connectivity"},
		{AppType(8).String(), "video-signaling"},
		{AppType(9).String(), "AppType(9)"},
		{(&OrgTLV{OUI: OUIMED, Subtype: 12}).Name(), ""},
		{(&OrgTLV{OUI: OUIMED, Subtype: 11}).Name(), "med/inventory-asset-id"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	// Network-address ids, and ids of other subtypes as their bytes.
	for _, c := range []struct {
		a    Advertisement
		want string
	}{
		{Advertisement{ChassisSubtype: ChassisNetworkAddress, ChassisID: []byte{1, 10, 216, 0, 1}}, "10.216.0.1"},
		{Advertisement{ChassisSubtype: ChassisNetworkAddress, ChassisID: []byte{9, 1, 2}}, "090102"},
		{Advertisement{ChassisSubtype: ChassisMAC, ChassisID: []byte{1, 2}}, "\x01\x02"},
		{Advertisement{ChassisSubtype: ChassisLocal, ChassisID: []byte("rack-7")}, "rack-7"},
	} {
		if got := string(c.a.AppendChassisID(nil)); got != c.want {
			t.Errorf("chassis id %q, want %q", got, c.want)
		}
	}
	a := Advertisement{PortSubtype: PortNetworkAddress, PortID: []byte{2, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}
	if got := string(a.AppendPortID(nil)); got != "fe80::1" {
		t.Errorf("port id %q", got)
	}
	m := ManagementAddress{Family: 16, Addr: []byte{0xab, 0xcd}}
	if got := string(m.AppendAddr(nil)); got != "abcd" {
		t.Errorf("address %q", got)
	}
}

var sniffTests = []struct {
	name string
	in   []byte
	want bool
}{
	{"full", fullLLDPDU(), true},
	{"mandatory", mandatory(), true},
	{"empty", nil, false},
	{"short", []byte{2, 7, 4}, false},
	{"port first", tlv(TypePortID, 5, 'e', 't', 'h'), false},
	{"subtype 0", tlv(TypeChassisID, 0, 1, 2), false},
	{"subtype 8", tlv(TypeChassisID, 8, 1, 2), false},
	{"length 1", tlv(TypeChassisID, 4), false},
	{"length past data", []byte{2, 20, 4, 1, 2}, false},
	{"IPv4", []byte{0x45, 0, 0, 20}, false},
}

func TestSniff(t *testing.T) {
	for _, tt := range sniffTests {
		if got := Sniff(tt.in); got != tt.want {
			t.Errorf("%s: Sniff = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestCapture reads every LLDPDU lldpd sent in testdata/lldp.pcap (see
// testdata/record.sh) and checks what the peers were configured with.
func TestCapture(t *testing.T) {
	pdus := lldpdus(t, "testdata/lldp.pcap")
	names := map[string]int{}
	shutdowns := 0
	for i, p := range pdus {
		if !Sniff(p) {
			t.Errorf("frame %d: Sniff false", i)
		}
		var a Advertisement
		if err := Parse(p, &a); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if a.TTL == 0 {
			shutdowns++
			continue
		}
		names[string(a.SystemName)]++
		switch string(a.SystemName) {
		case "mtll-infusion-pump-07":
			got := strings.Join([]string{string(a.Manufacturer), string(a.Model), string(a.SerialNumber), string(a.HardwareRevision),
				string(a.FirmwareRevision), string(a.SoftwareRevision), string(a.AssetID), a.MEDDeviceType.String(), a.MgmtIP().String()}, "|")
			if want := "Contoso Medical|IP-300 Infusion Pump|CM300-0042|rev C|2.4.1|2.4.1-build77|BIOMED-11873|endpoint-class-3|10.216.0.11"; got != want {
				t.Errorf("pump: %s, want %s", got, want)
			}
		case "mtll-access-sw1":
			if a.PortSubtype != PortInterfaceName || string(a.PortID) != "mtllv2" || a.Enabled != CapRouter || a.MEDDeviceType != MEDNetworkConn {
				t.Errorf("switch: port %v %q, enabled %v, MED %v", a.PortSubtype, a.PortID, a.Enabled, a.MEDDeviceType)
			}
		case "mtll-ward-phone":
			if a.ChassisSubtype != ChassisLocal || string(a.ChassisID) != "phone-chassis-13" || a.NumPolicies != 1 ||
				a.Policies[0] != (NetworkPolicy{App: 1, VLAN: 500, Priority: 5, DSCP: 46}) {
				t.Errorf("phone: chassis %v %q, policies %+v", a.ChassisSubtype, a.ChassisID, a.Policies[:a.NumPolicies])
			}
		default:
			t.Errorf("frame %d: system name %q", i, a.SystemName)
		}
	}
	if len(names) != 3 || shutdowns != 3 {
		t.Errorf("advertisements %v, %d shutdowns", names, shutdowns)
	}
}
