package dhcp

import (
	"encoding/binary"
	"testing"
)

// opt6 returns DHCPv6 option c with value v.
func opt6(c OptionCode6, v ...byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(c))
	b = binary.BigEndian.AppendUint16(b, uint16(len(v)))
	return append(b, v...)
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// msg6 returns a message of type t, transaction ID 0xabcdef, with opts.
func msg6(t MessageType6, opts ...[]byte) []byte {
	return cat(append([][]byte{{byte(t), 0xab, 0xcd, 0xef}}, opts...)...)
}

// relay6 returns a relay message of type t around inner.
func relay6(t MessageType6, hops byte, inner []byte, opts ...[]byte) []byte {
	h := []byte{byte(t), hops}
	h = append(h, []byte{0xfd, 0x11, 0x02, 0x11, 15: 1}...)  // link fd11:211::1
	h = append(h, []byte{0xfe, 0x80, 11: 0x11, 15: 0xc1}...) // peer fe80::11:0:c1
	return cat(append([][]byte{h, opt6(Opt6RelayMessage, inner...)}, opts...)...)
}

var (
	duidLL  = []byte{0, 3, 0, 1, 2, 0x11, 0, 0, 0, 0xc1}
	duidLLT = []byte{0, 1, 0, 1, 0x32, 0xa5, 0xc4, 0x8c, 2, 0x11, 0, 0, 0, 1}
	iaAddr  = cat([]byte{0xfd, 0x11, 0x02, 0x11, 14: 1, 15: 0x15}, []byte{0, 0, 0, 120, 0, 0, 0, 240})
	solicit = msg6(Solicit, opt6(Opt6ClientID, duidLL...), opt6(Opt6ORO, 0, 23, 0, 24, 0, 39),
		opt6(Opt6ElapsedTime, 0, 0),
		opt6(Opt6VendorClass, cat([]byte{0, 0, 1, 0x37}, []byte{0, 8}, []byte("MSFT 5.0"), []byte{0, 2}, []byte("x1"))...),
		opt6(Opt6FQDN, cat([]byte{1, 4}, []byte("pump"))...),
		opt6(Opt6IANA, cat([]byte{0, 0, 0, 0xc1, 0, 0, 0, 60, 0, 0, 0, 105}, opt6(Opt6IAAddr, iaAddr...))...))
)

