package dicom

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"testing"
)

func TestParserTestdata(t *testing.T) {
	tests := []struct {
		file    string
		enc     Encoding
		ts      string
		headers int // headers from Next, items and delimiters included
	}{
		{"1.dcm", ExplicitVRLittleEndian, UIDExplicitVRLittleEndian, 223},
		{"2.dcm", ExplicitVRLittleEndian, UIDExplicitVRLittleEndian, 217},
		{"3.dcm", ExplicitVRLittleEndian, UIDExplicitVRLittleEndian, 155},
		{"4.dcm", ImplicitVRLittleEndian, UIDImplicitVRLittleEndian, 154},
		{"5.dcm", ExplicitVRLittleEndian, UIDExplicitVRLittleEndian, 245},
		{"6.dcm", ExplicitVRLittleEndian, UIDDeflatedExplicitVRLittleEndian, 37},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b := suyashFile(t, tt.file)
			var p Parser
			if err := p.Start(b); err != nil {
				t.Fatal(err)
			}
			n, err := walkAll(&p)
			if err != nil {
				t.Fatalf("after %d headers: %v", n, err)
			}
			if n != tt.headers {
				t.Errorf("headers = %d, want %d", n, tt.headers)
			}
			if p.Encoding() != tt.enc {
				t.Errorf("encoding = %v, want %v", p.Encoding(), tt.enc)
			}
			if string(p.TransferSyntax()) != tt.ts {
				t.Errorf("transfer syntax = %q, want %q", p.TransferSyntax(), tt.ts)
			}
			if p.Preamble() == nil {
				t.Error("no preamble")
			}
		})
	}
}

type hdr struct {
	tag   Tag
	vr    VR
	depth int
	item  int
	value string
}

func collect(t *testing.T, p *Parser) ([]hdr, error) {
	t.Helper()
	var out []hdr
	for {
		h, err := p.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		v, _ := p.Value()
		out = append(out, hdr{h.Tag, h.VR, h.Depth, h.Item, string(v)})
	}
}

var (
	tagPatientName = NewTag(0x10, 0x10)
	tagPatientID   = NewTag(0x10, 0x20)
	tagRefSeq      = NewTag(0x08, 0x1140) // ReferencedImageSequence
	tagRefUID      = NewTag(0x08, 0x1155) // ReferencedSOPInstanceUID
	tagRows        = NewTag(0x28, 0x10)
)

// nested builds PatientName, a sequence with two items (the first holding a
// nested sequence), then PatientID and Rows, with the given lengths
// (defined or undefined) for sequences and items.
func nested(enc Encoding, undefined bool) []byte {
	var b []byte
	b = AppendString(b, enc, tagPatientName, PN, "Doe^Jane")
	item := func(content []byte) []byte {
		if undefined {
			b = AppendItem(b, enc, UndefinedLength)
			b = append(b, content...)
			return AppendItemDelimitation(b, enc)
		}
		b = AppendItem(b, enc, uint32(len(content)))
		return append(b, content...)
	}
	inner := AppendString(nil, enc, tagRefUID, UI, "1.2.3")
	var innerSeq []byte
	if undefined {
		innerSeq = AppendHeader(nil, enc, tagRefSeq, SQ, UndefinedLength)
		innerSeq = AppendItem(innerSeq, enc, UndefinedLength)
		innerSeq = append(innerSeq, inner...)
		innerSeq = AppendItemDelimitation(innerSeq, enc)
		innerSeq = AppendSequenceDelimitation(innerSeq, enc)
	} else {
		it := AppendItem(nil, enc, uint32(len(inner)))
		it = append(it, inner...)
		innerSeq = AppendHeader(nil, enc, tagRefSeq, SQ, uint32(len(it)))
		innerSeq = append(innerSeq, it...)
	}
	first := append(AppendString(nil, enc, tagRefUID, UI, "1.2.3.4"), innerSeq...)
	second := AppendString(nil, enc, tagRefUID, UI, "5.6")
	if undefined {
		b = AppendHeader(b, enc, NewTag(0x08, 0x1115), SQ, UndefinedLength)
		b = item(first)
		b = item(second)
		b = AppendSequenceDelimitation(b, enc)
	} else {
		seqStart := len(b)
		b = AppendHeader(b, enc, NewTag(0x08, 0x1115), SQ, 0)
		body := len(b)
		b = item(first)
		b = item(second)
		// patch the sequence length
		n := uint32(len(b) - body)
		if enc.bigEndian() {
			binary.BigEndian.PutUint32(b[body-4:], n)
		} else {
			binary.LittleEndian.PutUint32(b[body-4:], n)
		}
		_ = seqStart
	}
	b = AppendString(b, enc, tagPatientID, LO, "ID1")
	b = AppendUint16s(b, enc, tagRows, US, 512)
	return b
}

