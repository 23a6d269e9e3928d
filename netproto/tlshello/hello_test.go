package tlshello

import (
	"crypto/tls"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestParseAgainstCryptoTLS parses the hellos of real crypto/tls handshakes
// and checks every decoded field against what crypto/tls itself read from
// the ClientHello and negotiated.
func TestParseAgainstCryptoTLS(t *testing.T) {
	for name, s := range goSessions(t) {
		t.Run(name, func(t *testing.T) {
			ch, sh := firstHellos(t, s.c2s, s.s2c)
			info := s.info
			if got := values(ch.CipherSuites); !slices.Equal(got, info.CipherSuites) {
				t.Errorf("cipher suites %04x, crypto/tls %04x", got, info.CipherSuites)
			}
			if string(ch.ServerName) != info.ServerName {
				t.Errorf("server name %q, crypto/tls %q", ch.ServerName, info.ServerName)
			}
			var exts []uint16
			for it := ch.Extensions.Iter(); it.Next(); {
				exts = append(exts, uint16(it.Type()))
			}
			if !slices.Equal(exts, info.Extensions) {
				t.Errorf("extensions %v, crypto/tls %v", exts, info.Extensions)
			}
			var groups []tls.CurveID
			for _, v := range values(ch.SupportedGroups) {
				groups = append(groups, tls.CurveID(v))
			}
			if !slices.Equal(groups, info.SupportedCurves) {
				t.Errorf("groups %v, crypto/tls %v", groups, info.SupportedCurves)
			}
			var schemes []tls.SignatureScheme
			for _, v := range values(ch.SignatureAlgorithms) {
				schemes = append(schemes, tls.SignatureScheme(v))
			}
			if !slices.Equal(schemes, info.SignatureSchemes) {
				t.Errorf("signature algorithms %v, crypto/tls %v", schemes, info.SignatureSchemes)
			}
			if !slices.Equal(ch.ECPointFormats, info.SupportedPoints) {
				t.Errorf("point formats %v, crypto/tls %v", ch.ECPointFormats, info.SupportedPoints)
			}
			var alpn []string
			for it := ch.ALPN.Iter(); it.Next(); {
				alpn = append(alpn, string(it.Bytes()))
			}
			if !slices.Equal(alpn, info.SupportedProtos) {
				t.Errorf("ALPN %q, crypto/tls %q", alpn, info.SupportedProtos)
			}
			if ch.SupportedVersions != nil && !slices.Equal(values(ch.SupportedVersions), info.SupportedVersions) {
				t.Errorf("versions %04x, crypto/tls %04x", values(ch.SupportedVersions), info.SupportedVersions)
			}
			if got, want := ch.MaxVersion(), Version(slices.Max(info.SupportedVersions)); got != want {
				t.Errorf("MaxVersion %v, want %v", got, want)
			}
			if got := sh.SelectedVersion(); got != Version(s.state.Version) {
				t.Errorf("selected version %v, negotiated %v", got, Version(s.state.Version))
			}
			if sh.CipherSuite != s.state.CipherSuite {
				t.Errorf("cipher %04x, negotiated %04x", sh.CipherSuite, s.state.CipherSuite)
			}
			// TLS 1.3 servers send ALPN in EncryptedExtensions.
			if got := string(sh.ALPN.First()); s.state.Version < tls.VersionTLS13 && got != s.state.NegotiatedProtocol {
				t.Errorf("ALPN %q, negotiated %q", got, s.state.NegotiatedProtocol)
			}
			if got := sh.IsHelloRetryRequest(); got != (name == "hrr") {
				t.Errorf("IsHelloRetryRequest %v", got)
			}
		})
	}
}

// firstHellos decodes the first ClientHello of c2s and the first
// ServerHello of s2c, copied out of the decoders.
func firstHellos(t *testing.T, c2s, s2c []byte) (ClientHello, ServerHello) {
	t.Helper()
	var ch ClientHello
	var sh ServerHello
	for i, stream := range [][]byte{c2s, s2c} {
		var d Decoder
		d.Feed(stream)
		for {
			it, err := d.Next()
			if err != nil {
				t.Fatalf("stream %d: no hello before %v", i, err)
			}
			if it.Kind == KindClientHello && i == 0 {
				ch = *it.ClientHello
				break
			}
			if it.Kind == KindServerHello && i == 1 {
				sh = *it.ServerHello
				break
			}
		}
	}
	return ch, sh
}

func TestParseClientHello(t *testing.T) {
	aes := []uint16{0x1301}
	tests := []struct {
		name    string
		body    []byte
		want    string // describeClient, or a substring of it
		wantOff int    // -1: no error
	}{
		{"ssl3 without extensions", clientHello(0x0300, nil, []uint16{0x000a, 0x0005}, nil),
			`version="SSL 3.0" max="SSL 3.0" sid=0 sni="" alpn=[] versions=[] ciphers=[000a,0005] comp=00 exts=[] groups=[] sigalgs=[] points= ja3=768,10-5,,,`, -1},
		{"empty extensions block", clientHello(0x0301, make([]byte, 32), aes, []ext{}),
			`version="TLS 1.0" max="TLS 1.0" sid=32 sni=""`, -1},
		{"grease", clientHello(0x0303, nil, []uint16{0x0a0a, 0x1301, 0xfafa}, []ext{
			{0x1a1a, nil}, extU16(43, 1, 0x2a2a, 0x0304, 0x0303), extU16(10, 2, 0x3a3a, 29, 23), {11, []byte{1, 0}}, {0xfafa, []byte{0}}}),
			`version="TLS 1.2" max="TLS 1.3" sid=0 sni="" alpn=[] versions=[2a2a,0304,0303] ciphers=[0a0a,1301,fafa] comp=00 exts=[6682,43,10,11,64250] groups=[3a3a,001d,0017] sigalgs=[] points=00 ja3=771,4865,43-10-11,29-23,0`, -1},
		{"only grease versions", clientHello(0x0303, nil, aes, []ext{extU16(43, 1, 0x4a4a)}),
			`version="TLS 1.2" max="TLS 1.2"`, -1},
		{"sni and alpn", clientHello(0x0303, nil, aes, []ext{extSNI("pacs.example.org"), extALPN("dicom", "h2")}),
			`sni="pacs.example.org" alpn=["dicom" "h2"]`, -1},
		{"sni of another name type", clientHello(0x0303, nil, aes, []ext{{0, vec16of(append([]byte{1}, vec16of([]byte("x"))...))}}),
			`sni="" alpn=[]`, -1},
		{"first host_name", clientHello(0x0303, nil, aes, []ext{{0, vec16of([]byte{1, 0, 1, 'x', 0, 0, 1, 'a', 0, 0, 1, 'b'})}}),
			`sni="a"`, -1},
		{"first of a repeated extension", clientHello(0x0303, nil, aes, []ext{extALPN("a"), extALPN("b"), extSNI("one"), extSNI("two")}),
			`sni="one" alpn=["a"]`, -1},
		{"unknown extension with any body", clientHello(0x0303, nil, aes, []ext{{0x7777, []byte{1, 2, 3}}}),
			`exts=[30583]`, -1},
		{"signature algorithms in order", clientHello(0x0303, nil, aes, []ext{extU16(13, 2, 0x0804, 0x0403, 0x0401)}),
			`sigalgs=[0804,0403,0401]`, -1},

		{"empty", nil, "", 0},
		{"short random", make([]byte, 33), "", 33},
		{"session id too long", clientHello(0x0303, make([]byte, 33), aes, nil), "", 34},
		{"session id past the end", append(clientHello(0x0303, nil, aes, nil)[:34], 5, 1), "", 34},
		{"odd cipher length", func() []byte { b := clientHello(0x0303, nil, []uint16{1, 2}, nil); b[36] = 3; return b }(), "", 35},
		{"no cipher suites", clientHello(0x0303, nil, nil, nil), "", 35},
		{"no compression methods", func() []byte { b := clientHello(0x0303, nil, aes, nil); return append(b[:len(b)-2], 0) }(), "", 39},
		{"one byte after compression", append(clientHello(0x0303, nil, aes, nil), 0), "", 41},
		{"extensions block longer than the body", func() []byte { b := clientHello(0x0303, nil, aes, []ext{{1, nil}}); b[42]++; return b }(), "", 41},
		{"bytes after the extensions block", append(clientHello(0x0303, nil, aes, []ext{{1, nil}}), 0), "", 41},
		{"extension past the block", func() []byte { b := clientHello(0x0303, nil, aes, []ext{{1, []byte{1}}}); b[46]++; return b }(), "", 43},
		{"three bytes left in the block", append(clientHello(0x0303, nil, aes, nil), 0, 3, 0, 1, 0), "", 43},
		{"second extension malformed", clientHello(0x0303, nil, aes, []ext{{1, nil}, {16, []byte{0, 1, 0}}}), "", 47},
		{"alpn empty name", clientHello(0x0303, nil, aes, []ext{extALPN("h2", "")}), "", 43},
		{"alpn empty list", clientHello(0x0303, nil, aes, []ext{{16, []byte{0, 0}}}), "", 43},
		{"alpn list shorter than the body", clientHello(0x0303, nil, aes, []ext{{16, []byte{0, 3, 2, 'h', '2', 0}}}), "", 43},
		{"alpn name past the list", clientHello(0x0303, nil, aes, []ext{{16, []byte{0, 3, 3, 'h', '2'}}}), "", 43},
		{"sni empty list", clientHello(0x0303, nil, aes, []ext{{0, []byte{0, 0}}}), "", 43},
		{"sni empty name", clientHello(0x0303, nil, aes, []ext{{0, vec16of([]byte{0, 0, 0})}}), "", 43},
		{"sni truncated entry", clientHello(0x0303, nil, aes, []ext{{0, vec16of([]byte{0, 0})}}), "", 43},
		{"sni empty body", clientHello(0x0303, nil, aes, []ext{{0, nil}}), "", 43},
		{"versions odd", clientHello(0x0303, nil, aes, []ext{{43, []byte{3, 3, 4, 3}}}), "", 43},
		{"versions empty", clientHello(0x0303, nil, aes, []ext{{43, []byte{0}}}), "", 43},
		{"groups empty", clientHello(0x0303, nil, aes, []ext{extU16(10, 2)}), "", 43},
		{"signature algorithms odd", clientHello(0x0303, nil, aes, []ext{{13, []byte{0, 1, 4}}}), "", 43},
		{"point formats empty", clientHello(0x0303, nil, aes, []ext{{11, []byte{0}}}), "", 43},
		{"point formats shorter than the body", clientHello(0x0303, nil, aes, []ext{{11, []byte{1, 0, 1}}}), "", 43},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ParseClientHello(tt.body)
			checkErr(t, err, tt.wantOff)
			if err == nil {
				if got := describeClient(&h); !strings.Contains(got, tt.want) {
					t.Errorf("got  %s\nwant %s", got, tt.want)
				}
			}
		})
	}
}

