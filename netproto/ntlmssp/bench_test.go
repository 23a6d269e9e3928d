package ntlmssp

import "testing"

// readBlobs unwraps and parses each blob, reads its target information and
// appends its names and OS to buf[:0]: what an observer of a session setup
// does, for BenchmarkRead and TestAllocs.
func readBlobs(blobs [][]byte, buf []byte) []byte {
	buf = buf[:0]
	for _, b := range blobs {
		tok, err := Unwrap(b)
		if err != nil {
			continue
		}
		m, err := Parse(tok)
		if err != nil {
			continue
		}
		buf = m.Version.AppendOS(buf)
		buf = m.User.AppendTo(buf)
		buf = m.Domain.AppendTo(buf)
		buf = m.Workstation.AppendTo(buf)
		if t, err := m.Target(); err == nil {
			buf = t.NetBIOSComputer.AppendTo(buf)
			buf = t.DNSComputer.AppendTo(buf)
			buf = t.DNSDomain.AppendTo(buf)
		}
	}
	return buf
}

func BenchmarkRead(b *testing.B) {
	blobs := [][]byte{sambaBlob(b, "negotiate"), sambaBlob(b, "challenge"), sambaBlob(b, "authenticate")}
	n := 0
	for _, x := range blobs {
		n += len(x)
	}
	buf := make([]byte, 0, 512)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		buf = readBlobs(blobs, buf)
	}
}
