package tlshello

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// JA4's worked example (FoxIO's JA4 specification, "Example" and "Raw
// Output"): the cipher suites, extensions in wire order and signature
// algorithms of a TLS 1.3 ClientHello to a domain offering h2.
var (
	specCiphers = []uint16{0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035}
	specExts    = []uint16{0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015}
	specSigAlgs = []uint16{0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601}
)

const (
	specJA4    = "t13d1516h2_8daaf6152771_e5627efa2ab1"
	specJA4Raw = "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_" +
		"0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601"
)

// specHello builds the example's ClientHello, with GREASE values added to
// every list when grease is set (JA4 leaves them out).
func specHello(grease bool) []byte {
	ciphers, exts, sigs := specCiphers, specExts, specSigAlgs
	versions, groups := []uint16{0x0304, 0x0303}, []uint16{0x001d, 0x0017}
	if grease {
		ciphers = append([]uint16{0x2a2a}, ciphers...)
		exts = append(append([]uint16{0xdada}, exts...), 0x1a1a)
		sigs = append([]uint16{0x0a0a}, sigs...)
		versions = append([]uint16{0x7a7a}, versions...)
		groups = append([]uint16{0x4a4a}, groups...)
	}
	var list []ext
	for _, t := range exts {
		switch t {
		case 0x0000:
			list = append(list, extSNI("example.com"))
		case 0x0010:
			list = append(list, extALPN("h2", "http/1.1"))
		case 0x000d:
			list = append(list, extU16(13, 2, sigs...))
		case 0x002b:
			list = append(list, extU16(43, 1, versions...))
		case 0x000a:
			list = append(list, extU16(10, 2, groups...))
		case 0x000b:
			list = append(list, ext{11, []byte{1, 0}})
		case 0x1a1a:
			list = append(list, ext{t, []byte{0}})
		default:
			list = append(list, ext{t, nil})
		}
	}
	return clientHello(0x0303, make([]byte, 32), ciphers, list)
}

func TestJA4Spec(t *testing.T) {
	for _, grease := range []bool{false, true} {
		h, err := ParseClientHello(specHello(grease))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(h.AppendJA4(nil)); got != specJA4 {
			t.Errorf("grease %v: JA4 %s, want %s", grease, got, specJA4)
		}
		if got := string(h.AppendJA4Raw(nil)); got != specJA4Raw {
			t.Errorf("grease %v: JA4_r %s, want %s", grease, got, specJA4Raw)
		}
		if got, want := string(h.AppendJA4(nil)), refJA4(&h); got != want {
			t.Errorf("grease %v: JA4 %s, the test's %s", grease, got, want)
		}
	}
	// The hashes the specification shows on their own.
	for in, want := range map[string]string{
		"0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601": "e5627efa2ab1",
		"0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01":                                         "6d807ffa2a79",
		"": "000000000000",
	} {
		if got := string(appendHash12([]byte("x"), 1)[1:]); in == "" && got != want {
			t.Errorf("hash of nothing %s", got)
		}
		b := append([]byte("prefix"), in...)
		if got := string(appendHash12(b, 6)[6:]); got != want {
			t.Errorf("hash of %q: %s, want %s", in, got, want)
		}
	}
}

