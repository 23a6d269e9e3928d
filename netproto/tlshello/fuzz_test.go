package tlshello

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"testing"
)

// fuzzStreams returns the recorded streams, crypto/tls ones and hand-built
// ones, as seeds.
func fuzzStreams(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, s := range readStreams(f) {
		seeds = append(seeds, s)
	}
	for _, s := range goSessions(f) {
		seeds = append(seeds, s.c2s, s.s2c)
	}
	ch := handshakeMsg(TypeClientHello, clientHello(0x0303, nil, []uint16{0x0a0a, 0x1301}, []ext{extSNI("a"), extALPN("h2"), extU16(43, 1, 0x0304)}))
	sh := handshakeMsg(TypeServerHello, serverHello(0x0303, 0x1301, []ext{{43, []byte{3, 4}}}))
	seeds = append(seeds,
		records(ContentHandshake, 7, ch),
		slices.Concat(records(ContentAlert, 2, []byte{1, 112}), records(ContentHandshake, 3, sh), []byte{20, 3, 3, 0, 1, 1}),
		records(ContentHandshake, 100, slices.Concat(sh, handshakeMsg(TypeCertificate, make([]byte, 300)), handshakeMsg(TypeServerHelloDone, nil))),
		[]byte{0x16, 3, 1, 0xff, 0xff, 1, 0xff, 0xff, 0xff},
	)
	return seeds
}

// FuzzParse checks that parsing never panics, that an error is an *Error
// wrapping ErrMalformed with an offset inside the body, and that a hello
// that parses is exactly its fields: rebuilt from them it is the body again.
func FuzzParse(f *testing.F) {
	clients, servers, _ := hellos(fuzzStreams(f)...)
	for _, b := range clients {
		f.Add(false, b)
	}
	for _, b := range servers {
		f.Add(true, b)
	}
	f.Fuzz(func(t *testing.T, server bool, body []byte) {
		var err error
		var rebuilt []byte
		if server {
			var h ServerHello
			h, err = ParseServerHello(body)
			if err == nil {
				rebuilt = start(h.Version, h.Random, h.SessionID)
				rebuilt = append(binary.BigEndian.AppendUint16(rebuilt, h.CipherSuite), h.CompressionMethod)
				rebuilt = appendBlock(rebuilt, h.Extensions)
				checkDecoded(t, h.Extensions, ExtALPN, h.ALPN, 2)
				checkDecoded(t, h.Extensions, ExtECPointFormats, h.ECPointFormats, 1)
				checkDecoded(t, h.Extensions, ExtSupportedVersions, h.SupportedVersions, 0)
			}
		} else {
			var h ClientHello
			h, err = ParseClientHello(body)
			if err == nil {
				rebuilt = start(h.Version, h.Random, h.SessionID)
				rebuilt = append(binary.BigEndian.AppendUint16(rebuilt, uint16(len(h.CipherSuites))), h.CipherSuites...)
				rebuilt = append(append(rebuilt, byte(len(h.CompressionMethods))), h.CompressionMethods...)
				rebuilt = appendBlock(rebuilt, h.Extensions)
				checkDecoded(t, h.Extensions, ExtALPN, h.ALPN, 2)
				checkDecoded(t, h.Extensions, ExtECPointFormats, h.ECPointFormats, 1)
				checkDecoded(t, h.Extensions, ExtSupportedVersions, h.SupportedVersions, 1)
				checkDecoded(t, h.Extensions, ExtSupportedGroups, h.SupportedGroups, 2)
				checkDecoded(t, h.Extensions, ExtSignatureAlgorithms, h.SignatureAlgorithms, 2)
				if h.ServerName != nil && !h.Extensions.Has(ExtServerName) {
					t.Error("a server name without server_name")
				}
				if v := h.MaxVersion(); IsGREASE(uint16(v)) && v != h.Version {
					t.Errorf("MaxVersion %v", v)
				}
			}
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrMalformed) || e.Offset < 0 || e.Offset > int64(len(body)) {
				t.Fatalf("error %v for %d bytes", err, len(body))
			}
			return
		}
		if !bytes.Equal(rebuilt, body) {
			t.Fatalf("rebuilt\n%x\nfrom\n%x", rebuilt, body)
		}
	})
}

func start(v Version, random, sid []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(v))
	b = append(b, random...)
	return append(append(b, byte(len(sid))), sid...)
}

func appendBlock(b []byte, e Extensions) []byte {
	if e == nil {
		return b
	}
	n := 0
	for it := e.Iter(); it.Next(); {
		n += 4 + len(it.Body())
	}
	if n != len(e) {
		panic("extensions do not fill their block")
	}
	return append(binary.BigEndian.AppendUint16(b, uint16(len(e))), e...)
}

// checkDecoded checks that a decoded field is the body of the first
// extension of its type less its length prefix of prefix bytes.
func checkDecoded(t *testing.T, e Extensions, typ ExtensionType, field []byte, prefix int) {
	t.Helper()
	body, ok := e.Find(typ)
	if ok != (field != nil) || ok && !bytes.Equal(body[prefix:], field) {
		t.Errorf("%v: field %x, extension %x (%v)", typ, field, body, ok)
	}
}

// FuzzDecoder checks that decoding never panics, always ends, reports
// errors as *Error values with offsets inside the stream, holds nothing at
// the end, yields the same items however the stream is cut, and agrees with
// ParseClientHello and ParseServerHello.
func FuzzDecoder(f *testing.F) {
	for _, s := range fuzzStreams(f) {
		f.Add(s, uint16(50), uint16(0))
	}
	f.Fuzz(func(t *testing.T, stream []byte, chunk, max uint16) {
		d := Decoder{MaxHandshake: int(max)}
		want := decodeAll(t, &d, stream, len(stream))
		for _, c := range []int{1, int(chunk)} {
			if c == 0 {
				continue
			}
			d.Reset()
			if got := decodeAll(t, &d, stream, c); !slices.Equal(got, want) {
				t.Fatalf("in chunks of %d:\n%q\nwhole:\n%q", c, got, want)
			}
		}
	})
}
