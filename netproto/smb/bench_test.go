package smb

import (
	"path/filepath"
	"testing"
)

// walk decodes data in chunks of chunk bytes with d and runs the body
// parsers and iterators on every message that has one, the way an observer
// reads a connection; it returns the items seen. For BenchmarkDecoder and
// TestDecoderAllocs.
func walk(d *Decoder, data []byte, chunk int, buf []byte) (items int, _ []byte) {
	for len(data) > 0 {
		n := min(chunk, len(data))
		d.Feed(data[:n])
		data = data[n:]
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			items++
			if err == nil && it.Kind == KindMessage {
				buf = readBody(&it.Message, buf[:0])
			}
		}
	}
	return items, buf
}

// readBody parses the bodies the identification signals come from and
// appends their strings to buf.
func readBody(m *Message, buf []byte) []byte {
	switch m.Protocol {
	case SMB1:
		switch {
		case m.Header1.Command == ComNegotiate && !m.Response():
			r, _ := m.NegotiateRequest1()
			it := r.Dialects()
			for it.Next() {
				buf = append(buf, it.Value()...)
			}
		case m.Header1.Command == ComNegotiate:
			r, _ := m.NegotiateResponse1()
			buf = r.DomainName.AppendTo(buf)
		case m.Header1.Command == ComSessionSetupAndX && !m.Response():
			r, _ := m.SessionSetupRequest1()
			buf = r.NativeOS.AppendTo(r.Account.AppendTo(buf))
		case m.Header1.Command == ComSessionSetupAndX:
			r, _ := m.SessionSetupResponse1()
			buf = r.NativeLanMan.AppendTo(r.NativeOS.AppendTo(buf))
		}
	case SMB2:
		switch {
		case m.Header2.Command == Negotiate2 && !m.Response():
			r, _ := m.NegotiateRequest2()
			it := r.Contexts()
			for it.Next() {
				buf = append(buf, it.Data()...)
			}
		case m.Header2.Command == Negotiate2:
			r, _ := m.NegotiateResponse2()
			buf = append(buf, r.ServerGUID[:]...)
		case m.Header2.Command == SessionSetup2 && !m.Response():
			r, _ := m.SessionSetupRequest2()
			buf = append(buf, r.SecurityBuffer...)
		case m.Header2.Command == SessionSetup2:
			r, _ := m.SessionSetupResponse2()
			buf = append(buf, r.SecurityBuffer...)
		}
	}
	return buf
}

func BenchmarkDecoder(b *testing.B) {
	streams := readStreams(b, filepath.Join("testdata", "smb.pcap"))
	n := 0
	for _, s := range streams {
		n += len(s.data)
	}
	var d Decoder
	buf := make([]byte, 0, 4096)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range streams {
			d.Reset()
			_, buf = walk(&d, s.data, 1460, buf)
		}
	}
}