func checkErr(t *testing.T, err error, wantOff int) {
	t.Helper()
	if wantOff < 0 {
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrMalformed) {
		t.Fatalf("error %v, want an *Error wrapping ErrMalformed", err)
	}
	if e.ByteOffset() != int64(wantOff) {
		t.Errorf("%v: offset %d, want %d", err, e.Offset, wantOff)
	}
}

func TestParseServerHello(t *testing.T) {
	tests := []struct {
		name    string
		body    []byte
		want    string
		wantOff int
	}{
		{"tls 1.0 without extensions", serverHello(0x0301, 0x002f, nil),
			`version="TLS 1.0" selected="TLS 1.0" hrr=false sid=0 cipher=002f comp=0 alpn="" exts=[] points= ja3s=769,47,`, -1},
		{"tls 1.3", serverHello(0x0303, 0x1301, []ext{extU16(51, 2, 29), {43, []byte{3, 4}}, extALPN("dicom")}),
			`version="TLS 1.2" selected="TLS 1.3" hrr=false sid=0 cipher=1301 comp=0 alpn="dicom" exts=[51,43,16] points= ja3s=771,4865,51-43-16`, -1},
		{"empty server_name and point formats", serverHello(0x0303, 0xc02b, []ext{{0, nil}, {11, []byte{1, 0}}}),
			`exts=[0,11] points=00`, -1},
		{"hello retry request", func() []byte {
			b := serverHello(0x0303, 0x1301, []ext{{43, []byte{3, 4}}})
			copy(b[2:], helloRetryRandom)
			return b
		}(), `selected="TLS 1.3" hrr=true`, -1},

		{"short", make([]byte, 34), "", 34},
		{"no cipher", serverHello(0x0303, 0x1301, nil)[:37], "", 35},
		{"versions of three bytes", serverHello(0x0303, 0x1301, []ext{{43, []byte{3, 4, 0}}}), "", 40},
		{"versions as a list", serverHello(0x0303, 0x1301, []ext{extU16(43, 1, 0x0304)}), "", 40},
		{"two alpn protocols", serverHello(0x0303, 0x1301, []ext{extALPN("h2", "http/1.1")}), "", 40},
		{"extension past the block", func() []byte { b := serverHello(0x0303, 0x1301, []ext{{43, []byte{3, 4}}}); b[43]++; return b }(), "", 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ParseServerHello(tt.body)
			checkErr(t, err, tt.wantOff)
			if err == nil {
				if got := describeServer(&h); !strings.Contains(got, tt.want) {
					t.Errorf("got  %s\nwant %s", got, tt.want)
				}
			}
		})
	}
}

