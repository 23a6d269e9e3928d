package snmp

import (
	"errors"
	"strings"
	"testing"
)

func TestParseResponse(t *testing.T) {
	var m Message
	if err := Parse(sysResponse(), &m); err != nil {
		t.Fatal(err)
	}
	p := &m.PDU
	if m.Version != V2c || string(m.Community) != "public" || !m.HasPDU || p.Type != Response || p.RequestID != 1234 ||
		p.ErrorStatus != NoError || p.NumVarBinds() != 13 {
		t.Fatalf("%v %q %v %v id %d status %v, %d bindings", m.Version, m.Community, m.HasPDU, p.Type, p.RequestID, p.ErrorStatus, p.NumVarBinds())
	}
	var got []string
	it := p.VarBinds()
	for it.Next() {
		vb := it.VarBind()
		got = append(got, vb.Name.String()+"="+vb.Value.Type.String()+":"+string(vb.Value.AppendTo(nil)))
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	want := []string{
		"1.3.6.1.2.1.1.1.0=OCTET STRING:Contoso PG-2, Linux 5.10",
		"1.3.6.1.2.1.1.2.0=OBJECT IDENTIFIER:1.3.6.1.4.1.19816.1.2",
		"1.3.6.1.2.1.1.3.0=TimeTicks:39436",
		"1.3.6.1.2.1.1.4.0=OCTET STRING:biomed@ward7.example",
		"1.3.6.1.2.1.1.5.0=OCTET STRING:pacs-gw",
		"1.3.6.1.2.1.1.6.0=OCTET STRING:Ward 7",
		"1.3.6.1.2.1.2.2.1.10.1=Counter32:4294967295",
		"1.3.6.1.2.1.2.2.1.5.1=Gauge32:1000000000",
		"1.3.6.1.2.1.31.1.1.1.6.1=Counter64:72057594037927938",
		"1.3.6.1.2.1.4.20.1.1.10.216.0.20=IpAddress:10.216.0.20",
		"1.3.6.1.2.1.2.2.1.1.1=INTEGER:-5",
		"1.3.6.1.2.1.1.99.0=noSuchObject:noSuchObject",
		"1.3.6.1.9=endOfMibView:endOfMibView",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bindings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	v, ok := p.Lookup(MustParseOID("1.3.6.1.2.1.1.2.0"))
	o, isOID := v.OID()
	if n, has := o.Enterprise(); !ok || !isOID || !has || n != 19816 || EnterpriseName(n) != "Philips Medizin Systeme Boeblingen GmbH" {
		t.Errorf("sysObjectID %v: enterprise %d %v", o, n, has)
	}
	if _, ok := p.Lookup(MustParseOID("1.3.6.1.2.1.1.7.0")); ok {
		t.Error("found a binding that is not there")
	}
}

func TestParseOtherPDUs(t *testing.T) {
	trap := tlv(TagSequence, integer(0), octets("public"), tlv(byte(TrapV1),
		oid("1.3.6.1.4.1.8072.2.3"), tlv(byte(TypeIPAddress), []byte{10, 216, 0, 20}), integer(6), integer(17),
		tlv(byte(TypeTimeTicks), []byte{0x03, 0x33, 0x7d}), tlv(TagSequence, varbind("1.3.6.1.2.1.1.5.0", octets("gw")))))
	var m Message
	if err := Parse(trap, &m); err != nil {
		t.Fatal(err)
	}
	p := &m.PDU
	if m.Version != V1 || p.Type != TrapV1 || p.Enterprise.String() != "1.3.6.1.4.1.8072.2.3" || string(p.AgentAddr) != "\x0a\xd8\x00\x14" ||
		p.GenericTrap.String() != "enterpriseSpecific" || p.SpecificTrap != 17 || p.Timestamp != 209789 || p.NumVarBinds() != 1 {
		t.Errorf("trap: %+v", p)
	}
	bulk := message(1, "c", tlv(byte(GetBulkRequest), integer(7), integer(1), integer(4), tlv(TagSequence, varbind("1.3.6.1.2.1.1", tlv(TagNull)))))
	if err := Parse(bulk, &m); err != nil || m.PDU.Type != GetBulkRequest || m.PDU.NonRepeaters != 1 || m.PDU.MaxRepetitions != 4 || m.PDU.ErrorStatus != 0 {
		t.Errorf("get-bulk: %v %+v", err, m.PDU)
	}
	set := message(0, "public", pdu(Response, 9, 2, 1, varbind("1.3.6.1.2.1.1.99.0", tlv(TagNull))))
	if err := Parse(set, &m); err != nil || m.PDU.ErrorStatus != NoSuchName || m.PDU.ErrorIndex != 1 {
		t.Errorf("error response: %v %+v", err, m.PDU)
	}
}

// usmParams builds UsmSecurityParameters.
func usmParams(user string) []byte {
	return tlv(TagSequence, octets("\x80\x00\x1f\x88\x80engine"), integer(3), integer(1234), octets(user), octets(""), octets(""))
}

func v3Message(flags byte, user string, data []byte) []byte {
	return tlv(TagSequence, integer(3), tlv(TagSequence, integer(42), integer(65507), tlv(TagOctetString, []byte{flags}), integer(3)),
		tlv(TagOctetString, usmParams(user)), data)
}

func TestParseV3(t *testing.T) {
	plain := v3Message(4, "nurse", tlv(TagSequence, octets("\x80\x00\x1f\x88\x80engine"), octets(""),
		pdu(GetRequest, 77, 0, 0, varbind("1.3.6.1.2.1.1.5.0", tlv(TagNull)))))
	var m Message
	if err := Parse(plain, &m); err != nil {
		t.Fatal(err)
	}
	h := &m.V3
	if m.Version != V3 || h.MsgID != 42 || h.MaxSize != 65507 || h.Flags != 4 || h.SecurityModel.String() != "usm" ||
		string(h.UserName) != "nurse" || h.EngineBoots != 3 || h.EngineTime != 1234 || h.Encrypted || !m.HasPDU ||
		m.PDU.Type != GetRequest || m.PDU.RequestID != 77 || m.Community != nil || h.Authenticated() || h.Private() {
		t.Errorf("v3 plaintext: %+v", m)
	}
	enc := v3Message(7, "nurse", octets("\x01\x02\x03 ciphertext"))
	if err := Parse(enc, &m); err != nil || !m.V3.Encrypted || m.HasPDU || string(m.V3.UserName) != "nurse" || !m.V3.Private() || !m.V3.Authenticated() {
		t.Errorf("v3 encrypted: %v %+v", err, m)
	}
	// A discovery request has empty security parameters' fields.
	disc := v3Message(4, "", tlv(TagSequence, octets(""), octets(""), pdu(GetRequest, 1, 0, 0)))
	if err := Parse(disc, &m); err != nil || len(m.V3.UserName) != 0 || m.PDU.NumVarBinds() != 0 {
		t.Errorf("discovery: %v %+v", err, m)
	}
}

func TestParseErrors(t *testing.T) {
	good := message(1, "public", pdu(GetRequest, 1, 0, 0, varbind("1.3.6.1.2.1.1.1.0", tlv(TagNull))))
	for _, tt := range []struct {
		name string
		in   []byte
		want error
		off  int64
	}{
		{"empty", nil, ErrTruncated, 0},
		{"not a sequence", octets("x"), ErrTag, 0},
		{"trailing", append(good, 0), ErrTrailing, int64(len(good))},
		{"truncated", good[:len(good)-1], ErrTruncated, 0},
		{"indefinite length", []byte{0x30, 0x80, 0, 0}, ErrLength, 0},
		{"5 length octets", []byte{0x30, 0x85, 0, 0, 0, 0, 1, 0}, ErrLength, 0},
		{"high tag number", []byte{0x30, 3, 0x1f, 0x81, 0}, ErrTag, 2},
		{"version", message(2, "public", pdu(GetRequest, 1, 0, 0)), ErrVersion, 2},
		{"version too long", tlv(TagSequence, tlv(TagInteger, make([]byte, 9)), octets("c")), ErrInteger, 2},
		{"community type", tlv(TagSequence, integer(1), integer(1), pdu(GetRequest, 1, 0, 0)), ErrTag, 5},
		{"PDU tag", message(1, "c", tlv(0xa9, integer(1))), ErrTag, 8},
		{"PDU primitive", message(1, "c", tlv(0x30, integer(1))), ErrTag, 8},
		{"missing error index", message(1, "c", tlv(byte(GetRequest), integer(1), integer(0), tlv(TagSequence))), ErrTag, 16},
		{"varbind not a sequence", message(1, "c", pdu(GetRequest, 1, 0, 0, octets("x"))), ErrTag, 21},
		{"name not an OID", message(1, "c", pdu(GetRequest, 1, 0, 0, tlv(TagSequence, octets("x"), tlv(TagNull)))), ErrTag, 23},
		{"empty OID", message(1, "c", pdu(GetRequest, 1, 0, 0, tlv(TagSequence, tlv(TagOID), tlv(TagNull)))), ErrOID, 23},
		{"OID arc past 32 bits", message(1, "c", pdu(GetRequest, 1, 0, 0, tlv(TagSequence, tlv(TagOID, []byte{0x2b, 0x90, 0x80, 0x80, 0x80, 0}), tlv(TagNull)))), ErrOID, 23},
		{"OID not minimal", message(1, "c", pdu(GetRequest, 1, 0, 0, tlv(TagSequence, tlv(TagOID, []byte{0x2b, 0x80, 1}), tlv(TagNull)))), ErrOID, 23},
		{"OID cut", message(1, "c", pdu(GetRequest, 1, 0, 0, tlv(TagSequence, tlv(TagOID, []byte{0x2b, 0x86}), tlv(TagNull)))), ErrOID, 23},
		{"value missing", message(1, "c", pdu(GetRequest, 1, 0, 0, tlv(TagSequence, oid("1.3.6")))), ErrTruncated, 27},
		{"value constructed", message(1, "c", pdu(GetRequest, 1, 0, 0, varbind("1.3.6", tlv(TagSequence)))), ErrTag, 27},
		{"varbind trailing", message(1, "c", pdu(GetRequest, 1, 0, 0, tlv(TagSequence, oid("1.3.6"), tlv(TagNull), tlv(TagNull)))), ErrTrailing, 29},
		{"NULL with contents", message(1, "c", pdu(GetRequest, 1, 0, 0, varbind("1.3.6", tlv(TagNull, []byte{0})))), ErrLength, 27},
		{"IpAddress length", message(1, "c", pdu(Response, 1, 0, 0, varbind("1.3.6", tlv(byte(TypeIPAddress), []byte{1, 2, 3})))), ErrLength, 27},
		{"Counter32 too long", message(1, "c", pdu(Response, 1, 0, 0, varbind("1.3.6", tlv(byte(TypeCounter32), []byte{1, 2, 3, 4, 5})))), ErrInteger, 27},
		{"empty INTEGER", message(1, "c", pdu(Response, 1, 0, 0, varbind("1.3.6", tlv(TagInteger)))), ErrInteger, 27},
		{"value OID", message(1, "c", pdu(Response, 1, 0, 0, varbind("1.3.6", tlv(TagOID)))), ErrOID, 27},
		{"PDU trailing", message(1, "c", tlv(byte(GetRequest), integer(1), integer(0), integer(0), tlv(TagSequence), integer(5))), ErrTrailing, 21},
		{"trap agent address", message(0, "c", tlv(byte(TrapV1), oid("1.3.6.1.4.1.9"), tlv(byte(TypeIPAddress), []byte{1}), integer(0), integer(0), tlv(byte(TypeTimeTicks), []byte{1}), tlv(TagSequence))), ErrLength, 18},
		{"v3 flags length", tlv(TagSequence, integer(3), tlv(TagSequence, integer(1), integer(1), octets("ab"), integer(3))), ErrLength, 13},
		{"v3 global trailing", tlv(TagSequence, integer(3), tlv(TagSequence, integer(1), integer(1), octets("a"), integer(3), integer(0))), ErrTrailing, 19},
		{"v3 msgData", tlv(TagSequence, integer(3), tlv(TagSequence, integer(1), integer(1), octets("a"), integer(3)), octets(""), integer(1)), ErrTag, 21},
		{"v3 USM", tlv(TagSequence, integer(3), tlv(TagSequence, integer(1), integer(1), octets("a"), integer(3)), octets("\x30\x00"), octets("")), ErrTruncated, 23},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var m Message
			err := Parse(tt.in, &m)
			var e *Error
			if !errors.Is(err, tt.want) || !errors.As(err, &e) || e.ByteOffset() != tt.off {
				t.Fatalf("err = %v, want %v at %d", err, tt.want, tt.off)
			}
			if !strings.HasPrefix(err.Error(), "snmp: ") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestMaxOIDLen(t *testing.T) {
	long := "1.3"
	for range 200 {
		long += ".1"
	}
	msg := message(1, "c", pdu(GetRequest, 1, 0, 0, varbind(long, tlv(TagNull))))
	var m Message
	if err := Parse(msg, &m); !errors.Is(err, ErrOID) {
		t.Errorf("202 arcs: %v", err)
	}
	p := Parser{MaxOIDLen: 300}
	if err := p.Parse(msg, &m); err != nil {
		t.Errorf("202 arcs within 300: %v", err)
	}
	p.MaxOIDLen = 3
	if err := p.Parse(message(1, "c", pdu(GetRequest, 1, 0, 0, varbind("1.3.6.1", tlv(TagNull)))), &m); !errors.Is(err, ErrOID) {
		t.Errorf("4 arcs within 3: %v", err)
	}
}

func TestOID(t *testing.T) {
	for _, s := range []string{"1.3.6.1.2.1.1.1.0", "0.0", "2.999.4294967295", "1.3.6.1.4.1.4294967295.0", "2.4294967215"} {
		o, err := ParseOID(s)
		if err != nil {
			t.Errorf("ParseOID(%q): %v", s, err)
			continue
		}
		if got := o.String(); got != s {
			t.Errorf("ParseOID(%q).String() = %q", s, got)
		}
		if bad := CheckOID(o.Bytes(), 0); bad != -1 {
			t.Errorf("CheckOID(%q) = %d", s, bad)
		}
	}
	if o := MustParseOID(".1.3.6"); o.String() != "1.3.6" || string(o.Bytes()) != "\x2b\x06" {
		t.Errorf("leading dot: %q", o.Bytes())
	}
	for _, s := range []string{"", "1", "3.1", "1.40", "1..3", "1.3.", "1.3.x", "1.3.4294967296", "2.4294967216", "-1.3"} {
		if _, err := ParseOID(s); !errors.Is(err, ErrOID) {
			t.Errorf("ParseOID(%q) = %v, want ErrOID", s, err)
		}
	}
	sys := MustParseOID("1.3.6.1.2.1.1")
	if !MustParseOID("1.3.6.1.2.1.1.5.0").HasPrefix(sys) || MustParseOID("1.3.6.1.2.1.11.5").HasPrefix(sys) ||
		sys.HasPrefix(MustParseOID("1.3.6.1.2.1.1.5")) || sys.HasPrefix(OID{}) || !sys.Equal(MustParseOID("1.3.6.1.2.1.1")) {
		t.Error("HasPrefix or Equal")
	}
	var arcs []uint32
	it := MustParseOID("2.100.3").Arcs()
	for it.Next() {
		arcs = append(arcs, it.Arc())
	}
	if it.Err() != nil || len(arcs) != 3 || arcs[0] != 2 || arcs[1] != 100 || arcs[2] != 3 {
		t.Errorf("arcs %v, %v", arcs, it.Err())
	}
	bad := OIDFromBytes([]byte{0x2b, 6, 0x81})
	if got := bad.String(); got != "1.3.6?" {
		t.Errorf("bad OID prints %q", got)
	}
	it = bad.Arcs()
	for it.Next() {
	}
	if !errors.Is(it.Err(), ErrOID) || CheckOID(bad.Bytes(), 0) != 2 {
		t.Errorf("bad OID: %v, check %d", it.Err(), CheckOID(bad.Bytes(), 0))
	}
	it = OID{}.Arcs()
	if it.Next() || it.Err() == nil {
		t.Error("empty OID iterates")
	}
	if n, ok := MustParseOID("1.3.6.1.4.1").Enterprise(); ok {
		t.Errorf("enterprises itself: %d", n)
	}
	if n, ok := MustParseOID("1.3.6.1.4.1.9.1.516").Enterprise(); !ok || n != 9 || EnterpriseName(n) != "ciscoSystems" || EnterpriseName(1) != "" {
		t.Errorf("cisco: %d %v", n, ok)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParseOID did not panic")
		}
	}()
	MustParseOID("x")
}

func TestValue(t *testing.T) {
	for _, tt := range []struct {
		v    Value
		want string
	}{
		{Value{Type: TypeInteger, Bytes: []byte{0xff, 0x7f}}, "-129"},
		{Value{Type: TypeInteger, Bytes: make([]byte, 9)}, "000000000000000000"},
		{Value{Type: TypeGauge32, Bytes: []byte{0xff, 0xff, 0xff, 0xff}}, "4294967295"},
		{Value{Type: TypeCounter64, Bytes: []byte{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}, "18446744073709551615"},
		{Value{Type: TypeUInteger32, Bytes: []byte{1, 0, 0, 0, 0}}, "0100000000"},
		{Value{Type: TypeOpaque, Bytes: []byte("ab")}, "ab"},
		{Value{Type: TypeNull}, ""},
		{Value{Type: TypeNoSuchInstance}, "noSuchInstance"},
		{Value{Type: TypeIPAddress, Bytes: []byte{1, 2}}, "0102"},
		{Value{Type: 0x99, Bytes: []byte{1}}, "01"},
	} {
		if got := string(tt.v.AppendTo(nil)); got != tt.want {
			t.Errorf("%v % x: %q, want %q", tt.v.Type, tt.v.Bytes, got, tt.want)
		}
	}
	if _, err := (Value{Type: TypeOctetString}).Int(); !errors.Is(err, ErrTag) {
		t.Errorf("Int of a string: %v", err)
	}
	if _, err := (Value{Type: TypeInteger, Bytes: []byte{1}}).Uint(); !errors.Is(err, ErrTag) {
		t.Errorf("Uint of an INTEGER: %v", err)
	}
	for _, c := range []struct{ got, want string }{
		{ValueType(0x99).String(), "ValueType(0x99)"},
		{TypeNsapAddress.String(), "NsapAddress"},
		{PDUType(0xa9).String(), "PDUType(0xa9)"},
		{TrapV2.String(), "snmpv2-trap"},
		{GetBulkRequest.String(), "get-bulk-request"},
		{ErrorStatus(19).String(), "ErrorStatus(19)"},
		{InconsistentName.String(), "inconsistentName"},
		{GenericTrap(7).String(), "GenericTrap(7)"},
		{Version(2).String(), "Version(2)"},
		{V2c.String(), "v2c"},
		{SecurityModel(9).String(), "SecurityModel(9)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestDefaultCommunity(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{{"public", true}, {"private", true}, {"ILMI", true}, {"cable-docsis", true}, {"Public", false}, {"mtll-ward7-ro", false}, {"", true}} {
		if got := DefaultCommunity([]byte(c.s)); got != c.want {
			t.Errorf("DefaultCommunity(%q) = %v", c.s, got)
		}
	}
}

func TestWalker(t *testing.T) {
	var w Walker
	w.Reset(sysResponse())
	n, maxDepth := 0, 0
	for w.Next() {
		n++
		maxDepth = max(maxDepth, w.Depth())
	}
	// message, version, community, PDU, id, status, index, list, and 13
	// bindings of three elements each.
	if w.Err() != nil || n != 8+13*3 || maxDepth != 4 {
		t.Errorf("%d elements, depth %d, %v", n, maxDepth, w.Err())
	}
	w.MaxDepth = 2
	w.Reset(sysResponse())
	for w.Next() {
	}
	var e *Error
	if !errors.Is(w.Err(), ErrDepth) || !errors.As(w.Err(), &e) || e.Offset != 29 {
		t.Errorf("depth 2: %v", w.Err())
	}
	// Nesting past the cap of 64 stops even with a larger MaxDepth.
	deep := []byte{}
	for range 100 {
		deep = tlv(TagSequence, deep)
	}
	w.MaxDepth = 1000
	w.Reset(deep)
	for w.Next() {
	}
	if !errors.Is(w.Err(), ErrDepth) {
		t.Errorf("100 levels: %v", w.Err())
	}
	w.Reset([]byte{0x04, 0x05, 'a'})
	if w.Next() || !errors.Is(w.Err(), ErrTruncated) {
		t.Errorf("truncated: %v", w.Err())
	}
}

var sniffTests = []struct {
	name string
	in   []byte
	want bool
}{
	{"v2c response", sysResponse(), true},
	{"v1", message(0, "public", pdu(GetRequest, 1, 0, 0)), true},
	{"v3", v3Message(4, "u", octets("x")), true},
	{"empty", nil, false},
	{"version 2", message(2, "public", pdu(GetRequest, 1, 0, 0)), false},
	{"v3 with a community", tlv(TagSequence, integer(3), octets("public")), false},
	{"v1 without community", tlv(TagSequence, integer(0), integer(0), integer(0)), false},
	{"indefinite", []byte{0x30, 0x80, 2, 1, 0, 4, 0}, false},
	{"DNS", []byte{0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0}, false},
	{"long form", tlv(TagSequence, integer(1), octets(strings.Repeat("c", 200))), true},
}

func TestSniff(t *testing.T) {
	for _, tt := range sniffTests {
		if got := Sniff(tt.in); got != tt.want {
			t.Errorf("%s: Sniff = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestCapture reads every datagram of testdata/snmp.pcap (see
// testdata/record.sh): Net-SNMP's clients, snmpd and snmptrapd.
func TestCapture(t *testing.T) {
	counts := map[string]int{}
	var descr string
	users := map[string]bool{}
	for i, d := range datagrams(t) {
		if !Sniff(d) {
			t.Errorf("datagram %d: Sniff false", i)
		}
		var m Message
		if err := Parse(d, &m); err != nil {
			t.Fatalf("datagram %d: %v", i, err)
		}
		users[string(m.V3.UserName)] = true
		if !m.HasPDU {
			counts[m.Version.String()+" encrypted"]++
			continue
		}
		counts[m.Version.String()+" "+m.PDU.Type.String()]++
		if v, ok := m.PDU.Lookup(MustParseOID("1.3.6.1.2.1.1.1.0")); ok && m.PDU.Type == Response {
			descr = string(v.Bytes)
		}
	}
	want := map[string]int{
		"v1 get-request": 3, "v1 get-next-request": 1, "v1 set-request": 1, "v1 response": 4, "v1 trap": 1,
		"v2c get-request": 4, "v2c get-next-request": 39, "v2c get-bulk-request": 1, "v2c set-request": 1,
		"v2c response": 45, "v2c snmpv2-trap": 1, "v2c inform-request": 1,
		"v3 get-request": 3, "v3 report": 3, "v3 encrypted": 2,
	}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: %d, want %d", k, counts[k], n)
		}
	}
	if len(counts) != len(want) {
		t.Errorf("kinds %v", counts)
	}
	if descr != "Contoso Medical PACS gateway PG-2, Linux 5.10.0-armv7l" || len(users) != 3 || !users["mtllv3user"] || !users["mtllnobody"] {
		t.Errorf("sysDescr %q, users %v", descr, users)
	}
}
