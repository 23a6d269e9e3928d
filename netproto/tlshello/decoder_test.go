package tlshello

import (
	"bytes"
	"crypto/tls"
	"errors"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/streams.golden")

// TestDecoderStreams decodes the recorded streams cut in chunks of many
// sizes, checks that the chunking changes nothing and compares the items
// with testdata/streams.golden.
func TestDecoderStreams(t *testing.T) {
	streams := readStreams(t)
	names := slices.Sorted(maps.Keys(streams))
	var out bytes.Buffer
	var d Decoder
	for _, name := range names {
		stream := streams[name]
		d.Reset()
		want := decodeAll(t, &d, stream, len(stream))
		for _, chunk := range []int{1, 2, 3, 5, 9, 50, 1460} {
			d.Reset()
			if got := decodeAll(t, &d, stream, chunk); !slices.Equal(got, want) {
				t.Errorf("%s in chunks of %d:\n%s\nwhole:\n%s", name, chunk, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
		out.WriteString(name + "\n")
		for _, l := range want {
			out.WriteString("\t" + l + "\n")
		}
	}
	golden := filepath.Join("testdata", "streams.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("items differ from %s (go test -update to rewrite):\n%s", golden, out.Bytes())
	}
}

// adapterJSON writes what the flow adapter's TLSHello writes for a hello
// item today, from this package's API alone: the adapter's event text.
func adapterJSON(it Item) string {
	var b strings.Builder
	var versions []Version
	var alpn ProtocolList
	switch it.Kind {
	case KindClientHello:
		h := it.ClientHello
		if len(h.ServerName) > 0 {
			b.WriteString(`,"server_name":` + strconv.Quote(string(h.ServerName)))
		}
		if h.SupportedVersions != nil {
			for v := h.SupportedVersions.Iter(); v.Next(); {
				if !IsGREASE(v.Value()) {
					versions = append(versions, Version(v.Value()))
				}
			}
		} else {
			versions = append(versions, h.Version)
		}
		alpn = h.ALPN
	case KindServerHello:
		versions = append(versions, it.ServerHello.SelectedVersion())
		alpn = it.ServerHello.ALPN
	}
	b.WriteString(`,"versions":[`)
	for i, v := range versions {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(v.String()))
	}
	b.WriteByte(']')
	if alpn != nil {
		b.WriteString(`,"alpn":[`)
		for p, i := alpn.Iter(), 0; p.Next(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(string(p.Bytes())))
		}
		b.WriteByte(']')
	}
	if it.Kind == KindServerHello {
		c := it.ServerHello.CipherSuite
		b.WriteString(`,"cipher":"0x` + strconv.FormatUint(uint64(c)|1<<16, 16)[1:] + `"`)
	}
	return b.String()
}

// TestAdapterEquivalence replays the handshake of flow's TestTLSHello in
// 50-byte chunks and checks that the package yields what the adapter
// reports today.
func TestAdapterEquivalence(t *testing.T) {
	s := handshake(t, &tls.Config{ServerName: "pacs.example.org", InsecureSkipVerify: true, NextProtos: []string{"dicom"}, MinVersion: tls.VersionTLS12},
		&tls.Config{NextProtos: []string{"dicom"}})
	var got []string
	for _, stream := range [][]byte{s.c2s, s.s2c} {
		var d Decoder
		feedChunks(t, &d, stream, 50, func(it Item) {
			if it.Kind == KindClientHello || it.Kind == KindServerHello {
				got = append(got, it.Kind.String()+" "+adapterJSON(it))
			}
		}, nil)
	}
	want := []string{
		`client-hello ,"server_name":"pacs.example.org","versions":["TLS 1.3","TLS 1.2"],"alpn":["dicom"]`,
		`server-hello ,"versions":["TLS 1.3"],"cipher":"0x` + strconv.FormatUint(uint64(s.state.CipherSuite), 16) + `"`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// decodeErrs feeds stream in one chunk and returns the items and errors.
// feedChunks feeds stream to d in chunks of n bytes, calls each for every
// item while it is valid and chunkDone, unless nil, after each chunk's
// items. An error fails t.
func feedChunks(t *testing.T, d *Decoder, stream []byte, n int, each func(Item), chunkDone func()) {
	t.Helper()
	for p := stream; len(p) > 0; {
		c := min(n, len(p))
		d.Feed(p[:c])
		p = p[c:]
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			each(it)
		}
		if chunkDone != nil {
			chunkDone()
		}
	}
}

func decodeErrs(d *Decoder, stream []byte) ([]Item, []error) {
	var items []Item
	var errs []error
	d.Feed(stream)
	for {
		it, err := d.Next()
		if err == ErrNeedMore {
			return items, errs
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, it)
	}
}

func wantErr(t *testing.T, err error, sentinel error, off int64) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, sentinel) || e.Offset != off {
		t.Errorf("error %v, want %v at offset %d", err, sentinel, off)
	}
}

// TestDecoderGarbage is flow's TestTLSGarbage: a handshake record declaring
// 64 KiB, then junk, is one error, and the junk costs nothing.
func TestDecoderGarbage(t *testing.T) {
	var d Decoder
	_, errs := decodeErrs(&d, []byte{0x16, 3, 1, 0xff, 0xff, 1, 0xff, 0xff, 0xff})
	if len(errs) != 1 {
		t.Fatalf("errors %v", errs)
	}
	wantErr(t, errs[0], ErrTooLarge, 0)
	for range 10 {
		if items, errs := decodeErrs(&d, make([]byte, 1400)); len(items)+len(errs) != 0 || d.Buffered() != 0 {
			t.Fatalf("after the error: %v %v, %d buffered", items, errs, d.Buffered())
		}
	}
	d.Flush()
	if _, err := d.Next(); err != ErrNeedMore {
		t.Fatal(err)
	}
}

func TestDecoderNotTLS(t *testing.T) {
	var d Decoder
	items, errs := decodeErrs(&d, []byte("GET / HTTP/1.1\r\n\r\n"))
	if len(items) != 0 || len(errs) != 1 {
		t.Fatalf("%v %v", items, errs)
	}
	wantErr(t, errs[0], ErrNotHandshake, 0)
	// An SSL 2.0 compatible hello, and a heartbeat record after a hello.
	d.Reset()
	_, errs = decodeErrs(&d, []byte{0x80, 0x2e, 0x01, 0x03, 0x01, 0, 0x15})
	wantErr(t, errs[0], ErrNotHandshake, 0)
	d.Reset()
	hello := records(ContentHandshake, 1<<14, handshakeMsg(TypeClientHello, clientHello(0x0303, nil, []uint16{1}, nil)))
	items, errs = decodeErrs(&d, append(hello, 24, 3, 3, 0, 3, 1, 0, 0))
	if len(items) != 1 || len(errs) != 1 {
		t.Fatalf("%v %v", items, errs)
	}
	wantErr(t, errs[0], ErrNotHandshake, int64(len(hello)))
}

// TestDecoderRecords checks hellos split over records of every size, several
// messages in one record, alerts between records and the end of the clear
// text.
func TestDecoderRecords(t *testing.T) {
	ch := handshakeMsg(TypeClientHello, clientHello(0x0303, nil, []uint16{0x1301, 0x1302}, []ext{extSNI("pacs.example.org"), extALPN("dicom")}))
	var want []string
	var d Decoder
	for _, max := range []int{1, 2, 3, 4, 5, 7, 100, 1 << 14} {
		stream := records(ContentHandshake, max, ch)
		stream = append(stream, records(ContentAlert, 2, []byte{1, 112})...)
		stream = append(stream, records(ContentHandshake, max, handshakeMsg(TypeServerHelloDone, nil))...)
		stream = append(stream, records(ContentHandshake, max, handshakeMsg(TypeCertificate, certList(selfSigned(t).Certificate[0], make([]byte, 3000))))...)
		stream = append(stream, 20, 3, 3, 0, 1, 1)
		for _, chunk := range []int{1, 3, len(stream)} {
			d.Reset()
			got := decodeAll(t, &d, stream, chunk)
			if want == nil {
				want = got
				continue
			}
			// Offsets differ with the record size; the rest does not.
			if !slices.EqualFunc(got, want, func(a, b string) bool { return a[strings.IndexByte(a, ' '):] == b[strings.IndexByte(b, ' '):] }) {
				t.Errorf("records of %d, chunks of %d:\n%s\nwant\n%s", max, chunk, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	}
	if len(want) != 4 || !strings.Contains(want[0], `sni="pacs.example.org" alpn=["dicom"]`) ||
		!strings.HasSuffix(want[1], "handshake server_hello_done len=0") ||
		!strings.Contains(want[2], ` certificate len=`) || !strings.Contains(want[2], `cn="pacs.example.org"`) ||
		!strings.HasSuffix(want[3], "encrypted change_cipher_spec") {
		t.Errorf("items:\n%s", strings.Join(want, "\n"))
	}
	// Several messages in one record.
	d.Reset()
	sh := handshakeMsg(TypeServerHello, serverHello(0x0303, 0xc02f, nil))
	stream := records(ContentHandshake, 1<<14, slices.Concat(sh, handshakeMsg(TypeCertificate, []byte{0, 0, 0}), handshakeMsg(TypeServerHelloDone, nil)))
	stream = append(stream, 23, 3, 3, 0, 0)
	items, errs := decodeErrs(&d, stream)
	if len(errs) != 0 || len(items) != 4 || items[0].Kind != KindServerHello || items[1].Type != TypeCertificate ||
		items[2].Type != TypeServerHelloDone || items[3].Kind != KindEncrypted || items[3].Record != ContentApplicationData {
		t.Errorf("%v %v", items, errs)
	}
	if items[1].Offset != 5+int64(len(sh)) || items[1].Length != 3 || items[3].Offset != int64(len(stream))-5 {
		t.Errorf("offsets: %+v %+v", items[1], items[3])
	}
}

// TestDecoderEncrypted checks that the direction ends with the first
// ChangeCipherSpec or application-data record, and that what follows costs
// nothing.
func TestDecoderEncrypted(t *testing.T) {
	ch := records(ContentHandshake, 1<<14, handshakeMsg(TypeClientHello, clientHello(0x0303, nil, []uint16{1}, nil)))
	var d Decoder
	items, errs := decodeErrs(&d, slices.Concat(ch, []byte{20, 3, 3, 0, 1, 1}, ch))
	if len(errs) != 0 || len(items) != 2 || items[1].Kind != KindEncrypted || items[1].Offset != int64(len(ch)) {
		t.Fatalf("%v %v", items, errs)
	}
	big := make([]byte, 1<<20)
	for range 3 {
		if items, errs := decodeErrs(&d, big); len(items)+len(errs) != 0 || d.Buffered() != 0 {
			t.Fatalf("after the end: %v %v", items, errs)
		}
	}
	// A ChangeCipherSpec in the middle of a hello truncates it.
	d.Reset()
	split := records(ContentHandshake, 10, ch[5:])
	items, errs = decodeErrs(&d, slices.Concat(split[:15], []byte{20, 3, 3, 0, 1, 1}))
	if len(errs) != 1 || len(items) != 1 || items[0].Kind != KindEncrypted || items[0].Offset != 15 {
		t.Fatalf("%v %v", items, errs)
	}
	wantErr(t, errs[0], ErrTruncated, 5)
	// A hello split across records, then application data.
	d.Reset()
	items, errs = decodeErrs(&d, slices.Concat(records(ContentHandshake, 8, handshakeMsg(TypeClientHello, make([]byte, 20)))[:26], []byte{23, 3, 3, 0, 0}))
	if len(errs) != 1 || len(items) != 1 || items[0].Record != ContentApplicationData {
		t.Fatalf("%v %v", items, errs)
	}
	wantErr(t, errs[0], ErrTruncated, 5)
}

func TestDecoderMalformed(t *testing.T) {
	bad := clientHello(0x0303, nil, []uint16{1}, []ext{{1, nil}, {16, []byte{0, 1, 0}}}) // ALPN at 47
	good := handshakeMsg(TypeClientHello, clientHello(0x0303, nil, []uint16{1}, nil))
	var d Decoder
	// In one record the offset is exact, and the next hello is decoded.
	stream := records(ContentHandshake, 1<<14, slices.Concat(handshakeMsg(TypeClientHello, bad), good))
	items, errs := decodeErrs(&d, stream)
	if len(errs) != 1 || len(items) != 1 || items[0].Kind != KindClientHello || items[0].Offset != 5+4+int64(len(bad)) {
		t.Fatalf("%v %v", items, errs)
	}
	wantErr(t, errs[0], ErrMalformed, 5+4+47)
	// Split across records, offsets are exact up to the first record
	// boundary inside the body, and the message's start after it.
	for _, tt := range []struct {
		max  int
		want int64
	}{{4 + 47 + 1, 5 + 4 + 47}, {4 + 47, 5}, {4, 5}, {2, 5}, {-4, 5 + 4 + 5 + 47}} {
		msg := handshakeMsg(TypeClientHello, bad)
		var stream []byte
		if tt.max < 0 { // the header alone in the first record
			stream = append(records(ContentHandshake, 4, msg[:4]), records(ContentHandshake, 1<<14, msg[4:])...)
		} else {
			stream = records(ContentHandshake, tt.max, msg)
		}
		d.Reset()
		_, errs = decodeErrs(&d, stream)
		if len(errs) != 1 {
			t.Fatalf("records of %d: %v", tt.max, errs)
		}
		wantErr(t, errs[0], ErrMalformed, tt.want)
	}
	// A ServerHello, an empty hello.
	d.Reset()
	_, errs = decodeErrs(&d, records(ContentHandshake, 1<<14, slices.Concat(handshakeMsg(TypeServerHello, make([]byte, 36)), handshakeMsg(TypeClientHello, nil))))
	if len(errs) != 2 {
		t.Fatalf("%v", errs)
	}
	wantErr(t, errs[0], ErrMalformed, 5+4+35)
	wantErr(t, errs[1], ErrMalformed, 5+4+36+4)
}

func TestDecoderMaxHandshake(t *testing.T) {
	big := handshakeMsg(TypeClientHello, clientHello(0x0303, nil, make([]uint16, 9000), nil))
	small := handshakeMsg(TypeClientHello, clientHello(0x0303, nil, []uint16{1}, nil))
	stream := slices.Concat(records(ContentHandshake, 1<<14, big), records(ContentHandshake, 1<<14, small))
	for _, tt := range []struct {
		max     int
		tooBig  bool
		maxHeld int
	}{{0, true, len(small) - 4}, {len(big), false, len(big) - 4}, {50, true, len(small) - 4}} {
		for _, chunk := range []int{100, len(stream)} {
			d := Decoder{MaxHandshake: tt.max}
			var items []Item
			var errs []error
			held := 0
			for p := stream; len(p) > 0; {
				n := min(chunk, len(p))
				i, e := decodeErrs(&d, p[:n])
				items, errs = append(items, i...), append(errs, e...)
				held = max(held, d.Buffered())
				p = p[n:]
			}
			if tt.tooBig {
				if len(errs) != 1 || len(items) != 1 || items[0].Offset != int64(len(stream)-len(small)) {
					t.Fatalf("MaxHandshake %d: %v %v", tt.max, items, errs)
				}
				wantErr(t, errs[0], ErrTooLarge, 5)
			} else if len(errs) != 0 || len(items) != 2 {
				t.Fatalf("MaxHandshake %d: %v %v", tt.max, items, errs)
			}
			if chunk == 100 && (held > tt.maxHeld || held < tt.maxHeld-100) {
				t.Errorf("MaxHandshake %d: %d bytes buffered at most, want %d less a chunk", tt.max, held, tt.maxHeld)
			}
		}
	}
}

// TestDecoderSkipsBodies checks that a long certificate chain split over
// records and chunks is skipped without being buffered past its first
// certificate, and so is a long message of another type.
func TestDecoderSkipsBodies(t *testing.T) {
	leaf := selfSigned(t).Certificate[0]
	for _, msg := range [][]byte{
		handshakeMsg(TypeCertificate, certList(leaf, make([]byte, 100000))),
		handshakeMsg(TypeServerKeyExchange, make([]byte, 100000)),
	} {
		var d Decoder
		var items []Item
		feedChunks(t, &d, records(ContentHandshake, 1<<14, msg), 1000, func(it Item) { items = append(items, it) }, func() {
			if d.Buffered() != 0 {
				t.Fatalf("%d bytes buffered", d.Buffered())
			}
		})
		if len(items) != 1 || items[0].Type != HandshakeType(msg[0]) ||
			items[0].Kind == KindCertificate && !bytes.Equal(items[0].Certificate.Raw, leaf) {
			t.Errorf("items %+v", items)
		}
	}
}

func TestDecoderEnd(t *testing.T) {
	ch := records(ContentHandshake, 1<<14, handshakeMsg(TypeClientHello, clientHello(0x0303, nil, []uint16{1}, nil)))
	for _, tt := range []struct {
		name string
		in   []byte
		off  int64 // -1: no error
	}{
		{"nothing", nil, -1},
		{"after a record", ch, -1},
		{"in a record header", ch[:3], 0},
		{"in a message header", ch[:7], 5},
		{"in a hello", ch[:20], 5},
		{"in a record after a message", records(ContentHandshake, 1<<14, append(slices.Clone(ch[5:]), 1))[:len(ch)], 0},
		{"in a second message", append(slices.Clone(ch), ch[:12]...), int64(len(ch)) + 5},
	} {
		for _, gap := range []bool{false, true} {
			var d Decoder
			d.Feed(tt.in)
			for {
				if _, err := d.Next(); err == ErrNeedMore {
					break
				} else if err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
			}
			if gap {
				d.Gap(100)
			} else {
				d.Flush()
			}
			_, err := d.Next()
			if tt.off < 0 {
				if err != ErrNeedMore {
					t.Errorf("%s (gap %v): %v", tt.name, gap, err)
				}
			} else {
				wantErr(t, err, ErrTruncated, tt.off)
			}
			if _, err := d.Next(); err != ErrNeedMore || d.Buffered() != 0 {
				t.Errorf("%s (gap %v): then %v, %d buffered", tt.name, gap, err, d.Buffered())
			}
			// The direction has ended.
			if items, errs := decodeErrs(&d, ch); len(items)+len(errs) != 0 {
				t.Errorf("%s (gap %v): after the end %v %v", tt.name, gap, items, errs)
			}
		}
	}
}

func TestDecoderBuffered(t *testing.T) {
	body := clientHello(0x0303, nil, []uint16{1, 2, 3}, nil)
	stream := records(ContentHandshake, 1<<14, handshakeMsg(TypeClientHello, body))
	var d Decoder
	d.Feed(stream[:30])
	if _, err := d.Next(); err != ErrNeedMore || d.Buffered() != 30-9 {
		t.Fatalf("%v, %d buffered", err, d.Buffered())
	}
	d.Feed(stream[30:])
	it, err := d.Next()
	if err != nil || it.Kind != KindClientHello || it.ClientHello.CipherSuites.Len() != 3 {
		t.Fatalf("%v %v", it, err)
	}
	if _, err := d.Next(); err != ErrNeedMore || d.Buffered() != 0 || d.buf != nil {
		t.Fatalf("%v, %d buffered, buffer %v", err, d.Buffered(), d.buf != nil)
	}
	// Reset keeps MaxHandshake.
	d.MaxHandshake = 10
	d.Reset()
	if _, errs := decodeErrs(&d, stream); d.MaxHandshake != 10 || len(errs) != 1 {
		t.Fatalf("after Reset: %v, MaxHandshake %d", errs, d.MaxHandshake)
	}
}

// TestDecoderTruncated cuts every recorded stream at every byte: what the
// decoder reports for a prefix is what it reports for the whole stream up
// to the cut, then an ErrTruncated unless the cut falls between records or
// after the direction ended.
func TestDecoderTruncated(t *testing.T) {
	var d Decoder
	for name, stream := range readStreams(t) {
		d.Reset()
		want := decodeAll(t, &d, stream, len(stream))
		for i := range len(stream) {
			d.Reset()
			got := decodeAll(t, &d, stream[:i], i+1)
			if n := len(got); n > 0 && strings.Contains(got[n-1], ErrTruncated.Error()) {
				got = got[:n-1]
			}
			if len(got) > len(want) || !slices.Equal(got, want[:len(got)]) {
				t.Fatalf("%s cut at %d:\n%s\nwhole:\n%s", name, i, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	}
}

// TestDecoderTLS13 checks that once the version is TLS 1.3 the
// ChangeCipherSpec dummies are skipped: the client's second ClientHello
// after a HelloRetryRequest is reported, and the direction ends at its
// first application-data record.
func TestDecoderTLS13(t *testing.T) {
	s := goSessions(t)["hrr"]
	for _, tt := range []struct {
		stream  []byte
		version Version
		want    []string
	}{
		{s.c2s, 0, []string{"client-hello", "encrypted change_cipher_spec"}},
		{s.c2s, VersionTLS12, []string{"client-hello", "encrypted change_cipher_spec"}},
		{s.c2s, VersionTLS13, []string{"client-hello", "client-hello", "encrypted application_data"}},
		{s.s2c, 0, []string{"server-hello hrr=true", "server-hello hrr=false", "encrypted application_data"}},
	} {
		for _, chunk := range []int{1, 100, len(tt.stream)} {
			var d Decoder
			d.SetVersion(tt.version)
			got := decodeAll(t, &d, tt.stream, chunk)
			ok := len(got) == len(tt.want)
			for i := 0; ok && i < len(got); i++ {
				kind, rest, _ := strings.Cut(tt.want[i], " ")
				ok = strings.Contains(got[i], " "+kind+" ") || strings.HasSuffix(got[i], " "+kind) && rest == ""
				ok = ok && strings.Contains(got[i], rest)
			}
			if !ok {
				t.Errorf("version %v, chunks of %d:\n%s\nwant %q", tt.version, chunk, strings.Join(got, "\n"), tt.want)
			}
		}
	}
}
