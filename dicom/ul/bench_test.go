package ul

import "testing"

// decodeAll feeds s in chunks of size bytes (0: one chunk) and parses every
// association PDU; shared by the benchmark and the allocation test.
func decodeAll(d *Decoder, a *Associate, s []byte, size int) int {
	d.Reset()
	n := 0
	if size <= 0 {
		size = len(s)
	}
	for len(s) > 0 {
		c := s[:min(size, len(s))]
		s = s[len(c):]
		d.Feed(c)
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			if err != nil {
				continue
			}
			n++
			if it.Kind == KindPDU && (it.Type == TypeAssociateRQ || it.Type == TypeAssociateAC) {
				if a.Parse(it.Type, it.Body) != nil {
					panic("parse")
				}
			}
		}
	}
	return n
}

func BenchmarkDecodePDUs(b *testing.B) {
	s := sampleStream()
	var d Decoder
	var a Associate
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		decodeAll(&d, &a, s, 1460)
	}
}
