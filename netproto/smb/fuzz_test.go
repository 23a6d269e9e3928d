package smb

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
)

func addSeeds(f *testing.F) {
	for _, s := range readStreams(f, filepath.Join("testdata", "smb.pcap")) {
		f.Add(s.data[:min(len(s.data), 1500)])
	}
	echo := msg2(Echo2, 0, 0, []byte{4, 0, 0, 0})
	f.Add(frame(compound(echo, echo, msg2(Close2, 0, 0, make([]byte, 24)))))
	f.Add(cat(netbios(NetBIOSRequest, cat(encodeName("PACS", 0x20), encodeName("WS", 0))), frame(echo)))
	f.Add(frame(msg2(Negotiate2, 0, 0, negotiate2Request("pacs", Dialect202, Dialect311))))
	f.Add(frame(msg2(Write2, 0, 0, write2(300))))
	f.Add([]byte("\x17\x03\x03 junk \x00\x00\x00\x44\xfeSMB"))
}

// decodeChecked decodes data in chunks of chunk bytes, checking the
// decoder's promises, and returns the items and errors as lines.
func decodeChecked(t *testing.T, data []byte, chunk int) []string {
	d := Decoder{MaxMessage: 1000}
	steps := 0
	return decodeAll(&d, data, chunk, func(it *Item, err error) {
		if steps++; steps > 4*len(data)+16 {
			t.Fatalf("no progress: %d calls for %d bytes", steps, len(data))
		}
		if d.Buffered() > d.MaxMessage+8 {
			t.Fatalf("%d bytes buffered", d.Buffered())
		}
		switch {
		case err == ErrNeedMore:
		case err != nil:
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(len(data)) {
				t.Fatalf("error %v has no offset within the input", err)
			}
		case it.Offset < 0 || it.Offset >= int64(len(data)):
			t.Fatalf("item at offset %d outside the input", it.Offset)
		case it.Kind == KindMessage && (len(it.Message.Data) > max(d.MaxMessage, StreamedPrefix) || len(it.Message.Data) > it.Message.Length):
			t.Fatalf("message of %d bytes holds %d", it.Message.Length, len(it.Message.Data))
		}
	})
}

func FuzzDecoder(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		whole := decodeChecked(t, data, len(data)+1)
		if cut := decodeChecked(t, data, 3); !slices.Equal(whole, cut) {
			t.Fatalf("items differ with the chunk size:\n%q\n%q", whole, cut)
		}
	})
}

func FuzzParseMessage(f *testing.F) {
	for _, s := range readStreams(f, filepath.Join("testdata", "smb.pcap")) {
		var d Decoder
		d.Feed(s.data)
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			if err == nil && it.Kind == KindMessage && it.Message.Length < 2048 {
				f.Add(it.Message.Data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMessage(b)
		if err != nil {
			return
		}
		// Every body parser, whatever the command: they check it.
		var buf []byte
		buf = readBody(&m, buf)
		for range 2 { // both directions
			m.Header1.Flags ^= 0x80
			m.Header2.Flags ^= Flag2Response
			r1, _ := m.NegotiateResponse1()
			buf = r1.ServerName.AppendTo(buf)
			s1, _ := m.SessionSetupResponse1()
			buf = s1.PrimaryDomain.AppendTo(buf)
			n2, _ := m.NegotiateResponse2()
			it := n2.Contexts()
			for it.Next() {
				buf = append(buf, it.Data()...)
			}
			_, _ = m.SessionSetupRequest2()
		}
		_ = buf
	})
}
