package dnsmsg

import (
	"errors"
	"testing"
)

// record returns the first record of a message holding one record of
// type t with data.
func record(t *testing.T, typ Type, data ...byte) Resource {
	t.Helper()
	msg := newBuilder(0, FlagResponse).rr(SectionAnswer, "h.local", typ, 1, 1, func(b *builder) { b.bytes(data...) }).msg()
	var p Parser
	p.Start(msg)
	if !p.Next() {
		t.Fatal(p.Err())
	}
	return p.Resource()
}

func TestRDataErrors(t *testing.T) {
	const base = 12 + 9 + 10 // header, "h.local", the record's fixed part
	tests := []struct {
		name string
		typ  Type
		data []byte
		get  func(r *Resource) error
		err  error
		off  int
	}{
		{"A short", TypeA, []byte{1, 2, 3}, func(r *Resource) error { _, err := r.A(); return err }, ErrRData, base},
		{"A of AAAA", TypeAAAA, make([]byte, 16), func(r *Resource) error { _, err := r.A(); return err }, ErrRecordType, 12},
		{"AAAA long", TypeAAAA, make([]byte, 17), func(r *Resource) error { _, err := r.AAAA(); return err }, ErrRData, base},
		{"PTR empty", TypePTR, nil, func(r *Resource) error { _, err := r.Target(); return err }, ErrRData, base},
		{"PTR overrun", TypePTR, []byte{3, 'a', 'b'}, func(r *Resource) error { _, err := r.Target(); return err }, ErrRData, base},
		{"PTR extra", TypePTR, []byte{1, 'a', 0, 9}, func(r *Resource) error { _, err := r.Target(); return err }, ErrRData, base + 3},
		{"PTR forward pointer", TypePTR, []byte{0xC0, 40}, func(r *Resource) error { _, err := r.Target(); return err }, ErrPointer, base},
		{"Target of A", TypeA, []byte{1, 2, 3, 4}, func(r *Resource) error { _, err := r.Target(); return err }, ErrRecordType, 12},
		{"SRV short", TypeSRV, []byte{0, 0, 0, 0, 0, 80}, func(r *Resource) error { _, err := r.SRV(); return err }, ErrRData, base},
		{"SRV bad target", TypeSRV, []byte{0, 0, 0, 0, 0, 80, 0x80}, func(r *Resource) error { _, err := r.SRV(); return err }, ErrLabel, base + 6},
		{"HINFO empty", TypeHINFO, nil, func(r *Resource) error { _, _, err := r.HINFO(); return err }, ErrRData, base},
		{"HINFO one string", TypeHINFO, []byte{1, 'x'}, func(r *Resource) error { _, _, err := r.HINFO(); return err }, ErrRData, base},
		{"HINFO extra", TypeHINFO, []byte{1, 'x', 1, 'y', 0}, func(r *Resource) error { _, _, err := r.HINFO(); return err }, ErrRData, base + 2},
		{"TXT overrun", TypeTXT, []byte{2, 'a', 'b', 5, 'c'}, func(r *Resource) error {
			t := r.TXT()
			for t.Next() {
			}
			return t.Err()
		}, ErrRData, base + 3},
		{"TXT of A", TypeA, []byte{1, 2, 3, 4}, func(r *Resource) error { t := r.TXT(); t.Next(); return t.Err() }, ErrRecordType, 12},
		{"NSEC window order", TypeNSEC, []byte{0, 1, 1, 0x40, 0, 1, 1}, func(r *Resource) error { _, err := r.NSEC(); return err }, ErrRData, base + 4},
		{"NSEC zero length", TypeNSEC, []byte{0, 0, 0}, func(r *Resource) error { _, err := r.NSEC(); return err }, ErrRData, base + 1},
		{"NSEC long window", TypeNSEC, append([]byte{0, 0, 33}, make([]byte, 33)...), func(r *Resource) error { _, err := r.NSEC(); return err }, ErrRData, base + 1},
		{"NSEC cut window", TypeNSEC, []byte{0, 0, 4, 1}, func(r *Resource) error { _, err := r.NSEC(); return err }, ErrRData, base + 1},
		{"NSEC half header", TypeNSEC, []byte{0, 0}, func(r *Resource) error { _, err := r.NSEC(); return err }, ErrRData, base + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := record(t, tt.typ, tt.data...)
			err := tt.get(&r)
			var e *Error
			if !errors.Is(err, tt.err) || !errors.As(err, &e) || e.Offset != int64(tt.off) {
				t.Errorf("error %v, want %v at offset %d", err, tt.err, tt.off)
			}
		})
	}
}

