package dhcp

import (
	"net/netip"
	"testing"
)

// header4 returns a BOOTP header of op with the magic cookie: htype 1,
// hlen 6, xid 0x01020304, chaddr 02:00:00:00:00:01.
func header4(op byte) []byte {
	b := make([]byte, optionsOff)
	b[0], b[1], b[2] = op, 1, 6
	copy(b[4:], []byte{1, 2, 3, 4})
	copy(b[chaddrOff:], []byte{2, 0, 0, 0, 0, 1})
	copy(b[headerLen:], magic[:])
	return b
}

// msg4 returns a message of op with the options given (code, length and
// value each) and End.
func msg4(op byte, opts ...[]byte) []byte {
	b := header4(op)
	for _, o := range opts {
		b = append(b, o...)
	}
	return append(b, byte(OptEnd))
}

// opt returns option c with value v.
func opt(c OptionCode, v ...byte) []byte { return append([]byte{byte(c), byte(len(v))}, v...) }

func optS(c OptionCode, s string) []byte { return opt(c, []byte(s)...) }

func TestParseErrors(t *testing.T) {
	mod := func(b []byte, f func([]byte)) []byte { f(b); return b }
	noEnd := func(b []byte) []byte { return b[:len(b)-1] }
	withFile := func(b []byte, file ...byte) []byte { copy(b[fileOff:], file); return b }
	for _, tt := range []struct {
		name   string
		in     []byte
		want   error
		offset int64
		option int
	}{
		{"short", header4(1)[:239], ErrShort, 239, -1},
		{"too long", make([]byte, MaxMessageLen+1), ErrTooLong, MaxMessageLen, -1},
		{"op 3", mod(msg4(1), func(b []byte) { b[0] = 3 }), ErrHeader, 0, -1},
		{"hlen 17", mod(msg4(1), func(b []byte) { b[2] = 17 }), ErrHeader, 2, -1},
		{"no cookie", mod(msg4(1), func(b []byte) { b[239] = 0 }), ErrCookie, 236, -1},
		{"length past the end", noEnd(msg4(1, opt(OptMessageType, 1), opt(OptHostName, 'a', 'b')))[:245], ErrOptionLength, 243, 12},
		{"no length byte", noEnd(msg4(1, opt(OptMessageType, 1), []byte{byte(OptHostName)})), ErrOptionLength, 243, 12},
		{"message type of two bytes", msg4(1, opt(OptMessageType, 1, 1)), ErrOptionValue, 240, 53},
		{"overload 4", msg4(1, opt(OptMessageType, 1), opt(OptOverload, 4)), ErrOptionValue, 243, 52},
		{"overload of two bytes", msg4(1, opt(OptOverload, 1, 1)), ErrOptionValue, 240, 52},
		{"requested address of 3 bytes", msg4(1, opt(OptRequestedIP, 10, 0, 0)), ErrOptionValue, 240, 50},
		{"lease time of 5 bytes", msg4(2, opt(OptLeaseTime, 0, 0, 0, 0, 1)), ErrOptionValue, 240, 51},
		{"server id split into 8 bytes", msg4(2, opt(OptServerID, 10, 0, 0, 1), opt(OptServerID, 10, 0, 0, 1)), ErrOptionValue, 240, 54},
		{"FQDN of 2 bytes", msg4(1, opt(OptFQDN, 4, 0)), ErrOptionValue, 240, 81},
		{"FQDN label of 64", msg4(1, opt(OptFQDN, append([]byte{4, 0, 0, 64}, make([]byte, 64)...)...)), ErrName, 245, 81},
		{"FQDN label past the option", msg4(1, opt(OptFQDN, 4, 0, 0, 1, 'a', 5, 'b')), ErrName, 247, 81},
		{"FQDN data after the root", msg4(1, opt(OptFQDN, 4, 0, 0, 1, 'a', 0, 'x')), ErrName, 248, 81},
		{"bad option in the file field", withFile(msg4(1, opt(OptOverload, 1)), byte(OptHostName), 200), ErrOptionLength, fileOff, 12},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var m Message
			wantError(t, m.Parse(tt.in), tt.want, tt.offset, tt.option)
		})
	}
}

