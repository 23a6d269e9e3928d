package lldp

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, that an error points inside
// the input, that Reader and Parse agree on truncation, that a copy of the
// input parses the same, and that Sniff never panics.
func FuzzParse(f *testing.F) {
	f.Add(fullLLDPDU())
	f.Add(mandatory())
	for _, p := range lldpdus(f, "testdata/lldp.pcap") {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Sniff(data)
		var a Advertisement
		err := Parse(data, &a)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(len(data)) {
				t.Fatalf("error %v without an offset inside the %d bytes", err, len(data))
			}
		}
		var r Reader
		r.Reset(data)
		n := 0
		for r.Next() {
			tlv := r.TLV()
			if tlv.Offset < 0 || tlv.Offset+2+len(tlv.Value) > len(data) {
				t.Fatalf("TLV %+v outside the input", tlv)
			}
			n++
			if n > len(data) {
				t.Fatal("more TLVs than bytes")
			}
		}
		if r.Err() != nil && err == nil {
			t.Fatalf("Reader: %v, Parse: nil", r.Err())
		}
		var b Advertisement
		err2 := Parse(bytes.Clone(data), &b)
		if (err == nil) != (err2 == nil) || string(a.SystemName) != string(b.SystemName) || a.NumOrgTLVs != b.NumOrgTLVs {
			t.Fatalf("a copy parses differently: %v / %v", err, err2)
		}
	})
}