// TestJA4Parts checks the first part of JA4 against the specification's
// rules: versions, SNI, counts and the ALPN characters.
func TestJA4Parts(t *testing.T) {
	many := make([]uint16, 120)
	for i := range many {
		many[i] = uint16(i + 1)
	}
	raw := func(b ...byte) string { return string(b) }
	for _, tt := range []struct {
		name    string
		version uint16
		ciphers []uint16
		exts    []ext
		want    string
	}{
		{"legacy version only", 0x0301, []uint16{0x2f}, nil, "t10i0100"},
		{"SSL 3.0", 0x0300, []uint16{0x2f}, nil, "ts3i0100"},
		{"supported_versions, GREASE first", 0x0303, []uint16{0x2f}, []ext{extU16(43, 1, 0xfafa, 0x0302, 0x0304, 0x0303)}, "t13i0101"},
		{"only GREASE in supported_versions", 0x0302, []uint16{0x2f}, []ext{extU16(43, 1, 0xfafa)}, "t11i0101"},
		{"unknown version", 0x0305, []uint16{0x2f}, nil, "t00i0100"},
		{"DTLS 1.2", 0xfefd, []uint16{0x2f}, nil, "td2i0100"},
		{"SNI without host_name", 0x0303, []uint16{0x2f}, []ext{{0, vec16of(append([]byte{1}, vec16of([]byte("x"))...))}}, "t12d0101"},
		{"99 at most", 0x0303, many, nil, "t12i9900"},
		{"only GREASE ciphers", 0x0303, []uint16{0x0a0a}, nil, "t12i000000_000000000000_000000000000"},
		{"ALPN h2", 0x0303, []uint16{0x2f}, []ext{extALPN("h2")}, "t12i0101h2"},
		{"ALPN http/1.1", 0x0303, []uint16{0x2f}, []ext{extALPN("http/1.1", "h2")}, "t12i0101h1"},
		{"ALPN of one character", 0x0303, []uint16{0x2f}, []ext{extALPN("a")}, "t12i0101aa"},
		// The specification's examples of non-alphanumeric ALPN values.
		{"ALPN 0xAB", 0x0303, []uint16{0x2f}, []ext{extALPN(raw(0xab))}, "t12i0101ab"},
		{"ALPN 0x20", 0x0303, []uint16{0x2f}, []ext{extALPN(raw(0x20))}, "t12i010120"},
		{"ALPN 0xAB 0xCD", 0x0303, []uint16{0x2f}, []ext{extALPN(raw(0xab, 0xcd))}, "t12i0101ad"},
		{"ALPN 0x20 0x61", 0x0303, []uint16{0x2f}, []ext{extALPN(raw(0x20, 0x61))}, "t12i010121"},
		{"ALPN 0x30 0xAB", 0x0303, []uint16{0x2f}, []ext{extALPN(raw(0x30, 0xab))}, "t12i01013b"},
		{"ALPN 0x61 0x20", 0x0303, []uint16{0x2f}, []ext{extALPN(raw(0x61, 0x20))}, "t12i010160"},
		{"ALPN 0x30 0x31 0xAB 0xCD", 0x0303, []uint16{0x2f}, []ext{extALPN(raw(0x30, 0x31, 0xab, 0xcd))}, "t12i01013d"},
		{"ALPN 0x30 0xAB 0xCD 0x31", 0x0303, []uint16{0x2f}, []ext{extALPN(raw(0x30, 0xab, 0xcd, 0x31))}, "t12i010101"},
	} {
		h, err := ParseClientHello(clientHello(tt.version, nil, tt.ciphers, tt.exts))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := string(h.AppendJA4(nil)); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: JA4 %s, want %s...", tt.name, got, tt.want)
		}
		if got, want := string(h.AppendJA4(nil)), refJA4(&h); got != want {
			t.Errorf("%s: JA4 %s, the test's %s", tt.name, got, want)
		}
	}
}

// TestJA4Sorting checks the sorting in passes with lists longer than one
// pass's array, repeated values and GREASE among them, against sorting in
// the test.
func TestJA4Sorting(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 127, 128, 129, 255, 256, 257, 1000, 8000} {
		for _, spread := range []int{5, 0x10000} {
			ciphers := make([]uint16, n+1) // at least one
			for i := range ciphers {
				ciphers[i] = uint16(r.IntN(spread))
			}
			ciphers[0] = 0x3a3a
			var exts []ext
			seen := map[uint16]bool{}
			for range min(n, 3000) {
				typ := uint16(r.IntN(spread))
				if typ < 64 || seen[typ] && typ%3 != 0 {
					typ += 64 // not one the parser decodes
				}
				seen[typ] = true
				exts = append(exts, ext{typ, nil})
			}
			exts = append(exts, extSNI("a"), extALPN("b"))
			h, err := ParseClientHello(clientHello(0x0303, nil, ciphers, exts))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(h.AppendJA4Raw(nil)), refJA4Raw(&h); got != want {
				t.Fatalf("%d values below %d: JA4_r\n%s\nwant\n%s", n, spread, got, want)
			}
			if got, want := string(h.AppendJA4(nil)), refJA4(&h); got != want {
				t.Fatalf("%d values below %d: JA4 %s, want %s", n, spread, got, want)
			}
		}
	}
}