func TestParserNested(t *testing.T) {
	seq := NewTag(0x08, 0x1115)
	wantDefined := []hdr{
		{tagPatientName, PN, 0, -1, "Doe^Jane"},
		{seq, SQ, 0, -1, ""},
		{TagItem, 0, 1, 0, ""},
		{tagRefUID, UI, 1, 0, "1.2.3.4\x00"},
		{tagRefSeq, SQ, 1, 0, ""},
		{TagItem, 0, 2, 0, ""},
		{tagRefUID, UI, 2, 0, "1.2.3\x00"},
		{TagItem, 0, 1, 1, ""},
		{tagRefUID, UI, 1, 1, "5.6\x00"},
		{tagPatientID, LO, 0, -1, "ID1 "},
		{tagRows, US, 0, -1, "\x00\x02"},
	}
	var wantUndefined []hdr
	for _, h := range wantDefined {
		wantUndefined = append(wantUndefined, h)
		switch {
		case h.value == "1.2.3\x00":
			wantUndefined = append(wantUndefined, hdr{TagItemDelimitation, 0, 2, 0, ""}, hdr{TagSequenceDelimitation, 0, 2, -1, ""}, hdr{TagItemDelimitation, 0, 1, 0, ""})
		case h.value == "5.6\x00":
			wantUndefined = append(wantUndefined, hdr{TagItemDelimitation, 0, 1, 1, ""}, hdr{TagSequenceDelimitation, 0, 1, -1, ""})
		}
	}
	for _, enc := range []Encoding{ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian} {
		for _, undefined := range []bool{false, true} {
			name := enc.String()
			want := wantDefined
			if undefined {
				name += "/undefined"
				want = wantUndefined
			}
			t.Run(name, func(t *testing.T) {
				in := nested(enc, undefined)
				for _, detect := range []bool{false, true} {
					var p Parser
					if detect {
						p.Start(in)
					} else {
						p.StartDataset(in, enc)
					}
					got, err := collect(t, &p)
					if err != nil {
						t.Fatalf("detect=%v: %v", detect, err)
					}
					if p.Encoding() != enc {
						t.Errorf("detect=%v: encoding %v", detect, p.Encoding())
					}
					if len(got) != len(want) {
						t.Fatalf("detect=%v: got %d headers %v, want %d %v", detect, len(got), got, len(want), want)
					}
					for i := range got {
						w := want[i]
						if w.vr == US && enc.bigEndian() {
							w.value = "\x02\x00"
						}
						if got[i] != w {
							t.Errorf("detect=%v: header %d = %+v, want %+v", detect, i, got[i], w)
						}
					}
				}
			})
		}
	}
}

func TestParserSkip(t *testing.T) {
	for _, undefined := range []bool{false, true} {
		in := nested(ExplicitVRLittleEndian, undefined)
		var p Parser
		p.Start(in)
		var tags []Tag
		for {
			h, err := p.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			tags = append(tags, h.Tag)
			if h.VR == SQ {
				if err := p.Skip(); err != nil {
					t.Fatal(err)
				}
			}
		}
		want := []Tag{tagPatientName, NewTag(0x08, 0x1115), tagPatientID, tagRows}
		if !equalTags(tags, want) {
			t.Errorf("undefined=%v: tags %v, want %v", undefined, tags, want)
		}
	}
}

