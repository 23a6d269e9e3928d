package ul

import (
	"testing"
)

// FuzzPDU feeds one direction in one chunk and again in chunks whose sizes
// come from the input: both must give the same PDUs, PDV values and errors,
// without panicking, and the decoder must consume everything.
func FuzzPDU(f *testing.F) {
	f.Add(uint8(1), sampleStream())
	f.Add(uint8(7), AppendAssociate(nil, sampleRQ()))
	f.Add(uint8(3), append([]byte{0x04, 0, 0, 0, 0, 8, 0, 0, 0, 9, 1, 3}, AppendRelease(nil, TypeReleaseRQ)...))
	f.Fuzz(func(t *testing.T, step uint8, s []byte) {
		d := Decoder{MaxPDULength: 1 << 16}
		want := trace(&d, [][]byte{s})
		if d.Offset() != int64(len(s)) {
			t.Fatalf("consumed %d of %d bytes", d.Offset(), len(s))
		}
		if cap(d.buf) > 2<<16 {
			t.Fatalf("buffer grew to %d", cap(d.buf))
		}
		sizes := []int{int(step%17) + 1, int(step/17) + 1, 1}
		got := trace(&Decoder{MaxPDULength: 1 << 16}, chunk(s, sizes...))
		if d := diff(want, got); d != "" {
			t.Fatalf("chunks %v: %s", sizes, d)
		}
		// Parsing every association PDU found must not panic.
		var a Associate
		var dd Decoder
		dd.Feed(s)
		for {
			it, err := dd.Next()
			if err == ErrNeedMore {
				break
			}
			if it.Kind == KindPDU {
				switch it.Type {
				case TypeAssociateRQ, TypeAssociateAC:
					_ = a.Parse(it.Type, it.Body)
					for i := range a.UserInfo.CommonExtended {
						a.UserInfo.CommonExtended[i].RelatedClasses(nil)
					}
				case TypeAssociateRJ:
					r, _ := ParseReject(it.Body)
					_ = r.ReasonString()
				case TypeAbort:
					ab, _ := ParseAbort(it.Body)
					_ = ab.ReasonString()
				}
			}
		}
	})
}
