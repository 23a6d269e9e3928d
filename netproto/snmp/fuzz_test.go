package snmp

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, that an error points inside
// the input, that a parsed message's bindings iterate without error and
// within the input, that a copy parses the same, and that the Walker and
// Sniff never panic and the Walker stops.
func FuzzParse(f *testing.F) {
	f.Add(sysResponse())
	f.Add(v3Message(4, "u", tlv(TagSequence, octets(""), octets(""), pdu(GetRequest, 1, 0, 0))))
	for _, d := range datagrams(f) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Sniff(data)
		var m Message
		err := Parse(data, &m)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(len(data)) {
				t.Fatalf("error %v without an offset inside the %d bytes", err, len(data))
			}
		} else if m.HasPDU {
			it := m.PDU.VarBinds()
			n := 0
			for it.Next() {
				vb := it.VarBind()
				if vb.Value.Offset < 0 || vb.Value.Offset >= len(data) || CheckOID(vb.Name.Bytes(), 0) != -1 {
					t.Fatalf("binding %d: %+v", n, vb)
				}
				vb.Value.AppendTo(vb.Name.AppendTo(nil))
				n++
			}
			if it.Err() != nil || n != m.PDU.NumVarBinds() {
				t.Fatalf("%d of %d bindings: %v", n, m.PDU.NumVarBinds(), it.Err())
			}
		}
		var m2 Message
		err2 := Parse(bytes.Clone(data), &m2)
		if (err == nil) != (err2 == nil) || string(m.Community) != string(m2.Community) || m.PDU.NumVarBinds() != m2.PDU.NumVarBinds() {
			t.Fatalf("a copy parses differently: %v / %v", err, err2)
		}
		var w Walker
		w.Reset(data)
		for i := 0; w.Next(); i++ {
			if i > len(data) {
				t.Fatal("more elements than bytes")
			}
		}
	})
}

// FuzzOID checks that dotted OIDs that parse print back the same, and
// that encodings CheckOID accepts iterate without error.
func FuzzOID(f *testing.F) {
	f.Add("1.3.6.1.2.1.1.5.0", []byte{0x2b, 6, 1})
	f.Add("2.999.4294967295", []byte{0x2b, 0x8f, 0xff, 0xff, 0xff, 0x7f})
	f.Fuzz(func(t *testing.T, dotted string, enc []byte) {
		if o, err := ParseOID(dotted); err == nil {
			s := o.String()
			if o2, err := ParseOID(s); err != nil || !o2.Equal(o) {
				t.Fatalf("%q -> %q: %v", dotted, s, err)
			}
		}
		o := OIDFromBytes(enc)
		it := o.Arcs()
		for it.Next() {
		}
		if (CheckOID(enc, 1<<20) == -1) != (it.Err() == nil) {
			t.Fatalf("CheckOID and Arcs disagree on % x: %v", enc, it.Err())
		}
		if it.Err() == nil {
			if o2, err := ParseOID(o.String()); err != nil || !o2.Equal(o) {
				t.Fatalf("% x prints %q, which parses to % x (%v)", enc, o, o2.Bytes(), err)
			}
		}
	})
}
