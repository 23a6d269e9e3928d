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

// feedAssociation follows segs in chunks of size; shared by the benchmark and
// the allocation test.
func feedAssociation(a *Association, segs []seg, size int) int {
	a.Reset()
	n := 0
	for _, s := range segs {
		for d := s.data; len(d) > 0; {
			c := d[:min(size, len(d))]
			d = d[len(c):]
			a.Feed(s.dir, c)
			for {
				ev, err := a.Next()
				if err == ErrNeedMore {
					break
				}
				if err == nil && ev.Kind != 0 {
					n++
				}
			}
		}
	}
	return n
}

func BenchmarkAssociation(b *testing.B) {
	segs := sampleAssociation()
	var size int64
	for _, s := range segs {
		size += int64(len(s.data))
	}
	var a Association
	b.ReportAllocs()
	b.SetBytes(size)
	for b.Loop() {
		feedAssociation(&a, segs, 1460)
	}
}