func TestParse6(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
		want string
	}{
		{"solicit", solicit,
			`solicit xid=0xabcdef duid=DUID-LL/000300010211000000c1 mac=0211000000c1 oro=23,24,39 vendor=311/"MSFT 5.0"/"x1" fqdn=S/"pump" ia_na=000000c1/60/105[fd11:211::115 120 240] options=client-id,oro,elapsed-time,vendor-class,client-fqdn,ia-na`},
		{"reply with a fully qualified name and two IA_NA",
			msg6(Reply, opt6(Opt6ServerID, duidLLT...), opt6(Opt6FQDN, cat([]byte{0, 4}, []byte("pump"), []byte{4}, []byte("ward"), []byte{0})...),
				opt6(Opt6IANA, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), opt6(Opt6IANA, cat([]byte{0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0},
					opt6(Opt6StatusCode, 0, 0), opt6(Opt6IAAddr, iaAddr...), opt6(Opt6IAAddr, cat(iaAddr, opt6(Opt6StatusCode, 0, 0))...))...)),
			`reply xid=0xabcdef server=0001000132a5c48c021100000001 fqdn=0/"pump.ward" ia_na=00000001/0/0 ia_na=00000002/0/0[fd11:211::115 120 240][fd11:211::115 120 240] options=server-id,client-fqdn,ia-na,ia-na`},
		{"relay-forw of a relay-forw of a solicit", relay6(RelayForw, 1, relay6(RelayForw, 0, solicit), opt6(Opt6InterfaceID, 'e', '0')),
			`relay-forw hops=1 link=fd11:211::1 peer=fe80::11:0:c1 options=relay-msg,interface-id relayed: relay-forw hops=0 link=fd11:211::1 peer=fe80::11:0:c1 options=relay-msg relayed: ` +
				`solicit xid=0xabcdef duid=DUID-LL/000300010211000000c1 mac=0211000000c1 oro=23,24,39 vendor=311/"MSFT 5.0"/"x1" fqdn=S/"pump" ia_na=000000c1/60/105[fd11:211::115 120 240] options=client-id,oro,elapsed-time,vendor-class,client-fqdn,ia-na`},
		{"empty", msg6(InformationRequest), `information-request xid=0xabcdef options=`},
		{"DUID-EN has no MAC", msg6(Solicit, opt6(Opt6ClientID, 0, 2, 0, 0, 0, 9, 1, 2)),
			`solicit xid=0xabcdef duid=DUID-EN/0002000000090102 options=client-id`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var m Message6
			if err := m.Parse(tt.in); err != nil {
				t.Fatal(err)
			}
			if got := describe6(&m); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestParse6Errors(t *testing.T) {
	for _, tt := range []struct {
		name   string
		in     []byte
		want   error
		offset int64
		option int
	}{
		{"short", []byte{1, 2, 3}, ErrShort, 3, -1},
		{"relay short", relay6(RelayForw, 0, nil)[:33], ErrShort, 33, -1},
		{"too long", make([]byte, MaxMessageLen+1), ErrTooLong, MaxMessageLen, -1},
		{"option header cut", msg6(Solicit, []byte{0, 1, 0}), ErrOptionLength, 4, -1},
		{"option past the end", msg6(Solicit, opt6(Opt6ElapsedTime, 0, 0), []byte{0, 1, 0, 9, 1}), ErrOptionLength, 10, 1},
		{"DUID of one byte", msg6(Solicit, opt6(Opt6ClientID, 0)), ErrOptionValue, 4, 1},
		{"odd ORO", msg6(Solicit, opt6(Opt6ORO, 0, 23, 0)), ErrOptionValue, 4, 6},
		{"IA_NA of 11 bytes", msg6(Solicit, opt6(Opt6IANA, make([]byte, 11)...)), ErrOptionValue, 4, 3},
		{"IAADDR of 23 bytes", msg6(Solicit, opt6(Opt6IANA, cat(make([]byte, 12), opt6(Opt6IAAddr, make([]byte, 23)...))...)), ErrOptionValue, 20, 5},
		{"IA_NA options past it", msg6(Solicit, opt6(Opt6IANA, cat(make([]byte, 12), []byte{0, 5, 0, 30})...)), ErrOptionLength, 20, 5},
		{"vendor class of 3 bytes", msg6(Solicit, opt6(Opt6VendorClass, 0, 0, 1)), ErrOptionValue, 4, 16},
		{"vendor class item past it", msg6(Solicit, opt6(Opt6VendorClass, 0, 0, 1, 0x37, 0, 3, 'x')), ErrOptionValue, 12, -1},
		{"FQDN empty", msg6(Solicit, opt6(Opt6FQDN)), ErrOptionValue, 4, 39},
		{"FQDN label of 64", msg6(Solicit, opt6(Opt6FQDN, cat([]byte{0, 64}, make([]byte, 64))...)), ErrName, 9, 39},
		{"relay with a bad option", relay6(RelayRepl, 0, solicit, []byte{0, 9}), ErrOptionLength, int64(34 + 4 + len(solicit)), -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var m Message6
			wantError(t, m.Parse(tt.in), tt.want, tt.offset, tt.option)
		})
	}
}

// TestParse6Reset checks that a failed Parse leaves nothing of the
// message parsed before it, or of its own options.
func TestParse6Reset(t *testing.T) {
	var m Message6
	if err := m.Parse(solicit); err != nil {
		t.Fatal(err)
	}
	bad := append(append([]byte(nil), solicit...), 0, 1, 0, 9) // a client ID cut short
	if err := m.Parse(bad); err == nil {
		t.Fatal("Parse accepts an option past the end")
	}
	it := m.Options()
	ias := m.IANAs()
	if m.Type != Solicit || m.ClientID() != nil || m.ORO() != nil || it.Next() || ias.Next() {
		t.Errorf("options left after a failed Parse: type %v client ID %x", m.Type, []byte(m.ClientID()))
	}
	if _, ok := m.FQDN(); ok {
		t.Error("FQDN left after a failed Parse")
	}
}