func equalTags(a, b []Tag) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestParserEncapsulated(t *testing.T) {
	enc := ExplicitVRLittleEndian
	var b []byte
	b = AppendUint16s(b, enc, tagRows, US, 2)
	b = AppendHeader(b, enc, TagPixelData, OB, UndefinedLength)
	b = AppendItem(b, enc, 4)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = AppendItem(b, enc, 6)
	b = append(b, "frame1"...)
	b = AppendItem(b, enc, 2)
	b = append(b, "f2"...)
	b = AppendSequenceDelimitation(b, enc)
	b = AppendString(b, enc, NewTag(0xFFFA, 0xFFFA), OB, "") // DigitalSignaturesSequence-like trailing element
	var p Parser
	p.StartDataset(b, enc)
	got, err := collect(t, &p)
	if err != nil {
		t.Fatal(err)
	}
	want := []hdr{
		{tagRows, US, 0, -1, "\x02\x00"},
		{TagPixelData, OB, 0, -1, ""},
		{TagItem, 0, 1, 0, "\x00\x00\x00\x00"},
		{TagItem, 0, 1, 1, "frame1"},
		{TagItem, 0, 1, 2, "f2"},
		{TagSequenceDelimitation, 0, 1, -1, ""},
		{NewTag(0xFFFA, 0xFFFA), OB, 0, -1, ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// Skip over the whole pixel data.
	p.StartDataset(b, enc)
	p.Next()
	h, _ := p.Next()
	if !h.IsSequence() {
		t.Fatalf("pixel data header %+v is not a sequence", h)
	}
	if err := p.Skip(); err != nil {
		t.Fatal(err)
	}
	if h, err := p.Next(); err != nil || h.Tag != NewTag(0xFFFA, 0xFFFA) {
		t.Fatalf("after Skip: %v %v", h, err)
	}
}

func TestParserUNSequence(t *testing.T) {
	// An explicit VR dataset with a UN element of undefined length holding an
	// implicit VR little endian sequence (PS3.5 6.2.2).
	enc := ExplicitVRLittleEndian
	var b []byte
	b = AppendHeader(b, enc, NewTag(0x0009, 0x1010), UN, UndefinedLength)
	b = AppendItem(b, ImplicitVRLittleEndian, UndefinedLength)
	b = AppendString(b, ImplicitVRLittleEndian, tagPatientName, PN, "A^B")
	b = AppendItemDelimitation(b, ImplicitVRLittleEndian)
	b = AppendSequenceDelimitation(b, ImplicitVRLittleEndian)
	b = AppendString(b, enc, tagPatientID, LO, "X")
	var p Parser
	p.StartDataset(b, enc)
	got, err := collect(t, &p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 || got[2] != (hdr{tagPatientName, PN, 1, 0, "A^B "}) || got[5] != (hdr{tagPatientID, LO, 0, -1, "X "}) {
		t.Errorf("got %+v", got)
	}
}

func TestParserErrors(t *testing.T) {
	enc := ExplicitVRLittleEndian
	deep := func(n int, undefined bool) []byte {
		var b []byte
		for i := 0; i < n; i++ {
			b = AppendHeader(b, enc, tagRefSeq, SQ, UndefinedLength)
			b = AppendItem(b, enc, UndefinedLength)
		}
		for i := 0; i < n; i++ {
			b = AppendItemDelimitation(b, enc)
			b = AppendSequenceDelimitation(b, enc)
		}
		return b
	}
	// 200-byte inputs that declare huge lengths.
	huge := func(length uint32, vr VR) []byte {
		b := AppendString(nil, enc, tagPatientName, PN, "Doe")
		b = AppendHeader(b, enc, NewTag(0x0011, 0x1010), vr, length)
		return append(b, make([]byte, 200-len(b))...)
	}
	tests := []struct {
		name    string
		in      []byte
		enc     Encoding
		maxDep  int
		wantErr error
		wantOff int64
	}{
		{"4GiB OB", huge(0xFFFFFFF0, OB), enc, 0, ErrLength, 12},
		{"256MiB OB", huge(256<<20, OB), enc, 0, ErrLength, 12},
		{"64KiB LO", huge(0xFFFF, LO), enc, 0, ErrLength, 12},
		{"4GiB implicit", func() []byte {
			b := AppendHeader(nil, ImplicitVRLittleEndian, tagPatientName, PN, 0xFFFFFFF0)
			return append(b, make([]byte, 192)...)
		}(), ImplicitVRLittleEndian, 0, ErrLength, 0},
		{"4GiB item", func() []byte {
			b := AppendHeader(nil, enc, tagRefSeq, SQ, UndefinedLength)
			b = AppendItem(b, enc, 0xFFFFFFF0)
			return append(b, make([]byte, 180)...)
		}(), enc, 0, ErrLength, 12},
		{"4GiB fragment", func() []byte {
			b := AppendHeader(nil, enc, TagPixelData, OB, UndefinedLength)
			b = AppendItem(b, enc, 0xFFFFFFF0)
			return append(b, make([]byte, 180)...)
		}(), enc, 0, ErrLength, 12},
		{"depth 65", deep(65, true), enc, 0, ErrDepth, 64 * 20},
		{"depth 64 ok", deep(64, true), enc, 0, nil, 0},
		{"depth 3 limit", deep(4, true), enc, 3, ErrDepth, 60},
		{"unterminated", deep(3, true)[:60], enc, 0, ErrUnterminated, 60},
		{"truncated header", AppendString(nil, enc, tagPatientName, PN, "Doe")[:5], enc, 0, ErrTruncated, 0},
		{"stray item", AppendItem(nil, enc, 0), enc, 0, ErrDelimiter, 0},
		{"stray sequence delimiter", AppendSequenceDelimitation(nil, enc), enc, 0, ErrDelimiter, 0},
		{"element in sequence", append(AppendHeader(nil, enc, tagRefSeq, SQ, UndefinedLength), AppendString(nil, enc, tagPatientID, LO, "A")...), enc, 0, ErrItemExpected, 12},
		{"undefined LO", AppendHeader(nil, enc, NewTag(0x10, 0x20), UC, UndefinedLength), enc, 0, ErrUndefinedLength, 0},
		{"item overruns sequence", func() []byte {
			b := AppendHeader(nil, enc, tagRefSeq, SQ, 8)
			b = AppendItem(b, enc, 8)
			return append(b, make([]byte, 8)...)
		}(), enc, 0, ErrLength, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Parser{MaxDepth: tt.maxDep}
			p.StartDataset(tt.in, tt.enc)
			_, err := walkAll(&p)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if !isErr(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			var e *Error
			if !asError(err, &e) || e.Offset != tt.wantOff {
				t.Errorf("error %v: offset want %d", err, tt.wantOff)
			}
			// Sticky.
			if _, err2 := p.Next(); err2 != err {
				t.Errorf("second Next: %v", err2)
			}
		})
	}
}

func TestParserTruncatedAndCorrupted(t *testing.T) {
	for _, name := range []string{"1.dcm", "3.dcm", "6.dcm"} {
		b := suyashFile(t, name)
		var p Parser
		// Every prefix of the first 4 KiB and some further ones: errors or a
		// clean end, never a panic or a loop.
		for n := 0; n < len(b); n += 1 + n/64 {
			p.Start(b[:n])
			walkAll(&p)
		}
		// Whole-file walks with one byte changed.
		c := bytes.Clone(b)
		for i := 0; i < len(c) && i < 8192; i += 7 {
			old := c[i]
			for _, v := range []byte{0x00, 0xFF, old ^ 0x80} {
				c[i] = v
				p.Start(c)
				walkAll(&p)
			}
			c[i] = old
		}
	}
	// A truncated file reports an error.
	b := suyashFile(t, "1.dcm")
	var p Parser
	p.Start(b[:1000])
	if _, err := walkAll(&p); err == nil {
		t.Error("truncated 1.dcm: no error")
	}
}

func TestParserPart10(t *testing.T) {
	ds := AppendString(nil, ExplicitVRBigEndian, tagPatientName, PN, "Doe^Jane")
	ds = AppendUint16s(ds, ExplicitVRBigEndian, tagRows, US, 256)
	file := AppendFile(nil, &FileMeta{MediaStorageSOPClassUID: "1.2.840.10008.5.1.4.1.1.7", MediaStorageSOPInstanceUID: "1.2.3", TransferSyntaxUID: UIDExplicitVRBigEndian}, ds)
	var p Parser
	p.Start(file)
	got, err := collect(t, &p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 8 || got[6] != (hdr{tagPatientName, PN, 0, -1, "Doe^Jane"}) || got[7].value != "\x01\x00" {
		t.Errorf("got %+v", got)
	}
	if p.Encoding() != ExplicitVRBigEndian {
		t.Errorf("encoding %v", p.Encoding())
	}
	// Deflated.
	ds = AppendString(nil, ExplicitVRLittleEndian, tagPatientName, PN, "Doe^Jane")
	file = AppendFile(nil, &FileMeta{TransferSyntaxUID: UIDDeflatedExplicitVRLittleEndian}, ds)
	p.Start(file)
	got, err = collect(t, &p)
	if err != nil || len(got) != 7 || got[6] != (hdr{tagPatientName, PN, 0, -1, "Doe^Jane"}) {
		t.Errorf("deflated: %+v %v", got, err)
	}
	// Inflate limit.
	ds = AppendElement(nil, ExplicitVRLittleEndian, NewTag(0x0011, 0x1010), OB, make([]byte, 1<<20))
	file = AppendFile(nil, &FileMeta{TransferSyntaxUID: UIDDeflatedExplicitVRLittleEndian}, ds)
	if len(file) > 4096 {
		t.Fatalf("deflated 1 MiB of zeros to %d bytes", len(file))
	}
	p = Parser{MaxInflated: 64 << 10}
	p.Start(file)
	if _, err := walkAll(&p); !isErr(err, ErrInflatedSize) {
		t.Errorf("inflate limit: %v", err)
	}
}

// TestTruncationsAreErrors cuts real files at many points: a cut that does
// not fall between two top-level elements must be an error, for the Parser
// and the Reader alike.
func TestTruncationsAreErrors(t *testing.T) {
	for _, name := range []string{"1.dcm", "3.dcm", "4.dcm"} {
		t.Run(name, func(t *testing.T) {
			b := suyashFile(t, name)
			boundary := map[int]bool{len(b): true}
			var p Parser
			p.Start(b)
			for {
				h, err := p.Next()
				if err != nil {
					break
				}
				if h.Depth == 0 && !h.Tag.IsDelimiter() {
					boundary[int(h.Offset)] = true
				}
			}
			limit := min(len(b), 70000)
			r := NewReader(nil)
			for n := 0; n < limit; n += 1 + n/256 {
				p.Start(b[:n])
				_, perr := walkAll(&p)
				if (perr == nil) != boundary[n] && n > 132 {
					t.Errorf("cut at %d: parser error %v, boundary %v", n, perr, boundary[n])
				}
				r.Reset(bytes.NewReader(b[:n]))
				var rerr error
				for {
					if _, err := r.Next(); err != nil {
						if err != io.EOF {
							rerr = err
						}
						break
					}
				}
				if (rerr == nil) != (perr == nil) {
					t.Errorf("cut at %d: parser error %v, reader error %v", n, perr, rerr)
				}
			}
		})
	}
}

func TestParserZlibWrappedDeflate(t *testing.T) {
	ds := AppendString(nil, ExplicitVRLittleEndian, tagPatientName, PN, "Doe^Jane")
	// The meta group by hand: AppendFile would deflate the dataset itself.
	e := ExplicitVRLittleEndian
	meta := AppendString(nil, e, TagTransferSyntaxUID, UI, UIDDeflatedExplicitVRLittleEndian)
	file := append(make([]byte, 128), "DICM"...)
	file = AppendUint32s(file, e, NewTag(2, 0), UL, uint32(len(meta)))
	file = append(file, meta...)
	var zb bytes.Buffer
	zw := zlib.NewWriter(&zb)
	zw.Write(ds)
	zw.Close()
	file = append(file, zb.Bytes()...)
	var p Parser
	p.Start(file)
	got, err := collect(t, &p)
	if err != nil || len(got) != 3 || got[2] != (hdr{tagPatientName, PN, 0, -1, "Doe^Jane"}) {
		t.Errorf("zlib-wrapped: %+v %v", got, err)
	}
}
