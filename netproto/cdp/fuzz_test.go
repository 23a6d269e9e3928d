package cdp

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, that an error points inside
// the input, that every TLV the Reader yields lies inside it, and that a
// copy parses the same.
func FuzzParse(f *testing.F) {
	f.Add(fullPacket())
	for _, p := range packets(f) {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Sniff(data)
		var p Packet
		err := Parse(data, &p)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(len(data)) {
				t.Fatalf("error %v without an offset inside the %d bytes", err, len(data))
			}
		}
		if p.NumAddrs > MaxAddrs || p.NumMgmtAddr > MaxAddrs {
			t.Fatalf("%d addresses", p.NumAddrs)
		}
		var r Reader
		r.Reset(data)
		for r.Next() {
			tlv := r.TLV()
			if tlv.Offset < HeaderLen || tlv.Offset+4+len(tlv.Value) > len(data) {
				t.Fatalf("TLV %+v outside the input", tlv)
			}
		}
		var q Packet
		err2 := Parse(bytes.Clone(data), &q)
		if (err == nil) != (err2 == nil) || string(p.DeviceID) != string(q.DeviceID) || p.ChecksumOK != q.ChecksumOK {
			t.Fatalf("a copy parses differently: %v / %v", err, err2)
		}
	})
}
