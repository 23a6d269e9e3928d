package dhcp

import (
	"bytes"
	"errors"
	"testing"
)

// fuzzSeeds4 returns the DHCPv4 messages of the capture and of the tests.
func fuzzSeeds4(f *testing.F) [][]byte {
	v4, _ := captureMessages(f)
	return append(v4,
		msg4(1, opt(OptMessageType, 1), optS(OptHostName, "infusion-"), opt(OptParamList, 1, 3), optS(OptHostName, "pump-7")),
		withAreas(msg4(1, opt(OptMessageType, 3), opt(OptOverload, 3), opt(OptParamList, 1, 3)),
			append(opt(OptParamList, 6, 15), 255), append(optS(OptVendorClass, "MSFT 5.0"), 255)),
		msg4(1, opt(OptMessageType, 1), opt(OptFQDN, 5, 0, 0, 4, 'p', 'u', 'm', 'p', 4, 'w', 'a', 'r', 'd')),
	)
}

var sentinels = []error{ErrShort, ErrTooLong, ErrHeader, ErrCookie, ErrOptionLength, ErrOptionValue, ErrName}

// checkError checks that err is an *Error inside data wrapping a sentinel.
func checkError(t *testing.T, err error, data []byte) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(len(data)) {
		t.Fatalf("error %v: not an *Error with an offset inside the %d bytes", err, len(data))
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("error %v wraps no sentinel", err)
}

// FuzzParse parses arbitrary bytes as DHCPv4: no panic; errors with
// offsets inside the input; on success options that lie inside the
// message, values that are the concatenation of their instances,
// accessors that agree with them, the same result on a copy, agreement
// with Sniff, and no allocation for a reused Message.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds4(f) {
		f.Add(s)
	}
	var m, m2 Message
	f.Fuzz(func(t *testing.T, data []byte) {
		err := m.Parse(data)
		if Sniff(data) && (errors.Is(err, ErrShort) || errors.Is(err, ErrHeader) || errors.Is(err, ErrCookie)) {
			t.Fatalf("Sniff accepts a message Parse refuses: %v", err)
		}
		if err != nil {
			checkError(t, err, data)
			return
		}
		if !Sniff(data) {
			t.Fatal("Parse accepts a message Sniff refuses")
		}
		var joined [256][]byte
		var seen [256]bool
		it := m.Options()
		for n := 0; it.Next(); n++ {
			o := it.Option()
			if n > len(data) {
				t.Fatal("option iterator makes no progress")
			}
			if o.Offset < 0 || o.Offset+int64(len(o.Data)) > int64(len(data)) || !bytes.Equal(data[o.Offset:o.Offset+int64(len(o.Data))], o.Data) {
				t.Fatalf("option %d at %d is not a view of the message", o.Code, o.Offset)
			}
			joined[o.Code] = append(joined[o.Code], o.Data...)
			seen[o.Code] = true
		}
		if it.Err() != nil {
			t.Fatalf("iterating a parsed message: %v", it.Err())
		}
		for c := range 256 {
			v, ok := m.Option(OptionCode(c))
			if ok != seen[c] || !bytes.Equal(v, joined[c]) {
				t.Fatalf("Option(%d) = %x, %v; instances give %x, %v", c, v, ok, joined[c], seen[c])
			}
		}
		if n := bytes.Count(m.AppendParamList(nil), []byte(",")); len(m.ParamList()) > 0 && n != len(m.ParamList())-1 {
			t.Fatalf("AppendParamList has %d commas for %d codes", n, len(m.ParamList()))
		}
		if fq, ok := m.FQDN(); ok {
			fq.AppendText(nil)
		}
		want := describe(&m)
		if err := m2.Parse(bytes.Clone(data)); err != nil || describe(&m2) != want {
			t.Fatalf("a copy parses differently: %v\n%s\n%s", err, describe(&m2), want)
		}
		if !raceEnabled {
			if n := testing.AllocsPerRun(1, func() { m.Parse(data) }); n != 0 {
				t.Fatalf("Parse allocates %v times", n)
			}
		}
	})
}

// fuzzSeeds6 returns the DHCPv6 messages of the capture and of the tests.
func fuzzSeeds6(f *testing.F) [][]byte {
	_, v6 := captureMessages(f)
	return append(v6, solicit, relay6(RelayForw, 1, relay6(RelayForw, 0, solicit), opt6(Opt6InterfaceID, 'e', '0')))
}

// FuzzParse6 parses arbitrary bytes as DHCPv6, following relay messages:
// no panic; errors with offsets inside the input; options inside the
// message; every iterator and accessor usable; each relayed message
// shorter than its relay's; no allocation for a reused Message6.
func FuzzParse6(f *testing.F) {
	for _, s := range fuzzSeeds6(f) {
		f.Add(s)
	}
	var m Message6
	f.Fuzz(func(t *testing.T, data []byte) {
		b := data
		for depth := 0; ; depth++ {
			err := m.Parse(b)
			if err != nil {
				checkError(t, err, b)
				return
			}
			it := m.Options()
			for it.Next() {
				o := it.Option()
				if o.Offset < 4 || o.Offset+int64(len(o.Data)) > int64(len(b)) || !bytes.Equal(b[o.Offset:o.Offset+int64(len(o.Data))], o.Data) {
					t.Fatalf("option %d at %d is not a view of the message", o.Code, o.Offset)
				}
			}
			if it.Err() != nil {
				t.Fatalf("iterating a parsed message: %v", it.Err())
			}
			ias := m.IANAs()
			for ias.Next() {
				as := ias.IA().Addrs()
				for as.Next() {
				}
				if as.Err() != nil {
					t.Fatalf("IA addresses of a parsed message: %v", as.Err())
				}
			}
			if vc, ok := m.VendorClass(); ok {
				items := vc.Items()
				for items.Next() {
				}
				if items.Err() != nil {
					t.Fatalf("vendor class items of a parsed message: %v", items.Err())
				}
			}
			if fq, ok := m.FQDN(); ok {
				fq.AppendText(nil)
			}
			m.ClientID().MAC()
			m.AppendORO(nil)
			if !raceEnabled {
				if n := testing.AllocsPerRun(1, func() { m.Parse(b) }); n != 0 {
					t.Fatalf("Parse allocates %v times", n)
				}
			}
			r := m.RelayMessage()
			if r == nil {
				return
			}
			if len(r) >= len(b) {
				t.Fatal("relayed message not shorter than its relay's")
			}
			b = r
		}
	})
}

// FuzzSniff checks that Sniff never panics or allocates and says yes
// only to data with the magic cookie at offset 236.
func FuzzSniff(f *testing.F) {
	for _, tt := range sniffTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got bool
		if n := testing.AllocsPerRun(1, func() { got = Sniff(data) }); n != 0 && !raceEnabled {
			t.Fatalf("Sniff allocates %v times", n)
		}
		if got && !bytes.Equal(data[236:240], magic[:]) {
			t.Fatal("Sniff = true without the cookie")
		}
	})
}