// refJA4Raw is a second implementation of JA4_r from the specification's
// text, with the standard library's sort.
func refJA4Raw(h *ClientHello) string {
	var ciphers, exts, sigs []string
	for _, c := range values(h.CipherSuites) {
		if !IsGREASE(c) {
			ciphers = append(ciphers, fmt.Sprintf("%04x", c))
		}
	}
	nExt := 0
	sni := "i"
	for it := h.Extensions.Iter(); it.Next(); {
		typ := uint16(it.Type())
		if IsGREASE(typ) {
			continue
		}
		nExt++
		if typ == 0 {
			sni = "d"
		}
		if typ != 0 && typ != 16 {
			exts = append(exts, fmt.Sprintf("%04x", typ))
		}
	}
	for _, s := range values(h.SignatureAlgorithms) {
		if !IsGREASE(s) {
			sigs = append(sigs, fmt.Sprintf("%04x", s))
		}
	}
	v := map[Version]string{0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10", 0x0300: "s3", 0x0002: "s2", 0xfeff: "d1", 0xfefd: "d2", 0xfefc: "d3"}[h.MaxVersion()]
	if v == "" {
		v = "00"
	}
	alpn := "00"
	if p := h.ALPN.First(); len(p) > 0 {
		alnum := func(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
		if alnum(p[0]) && alnum(p[len(p)-1]) {
			alpn = string([]byte{p[0], p[len(p)-1]})
		} else {
			x := hex.EncodeToString(p)
			alpn = x[:1] + x[len(x)-1:]
		}
	}
	slices.Sort(ciphers)
	slices.Sort(exts)
	c := strings.Join(exts, ",")
	if len(sigs) > 0 {
		c += "_" + strings.Join(sigs, ",")
	}
	return fmt.Sprintf("t%s%s%02d%02d%s_%s_%s", v, sni, min(len(ciphers), 99), min(nExt, 99), alpn, strings.Join(ciphers, ","), c)
}

// refJA4 hashes the lists of refJA4Raw.
func refJA4(h *ClientHello) string {
	parts := strings.SplitN(refJA4Raw(h), "_", 3)
	hash := func(s string) string {
		if s == "" {
			return "000000000000"
		}
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:6])
	}
	return parts[0] + "_" + hash(parts[1]) + "_" + hash(parts[2])
}

func TestJA3(t *testing.T) {
	for _, tt := range []struct {
		name   string
		client []byte
		want   string
	}{
		{"no extensions", clientHello(0x0301, nil, []uint16{0x2f, 0x35, 0x0a0a}, nil), "769,47-53,,,"},
		{"GREASE everywhere", clientHello(0x0303, nil, []uint16{0x1a1a, 0x1301}, []ext{{0x2a2a, nil}, extSNI("a"),
			extU16(10, 2, 0x3a3a, 29, 23), {11, []byte{2, 0, 1}}, {0xfafa, []byte{0}}}), "771,4865,0-10-11,29-23,0-1"},
		{"spec hello", specHello(true), "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53," +
			"27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21,29-23,0"},
	} {
		h, err := ParseClientHello(tt.client)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(h.AppendJA3Full(nil)); got != tt.want || got != refJA3(&h) {
			t.Errorf("%s: JA3 %s, want %s (test's %s)", tt.name, got, tt.want, refJA3(&h))
		}
		if got := string(h.AppendJA3([]byte("x"))); got != "x"+md5hex(tt.want) {
			t.Errorf("%s: JA3 hash %s", tt.name, got)
		}
	}
	s, err := ParseServerHello(serverHello(0x0303, 0xc02f, []ext{{0xff01, []byte{0}}, {0x0a0a, nil}, {23, nil}}))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(s.AppendJA3SFull(nil)); got != "771,49199,65281-23" || got != refJA3S(&s) {
		t.Errorf("JA3S %s", got)
	}
	if got := string(s.AppendJA3S(nil)); got != md5hex("771,49199,65281-23") {
		t.Errorf("JA3S hash %s", got)
	}
}