// TestParseTruncated cuts every hello of the recorded streams, the
// crypto/tls ones and the hand-built ones at every byte: each prefix is
// malformed, at an offset inside it, except the one that ends where the
// extensions block would begin.
func TestParseTruncated(t *testing.T) {
	streams, _ := streamList(t)
	for _, s := range goSessions(t) {
		streams = append(streams, s.c2s, s.s2c)
	}
	clients, servers, _ := hellos(streams...)
	clients = append(clients, clientHello(0x0303, []byte{1, 2}, []uint16{1, 2}, []ext{extSNI("a.b"), extALPN("h2")}))
	servers = append(servers, serverHello(0x0303, 0x1301, []ext{{43, []byte{3, 4}}}))
	if len(clients) < 8 || len(servers) < 8 {
		t.Fatalf("%d client and %d server hellos", len(clients), len(servers))
	}
	for _, body := range clients {
		h, err := ParseClientHello(body)
		if err != nil {
			t.Fatal(err)
		}
		noExt := len(body) - len(h.Extensions) - 2
		for i := range len(body) {
			_, err := ParseClientHello(body[:i])
			checkPrefix(t, err, i, i == noExt)
		}
	}
	for _, body := range servers {
		h, err := ParseServerHello(body)
		if err != nil {
			t.Fatal(err)
		}
		noExt := len(body) - len(h.Extensions) - 2
		for i := range len(body) {
			_, err := ParseServerHello(body[:i])
			checkPrefix(t, err, i, i == noExt)
		}
	}
}