func TestTXT(t *testing.T) {
	r := record(t, TypeTXT, []byte("\x09txtvers=1\x07Model=X\x08paper=A4\x06duplex\x05=junk\x00\x07model=Y\x05note=")...)
	type pair struct {
		k, v string
		has  bool
	}
	var got []pair
	for it := r.TXT(); it.Next(); {
		k, v, has := it.Pair()
		got = append(got, pair{string(k), string(v), has})
	}
	want := []pair{{"txtvers", "1", true}, {"Model", "X", true}, {"paper", "A4", true}, {"duplex", "", false},
		{"", "junk", true}, {"", "", false}, {"model", "Y", true}, {"note", "", true}}
	if len(got) != len(want) {
		t.Fatalf("pairs %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("pair %d: %v, want %v", i, got[i], want[i])
		}
	}
	txt := r.TXT()
	if v, has, ok := txt.Lookup("MODEL"); !ok || !has || string(v) != "X" {
		t.Errorf("Lookup(MODEL) = %q %v %v, want the first, X", v, has, ok)
	}
	if _, has, ok := txt.Lookup("duplex"); !ok || has {
		t.Error("Lookup(duplex): want a key without a value")
	}
	if _, _, ok := txt.Lookup("colour"); ok {
		t.Error("Lookup(colour) found something")
	}
	for _, tt := range []struct{ data, want string }{
		{"\x14manufacturer=Siemens\x10model=Somatom Go", "Siemens Somatom Go"},
		{"\x0aty=HP 4250\x0cproduct=(HP)", "HP 4250"},
		{"\x0cusb_MFG=Zebr\x0dusb_MDL=ZT410", "Zebr ZT410"},
		{"\x0bvendor=Acme", "Acme"},
		{"\x0dmanufacturer=\x04ty=Z", "Z"},
		{"\x09txtvers=1", ""},
	} {
		r := record(t, TypeTXT, []byte(tt.data)...)
		got, ok := r.TXT().AppendModel([]byte("> "))
		if ok != (tt.want != "") || string(got) != "> "+tt.want {
			t.Errorf("%q: AppendModel = %q %v, want %q", tt.data, got, ok, tt.want)
		}
	}
}

func TestNSEC(t *testing.T) {
	// Next name "h.local" compressed, then windows 0 (A, TXT, AAAA, SRV) and 1 (CAA, 257).
	r := record(t, TypeNSEC, 0xC0, 12, 0, 5, 0x40, 0, 0x80, 0x08, 0x40, 1, 1, 0x40)
	n, err := r.NSEC()
	if err != nil {
		t.Fatal(err)
	}
	var got []Type
	for ts := n.Types(); ts.Next(); {
		got = append(got, ts.Type())
	}
	want := []Type{TypeA, TypeTXT, TypeAAAA, TypeSRV, 257}
	if len(got) != len(want) {
		t.Fatalf("types %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] || !n.Has(want[i]) {
			t.Errorf("type %d: %v, want %v (Has %v)", i, got[i], want[i], n.Has(want[i]))
		}
	}
	for _, no := range []Type{TypeNS, TypePTR, 256, 300, 0xFF00} {
		if n.Has(no) {
			t.Errorf("Has(%v)", no)
		}
	}
	if n.Next.String() != "h.local" {
		t.Errorf("next %v", n.Next)
	}
}

func TestTypeStrings(t *testing.T) {
	for _, tt := range []struct {
		got, want string
	}{
		{TypeSRV.String(), "SRV"}, {Type(65280).String(), "TYPE65280"}, {string(Type(99).AppendTo([]byte("x"))), "xTYPE99"},
		{string(TypeNSEC.AppendTo(nil)), "NSEC"}, {ClassIN.String(), "IN"}, {Class(7).String(), "CLASS7"},
		{ClassANY.String(), "ANY"}, {ClassCH.String(), "CH"}, {ClassHS.String(), "HS"}, {ClassNONE.String(), "NONE"},
		{OpcodeUpdate.String(), "UPDATE"}, {Opcode(3).String(), "Opcode(3)"}, {RCodeNameError.String(), "NXDOMAIN"},
		{RCode(15).String(), "RCode(15)"}, {SectionAuthority.String(), "authority"}, {Section(9).String(), "Section(9)"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