func TestParseMessage(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
		want string
	}{
		{"pad and no End", noEndPad(msg4(1, []byte{0, 0}, opt(OptMessageType, 1), []byte{0}, optS(OptHostName, "pump"))),
			`BOOTREQUEST discover xid=0x01020304 mac=020000000001 host="pump" options=message-type,host-name`},
		{"bytes after End ignored", append(msg4(1, opt(OptMessageType, 8)), 12, 200, 1),
			`BOOTREQUEST inform xid=0x01020304 mac=020000000001 options=message-type`},
		{"plain BOOTP", msg4(2),
			`BOOTREPLY MessageType(0) xid=0x01020304 mac=020000000001 options=`},
		{"a host name in two pieces (RFC 3396)", msg4(1, opt(OptMessageType, 1), optS(OptHostName, "infusion-"), opt(OptParamList, 1, 3), optS(OptHostName, "pump-7")),
			`BOOTREQUEST discover xid=0x01020304 mac=020000000001 host="infusion-pump-7" prl=1,3 options=message-type,host-name,parameter-request-list,host-name`},
		{"overload: file, then sname", withAreas(msg4(1, opt(OptMessageType, 3), opt(OptOverload, 3), opt(OptParamList, 1, 3)),
			append(opt(OptParamList, 6, 15), 255), append(optS(OptVendorClass, "MSFT 5.0"), 255)),
			`BOOTREQUEST request xid=0x01020304 mac=020000000001 vendor="MSFT 5.0" prl=1,3,6,15 overload=3 options=message-type,option-overload,parameter-request-list,parameter-request-list,vendor-class-identifier`},
		{"overload in the file field is not followed", withAreas(msg4(1, opt(OptMessageType, 3), opt(OptOverload, 1)),
			append(opt(OptOverload, 3), optS(OptHostName, "x")...), []byte("srv1\x00junk")),
			`BOOTREQUEST request xid=0x01020304 mac=020000000001 host="x" overload=1 sname="srv1" options=message-type,option-overload,option-overload,host-name`},
		{"sname and file as text", withAreas(msg4(2, opt(OptMessageType, 5)), []byte("pxelinux.0"), []byte("tftp1")),
			`BOOTREPLY ack xid=0x01020304 mac=020000000001 sname="tftp1" file="pxelinux.0" options=message-type`},
		{"server reply", msg4(2, opt(OptMessageType, 2), opt(OptServerID, 10, 211, 0, 1), opt(OptLeaseTime, 0, 0, 0x0e, 0x10),
			opt(OptFQDN, 3, 255, 255, 4, 'p', 'u', 'm', 'p', 0), opt(OptRequestedIP, 10, 211, 0, 9), optS(OptClientID, "\x01\x02\x00\x00\x00\x00\x01")),
			`BOOTREPLY offer xid=0x01020304 mac=020000000001 requested=10.211.0.9 server=10.211.0.1 client_id=01020000000001 lease=3600 fqdn=S|O/255/255/wire=false/"\x04pump\x00" options=message-type,server-identifier,lease-time,client-fqdn,requested-ip-address,client-identifier`},
		{"wire FQDN, partial", msg4(1, opt(OptMessageType, 1), opt(OptFQDN, 5, 0, 0, 4, 'p', 'u', 'm', 'p', 4, 'w', 'a', 'r', 'd')),
			`BOOTREQUEST discover xid=0x01020304 mac=020000000001 fqdn=S|E/0/0/wire=true/"pump.ward" options=message-type,client-fqdn`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var m Message
			if err := m.Parse(tt.in); err != nil {
				t.Fatal(err)
			}
			if got := describe(&m); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func noEndPad(b []byte) []byte { return append(b[:len(b)-1], 0, 0, 0) }

func withAreas(b, file, sname []byte) []byte {
	copy(b[fileOff:fileOff+fileLen], file)
	copy(b[snameOff:snameOff+snameLen], sname)
	return b
}

func TestHeaderFields(t *testing.T) {
	b := msg4(2, opt(OptMessageType, 5))
	b[1], b[2], b[3] = 6, 6, 2 // IEEE 802, hops 2
	b[8], b[9], b[10], b[11] = 0, 7, 0x80, 0
	copy(b[12:], []byte{10, 211, 0, 5, 10, 211, 0, 6, 10, 211, 0, 1, 10, 211, 0, 254})
	var m Message
	if err := m.Parse(b); err != nil {
		t.Fatal(err)
	}
	h := m.Header
	want := Header{Op: OpReply, HType: 6, HLen: 6, Hops: 2, XID: 0x01020304, Secs: 7, Flags: FlagBroadcast,
		CIAddr: netip.MustParseAddr("10.211.0.5"), YIAddr: netip.MustParseAddr("10.211.0.6"),
		SIAddr: netip.MustParseAddr("10.211.0.1"), GIAddr: netip.MustParseAddr("10.211.0.254"), Type: Ack}
	if h.Op != want.Op || h.HType != want.HType || h.HLen != want.HLen || h.Hops != want.Hops || h.XID != want.XID ||
		h.Secs != want.Secs || h.Flags != want.Flags || h.CIAddr != want.CIAddr || h.YIAddr != want.YIAddr ||
		h.SIAddr != want.SIAddr || h.GIAddr != want.GIAddr || h.Type != want.Type || string(h.CHAddr) != "\x02\x00\x00\x00\x00\x01" {
		t.Errorf("header %+v\nwant %+v", h, want)
	}
	if _, ok := m.ClientMAC(); ok {
		t.Error("ClientMAC of hardware type 6 is ok")
	}
	// A second Parse leaves nothing of the first.
	if err := m.Parse(header4(1)[:100]); err == nil {
		t.Fatal("short message parsed")
	}
	it := m.Options()
	if m.Header.Op != 0 || m.Header.XID != 0 || m.HostName() != nil || it.Next() {
		t.Errorf("state left after a failed Parse: %+v", m.Header)
	}
}

func TestCodeStrings(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{Discover.String(), "discover"}, {Ack.String(), "ack"}, {TLS.String(), "tls"}, {MessageType(0).String(), "MessageType(0)"},
		{MessageType(19).String(), "MessageType(19)"}, {OpRequest.String(), "BOOTREQUEST"}, {Op(0).String(), "Op(0)"},
		{OptParamList.String(), "parameter-request-list"}, {OptionCode(223).String(), "OptionCode(223)"},
		{InformationRequest.String(), "information-request"}, {RelayRepl.String(), "relay-repl"},
		{MessageType6(0).String(), "MessageType6(0)"}, {MessageType6(99).String(), "MessageType6(99)"},
		{Opt6FQDN.String(), "client-fqdn"}, {OptionCode6(999).String(), "OptionCode6(999)"},
		{DUIDLL.String(), "DUID-LL"}, {DUIDType(9).String(), "DUIDType(9)"},
		{FQDNFlags(0).String(), "0"}, {(FQDNServer | FQDNEncoded).String(), "S|E"}, {FQDNFlags(0x18).String(), "N|4"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	for tt, want := range map[MessageType6][2]bool{Solicit: {true, false}, Reply: {false, true}, RelayForw: {false, false},
		InformationRequest: {true, false}, Reconfigure: {false, true}} {
		if tt.FromClient() != want[0] || tt.FromServer() != want[1] {
			t.Errorf("%s: FromClient %v FromServer %v", tt, tt.FromClient(), tt.FromServer())
		}
	}
}
