package tlshello

import (
	"strconv"
	"testing"
)

// parseHellos parses every hello body and walks every list, as a fingerprint
// would; it returns a sum so that nothing is optimised away.
func parseHellos(clients, servers [][]byte) int {
	n := 0
	for _, b := range clients {
		h, err := ParseClientHello(b)
		if err != nil {
			panic(err)
		}
		n += len(h.ServerName) + len(h.ALPN.First()) + int(h.MaxVersion())
		for _, l := range []Uint16List{h.CipherSuites, h.SupportedGroups, h.SignatureAlgorithms} {
			for it := l.Iter(); it.Next(); {
				if !IsGREASE(it.Value()) {
					n++
				}
			}
		}
		for it := h.Extensions.Iter(); it.Next(); {
			n += int(it.Type())
		}
		for it := h.ALPN.Iter(); it.Next(); {
			n += len(it.Bytes())
		}
	}
	for _, b := range servers {
		h, err := ParseServerHello(b)
		if err != nil {
			panic(err)
		}
		n += int(h.CipherSuite) + int(h.SelectedVersion()) + h.Extensions.Len()
	}
	return n
}

// recordedHellos returns the hello bodies of the recorded streams.
func recordedHellos(tb testing.TB) (clients, servers [][]byte, size int) {
	streams, _ := streamList(tb)
	return hellos(streams...)
}

// decodeStreams decodes each stream in chunks of the given size and returns
// the number of items.
func decodeStreams(d *Decoder, streams [][]byte, chunk int) int {
	n := 0
	for _, s := range streams {
		d.Reset()
		for len(s) > 0 {
			c := min(chunk, len(s))
			d.Feed(s[:c])
			s = s[c:]
			for {
				_, err := d.Next()
				if err == ErrNeedMore {
					break
				}
				if err != nil {
					panic(err)
				}
				n++
			}
		}
	}
	return n
}

func streamList(tb testing.TB) (streams [][]byte, size int) {
	for _, s := range readStreams(tb) {
		streams = append(streams, s)
		size += len(s)
	}
	return streams, size
}

func BenchmarkParse(b *testing.B) {
	clients, servers, size := recordedHellos(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		parseHellos(clients, servers)
	}
}

// BenchmarkParseClientHello parses curl's ClientHello (508 bytes, 16
// extensions) without walking its lists.
func BenchmarkParseClientHello(b *testing.B) {
	stream := readStreams(b)["curl-h2.c2s"]
	n := int(stream[7])<<8 | int(stream[8])
	body := stream[9 : 9+n]
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseClientHello(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecoder(b *testing.B) {
	streams, size := streamList(b)
	for _, chunk := range []int{1460, 100} {
		b.Run("chunk-"+strconv.Itoa(chunk), func(b *testing.B) {
			var d Decoder
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				decodeStreams(&d, streams, chunk)
			}
		})
	}
}