// handBuilt returns hand-built handshakes, as client and server streams,
// for comparing fingerprints with tshark's: GREASE in every list, a hello
// without extensions, the JA4 specification's example.
func handBuilt() map[string][2][]byte {
	sh := func(exts []ext) []byte {
		return records(ContentHandshake, 1<<14, handshakeMsg(TypeServerHello, serverHello(0x0303, 0xc02f, exts)))
	}
	ch := func(b []byte) []byte { return records(ContentHandshake, 1<<14, handshakeMsg(TypeClientHello, b)) }
	return map[string][2][]byte{
		"hand-grease": {ch(clientHello(0x0303, nil, []uint16{0x1a1a, 0x1301, 0xc02f}, []ext{{0x2a2a, nil}, extSNI("a.example"),
			extU16(10, 2, 0x3a3a, 29, 23), {11, []byte{2, 0, 1}}, extU16(13, 2, 0x0a0a, 0x0403), extU16(43, 1, 0x5a5a, 0x0304, 0x0303), {0xfafa, []byte{0}}})),
			sh([]ext{{0xff01, []byte{0}}, {0x0a0a, nil}, {23, nil}})},
		"hand-no-extensions": {ch(clientHello(0x0300, nil, []uint16{0x0a, 0x2f}, nil)), sh(nil)},
		"hand-ja4-spec":      {ch(specHello(true)), sh([]ext{{43, []byte{3, 4}}})},
	}
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestFingerprintAllocs(t *testing.T) {
	clients, servers, _ := recordedHellos(t)
	buf := make([]byte, 0, 4096)
	n := testing.AllocsPerRun(50, func() {
		for _, b := range clients {
			h, _ := ParseClientHello(b)
			buf = h.AppendJA3(buf[:0])
			buf = h.AppendJA3Full(buf[:0])
			buf = h.AppendJA4(buf[:0])
			buf = h.AppendJA4Raw(buf[:0])
		}
		for _, b := range servers {
			h, _ := ParseServerHello(b)
			buf = h.AppendJA3S(buf[:0])
			buf = h.AppendJA3SFull(buf[:0])
		}
	})
	if n != 0 {
		t.Errorf("fingerprints allocate %v times", n)
	}
}

// BenchmarkFingerprints computes the fingerprints of curl's ClientHello
// (508 bytes, 31 cipher suites, 12 extensions): JA3 and JA4 alone, then
// from the hello's bytes (parsing, JA3 and JA4).
func BenchmarkFingerprints(b *testing.B) {
	stream := readStreams(b)["curl-h2.c2s"]
	body := stream[9 : 9+int(binary.BigEndian.Uint16(stream[7:]))]
	h, err := ParseClientHello(body)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 1024)
	for _, bm := range []struct {
		name string
		f    func()
	}{
		{"ja3", func() { buf = h.AppendJA3(buf[:0]) }},
		{"ja4", func() { buf = h.AppendJA4(buf[:0]) }},
		{"parse+ja3+ja4", func() {
			h, _ := ParseClientHello(body)
			buf = h.AppendJA3(buf[:0])
			buf = h.AppendJA4(buf[:0])
		}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bm.f()
			}
		})
	}
}
