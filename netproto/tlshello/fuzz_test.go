package tlshello

import (
	"bytes"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"math/big"
	"slices"
	"testing"
	"time"
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
// ParseClientHello and ParseServerHello; with limits from 0 (the defaults)
// up, and with the version known to be TLS 1.3 or not.
func FuzzDecoder(f *testing.F) {
	for _, s := range fuzzStreams(f) {
		f.Add(s, uint16(50), uint16(0), false)
		f.Add(s, uint16(300), uint16(0), true)
	}
	f.Fuzz(func(t *testing.T, stream []byte, chunk, max uint16, tls13 bool) {
		d := Decoder{MaxHandshake: int(max), MaxCertificate: int(max)}
		if tls13 {
			d.SetVersion(VersionTLS13)
		}
		want := decodeAll(t, &d, stream, len(stream))
		for _, c := range []int{1, int(chunk)} {
			if c == 0 {
				continue
			}
			d.Reset()
			if tls13 {
				d.SetVersion(VersionTLS13)
			}
			if got := decodeAll(t, &d, stream, c); !slices.Equal(got, want) {
				t.Fatalf("in chunks of %d:\n%q\nwhole:\n%q", c, got, want)
			}
		}
	})
}

// FuzzFingerprints checks that the fingerprints of every hello that parses
// agree with the second implementations of the tests (refJA3, refJA3S,
// refJA4Raw, refJA4), and that they append to what dst holds.
func FuzzFingerprints(f *testing.F) {
	clients, servers, _ := hellos(fuzzStreams(f)...)
	for _, b := range clients {
		f.Add(false, b)
	}
	for _, b := range servers {
		f.Add(true, b)
	}
	f.Add(false, specHello(true))
	f.Fuzz(func(t *testing.T, server bool, body []byte) {
		prefix := []byte("prefix")
		if server {
			h, err := ParseServerHello(body)
			if err != nil {
				return
			}
			if got, want := string(h.AppendJA3SFull(prefix)), "prefix"+refJA3S(&h); got != want {
				t.Fatalf("JA3S %q, want %q", got, want)
			}
			if got, want := string(h.AppendJA3S(prefix)), "prefix"+md5hex(refJA3S(&h)); got != want {
				t.Fatalf("JA3S hash %q, want %q", got, want)
			}
			return
		}
		h, err := ParseClientHello(body)
		if err != nil {
			return
		}
		for _, c := range []struct {
			name      string
			got, want string
		}{
			{"JA3", string(h.AppendJA3Full(prefix)), "prefix" + refJA3(&h)},
			{"JA3 hash", string(h.AppendJA3(prefix)), "prefix" + md5hex(refJA3(&h))},
			{"JA4_r", string(h.AppendJA4Raw(prefix)), "prefix" + refJA4Raw(&h)},
			{"JA4", string(h.AppendJA4(prefix)), "prefix" + refJA4(&h)},
		} {
			if c.got != c.want {
				t.Fatalf("%s %q, want %q", c.name, c.got, c.want)
			}
		}
	})
}

// FuzzCertificate checks that parsing a certificate never panics, that an
// error is an *Error wrapping ErrCertificate with an offset inside the
// input, that the names of a certificate that parses can be walked, and
// that a certificate crypto/x509 parses is parsed here too, with the same
// names, serial number, key, signature and validity (where it is in RFC
// 5280's form).
func FuzzCertificate(f *testing.F) {
	for _, c := range testCerts(f) {
		f.Add(c.der)
	}
	f.Add(selfSigned(f).Certificate[0])
	f.Fuzz(func(t *testing.T, der []byte) {
		c, err := ParseCertificate(der)
		x, xerr := x509.ParseCertificate(der)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrCertificate) || e.Offset < 0 || e.Offset > int64(len(der)) {
				t.Fatalf("error %v for %d bytes", err, len(der))
			}
			if xerr == nil {
				t.Fatalf("crypto/x509 parses what ParseCertificate does not: %v", err)
			}
			return
		}
		for _, n := range []Name{c.Issuer, c.Subject} {
			for it := n.Iter(); it.Next(); {
				it.Value().AppendUTF8(nil)
			}
			n.CommonName().AppendUTF8(nil)
		}
		if xerr != nil {
			return
		}
		if !bytes.Equal(c.Issuer, x.RawIssuer) || !bytes.Equal(c.Subject, x.RawSubject) || !bytes.Equal(c.TBS, x.RawTBSCertificate) ||
			!bytes.Equal(c.PublicKeyInfo, x.RawSubjectPublicKeyInfo) || !bytes.Equal(c.Signature, x.Signature) ||
			new(big.Int).SetBytes(c.SerialNumber).Cmp(new(big.Int).Abs(x.SerialNumber)) != 0 && x.SerialNumber.Sign() >= 0 ||
			c.Version != x.Version {
			t.Fatalf("differs from crypto/x509's:\n%+v\n%+v", c, x)
		}
		for _, tm := range [][2]time.Time{{c.NotBefore, x.NotBefore}, {c.NotAfter, x.NotAfter}} {
			if !tm[0].IsZero() && !tm[0].Equal(tm[1]) {
				t.Fatalf("time %v, crypto/x509 %v", tm[0], tm[1])
			}
		}
	})
}