func checkPrefix(t *testing.T, err error, n int, valid bool) {
	t.Helper()
	if valid {
		if err != nil {
			t.Errorf("prefix of %d bytes, without extensions: %v", n, err)
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrMalformed) || e.Offset < 0 || e.Offset > int64(n) {
		t.Errorf("prefix of %d bytes: %v", n, err)
	}
}

func TestVersionString(t *testing.T) {
	for v, want := range map[Version]string{
		0x0300: "SSL 3.0", 0x0301: "TLS 1.0", 0x0302: "TLS 1.1", 0x0303: "TLS 1.2", 0x0304: "TLS 1.3",
		0: "0x0", 0x0a0a: "0xa0a", 0x0305: "0x305", 0xfefd: "0xfefd", 0x7f1c: "0x7f1c", 0x0002: "0x2",
	} {
		if got := v.String(); got != want {
			t.Errorf("Version(%#x) = %q, want %q", uint16(v), got, want)
		}
	}
}

func TestIsGREASE(t *testing.T) {
	n := 0
	for v := range 1 << 16 {
		if IsGREASE(uint16(v)) {
			n++
			if v>>8 != v&0xff || v&0x0f != 0x0a {
				t.Errorf("IsGREASE(%#04x)", v)
			}
		}
	}
	if n != 16 {
		t.Errorf("%d GREASE values, want 16", n)
	}
}

func TestCodeStrings(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{TypeClientHello.String(), "client_hello"},
		{TypeHelloRequest.String(), "hello_request"},
		{TypeMessageHash.String(), "message_hash"},
		{HandshakeType(3).String(), "HandshakeType(3)"},
		{HandshakeType(255).String(), "HandshakeType(255)"},
		{ExtServerName.String(), "server_name"},
		{ExtALPN.String(), "application_layer_protocol_negotiation"},
		{ExtRenegotiationInfo.String(), "renegotiation_info"},
		{ExtensionType(0x0a0a).String(), "ExtensionType(2570)"},
		{ContentHandshake.String(), "handshake"},
		{ContentType(24).String(), "ContentType(24)"},
		{ContentType(0).String(), "ContentType(0)"},
		{KindClientHello.String(), "client-hello"},
		{KindEncrypted.String(), "encrypted"},
		{Kind(0).String(), "Kind(0)"},
		{Kind(9).String(), "Kind(9)"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}

func TestLists(t *testing.T) {
	l := Uint16List{0x13, 0x01, 0x0a, 0x0a, 0xc0}
	if l.Len() != 2 || l.At(0) != 0x1301 || l.At(1) != 0x0a0a || !slices.Equal(values(l), []uint16{0x1301, 0x0a0a}) {
		t.Errorf("Uint16List %v: Len %d", values(l), l.Len())
	}
	p := ProtocolList{2, 'h', '2', 5, 'x'}
	if string(p.First()) != "h2" {
		t.Errorf("First %q", p.First())
	}
	n := 0
	for it := p.Iter(); it.Next(); n++ {
		if it.Err() != nil {
			t.Error(it.Err())
		}
	}
	if n != 1 || (ProtocolList{3, 'a'}).First() != nil || ProtocolList(nil).First() != nil {
		t.Errorf("ProtocolList iterates %d names", n)
	}
	e := Extensions{0, 16, 0, 1, 'x', 0, 43, 0, 0, 0, 13, 0, 9}
	if e.Len() != 2 || !e.Has(ExtALPN) || !e.Has(ExtSupportedVersions) || e.Has(ExtSignatureAlgorithms) {
		t.Errorf("Extensions: Len %d", e.Len())
	}
	if b, ok := e.Find(ExtSupportedVersions); !ok || b == nil || len(b) != 0 {
		t.Errorf("Find of an empty extension: %v %v", b, ok)
	}
}
