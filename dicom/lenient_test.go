package dicom

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// seen is a header as yielded, with its value view and the parser's
// position after it.
type seen struct {
	h     Header
	value []byte
	has   bool
	end   int64 // Parser.Offset after Next: past the header, or the value
}

func walkSeen(p *Parser) (out []seen, errs []error) {
	for i := 0; i < 100000; i++ {
		h, err := p.Next()
		if err == io.EOF {
			return out, errs
		}
		if err != nil {
			errs = append(errs, err)
			if !p.Lenient || len(errs) > 1 {
				return out, errs
			}
			continue
		}
		v, verr := p.Value()
		out = append(out, seen{h, v, verr == nil, p.Offset()})
	}
	panic("no end")
}

// TestLenientPrefixes cuts files at every point (real files: at many
// points) and checks the lenient Parser against the walk of the whole
// file: it yields exactly the headers whose header bytes lie before the
// cut, with the same fields, Truncated set on those whose value or
// contents run past it and the value view cut there; then one error
// (ErrTruncated or ErrUnterminated, or none at a top-level boundary), then
// io.EOF.
func TestLenientPrefixes(t *testing.T) {
	type input struct {
		name string
		b    []byte
		step int
	}
	var inputs []input
	meta := &FileMeta{MediaStorageSOPClassUID: "1.2.840.10008.5.1.4.1.1.7", MediaStorageSOPInstanceUID: "1.2.3"}
	for _, enc := range []Encoding{ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian} {
		for _, undefined := range []bool{false, true} {
			inputs = append(inputs, input{fmt.Sprintf("%v/undefined=%v", enc, undefined), nested(enc, undefined), 1})
		}
	}
	m := *meta
	m.TransferSyntaxUID = UIDExplicitVRBigEndian
	inputs = append(inputs, input{"part10 big endian", AppendFile(nil, &m, nested(ExplicitVRBigEndian, false)), 1})
	for _, name := range []string{"1.dcm", "3.dcm", "4.dcm"} {
		b := suyashFile(t, name)
		inputs = append(inputs, input{name, b, 7})
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			var p Parser
			p.Start(in.b)
			full, errs := walkSeen(&p)
			if len(errs) != 0 {
				t.Fatal(errs)
			}
			lp := Parser{Lenient: true}
			from := 0
			if p.Preamble() != nil {
				from = 132 // shorter, it is no longer a Part 10 file
			}
			for c := from; c <= min(len(in.b), 80000); c += in.step {
				cut := in.b[:c]
				lp.Start(cut)
				got, errs := walkSeen(&lp)
				var want []seen
				for _, s := range full {
					hdrEnd := s.end - int64(len(s.value))
					if hdrEnd > int64(c) {
						break
					}
					s.h.Truncated = s.end > int64(c) || s.h.IsSequence() && !s.h.UndefinedLength() && hdrEnd+int64(s.h.Length) > int64(c) ||
						s.h.IsItem() && !s.h.UndefinedLength() && hdrEnd+int64(s.h.Length) > int64(c)
					if s.h.Truncated && s.has {
						s.value = s.value[:int64(len(s.value))-(s.end-int64(c))]
						s.end = int64(c)
					}
					want = append(want, s)
				}
				if len(got) != len(want) {
					t.Fatalf("cut at %d: %d headers, want %d (errors %v)", c, len(got), len(want), errs)
				}
				anyCut := false
				for i := range got {
					g, w := got[i], want[i]
					if g.h != w.h || g.has != w.has || !bytes.Equal(g.value, w.value) {
						t.Fatalf("cut at %d: header %d = %+v value %q, want %+v value %q", c, i, g.h, g.value, w.h, w.value)
					}
					anyCut = anyCut || g.h.Truncated
				}
				switch {
				case len(errs) > 1:
					t.Fatalf("cut at %d: errors %v", c, errs)
				case len(errs) == 1:
					var e *Error
					if !asError(errs[0], &e) || !isErr(e, ErrTruncated) && !isErr(e, ErrUnterminated) {
						t.Fatalf("cut at %d: error %v", c, errs[0])
					}
					if anyCut && !isErr(e, ErrTruncated) {
						t.Fatalf("cut at %d: error %v after a truncated header", c, e)
					}
					for _, g := range got {
						if g.h.Truncated {
							if e.Offset != g.h.Offset || e.Tag != g.h.Tag {
								t.Fatalf("cut at %d: error %v, first truncated header %+v", c, e, g.h)
							}
							break
						}
					}
				case anyCut:
					t.Fatalf("cut at %d: no error after a truncated header", c)
				}
			}
		})
	}
}

func TestLenient(t *testing.T) {
	enc := ExplicitVRLittleEndian
	var b []byte
	b = AppendString(b, enc, tagPatientName, PN, "Doe^Jane")
	b = AppendString(b, enc, tagPatientID, LO, "ID-0123456789")
	cutValue := b[:len(b)-5] // PatientID's value cut short

	seq := nested(enc, false) // defined-length sequence at offset 16
	cutSeq := seq[:50]        // in the value of the first item's first element
	undef := nested(enc, true)
	cutUndef := undef[:16+12+8+16] // between elements in the first item

	tests := []struct {
		name    string
		in      []byte
		tags    []Tag // headers yielded in lenient mode
		cut     []Tag // those flagged Truncated
		strict  error // the default mode's error and offset
		soff    int64
		lenient error // the lenient report and offset
		loff    int64
		ltag    Tag
	}{
		{"value", cutValue, []Tag{tagPatientName, tagPatientID}, []Tag{tagPatientID}, ErrLength, 16, ErrTruncated, 16, tagPatientID},
		{"header", b[:20], []Tag{tagPatientName}, nil, ErrTruncated, 16, ErrTruncated, 16, tagPatientID},
		{"sequence", cutSeq, []Tag{tagPatientName, NewTag(0x08, 0x1115), TagItem, tagRefUID}, []Tag{NewTag(0x08, 0x1115), TagItem, tagRefUID}, ErrLength, 16, ErrTruncated, 16, NewTag(0x08, 0x1115)},
		{"undefined", cutUndef, []Tag{tagPatientName, NewTag(0x08, 0x1115), TagItem, tagRefUID}, nil, ErrUnterminated, int64(len(cutUndef)), ErrUnterminated, int64(len(cutUndef)), 0},
		{"whole", b, []Tag{tagPatientName, tagPatientID}, nil, nil, 0, nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Parser
			p.StartDataset(tt.in, enc)
			_, err := walkAll(&p)
			var e *Error
			if tt.strict == nil && err != nil || tt.strict != nil && (!asError(err, &e) || !isErr(err, tt.strict) || e.Offset != tt.soff) {
				t.Errorf("strict: %v, want %v at %d", err, tt.strict, tt.soff)
			}
			p = Parser{Lenient: true}
			p.StartDataset(tt.in, enc)
			var tags, cut []Tag
			for {
				h, err := p.Next()
				if err == io.EOF {
					if tt.lenient != nil {
						t.Errorf("lenient: no error, want %v", tt.lenient)
					}
					break
				}
				if err != nil {
					if !asError(err, &e) || !isErr(err, tt.lenient) || e.Offset != tt.loff || e.Tag != tt.ltag {
						t.Errorf("lenient: %v, want %v at %d in %v", err, tt.lenient, tt.loff, tt.ltag)
					}
					if _, err := p.Next(); err != io.EOF {
						t.Errorf("after the report: %v, want io.EOF", err)
					}
					if err := p.Skip(); err != io.EOF {
						t.Errorf("Skip after the report: %v, want io.EOF", err)
					}
					break
				}
				if h.Tag.IsDelimiter() && !h.IsItem() {
					continue
				}
				tags = append(tags, h.Tag)
				if h.Truncated {
					cut = append(cut, h.Tag)
					if v, err := p.Value(); err == nil && len(v) >= int(h.Length) {
						t.Errorf("truncated %v: %d bytes of %d", h.Tag, len(v), h.Length)
					}
				}
			}
			if !equalTags(tags, tt.tags) || !equalTags(cut, tt.cut) {
				t.Errorf("lenient: headers %v truncated %v, want %v and %v", tags, cut, tt.tags, tt.cut)
			}
		})
	}
}

func TestLenientValue(t *testing.T) {
	enc := ExplicitVRLittleEndian
	b := AppendString(nil, enc, tagPatientID, LO, "ID-0123456789")
	p := Parser{Lenient: true}
	p.StartDataset(b[:len(b)-5], enc)
	h, err := p.Next()
	if err != nil || !h.Truncated || h.Length != 14 {
		t.Fatalf("%+v %v", h, err)
	}
	v, err := p.TypedValue()
	if err != nil || string(v.Bytes) != "ID-012345" || string(v.Text()) != "ID-012345" {
		t.Errorf("value %q %v", v.Bytes, err)
	}
}

func TestLenientNotTruncation(t *testing.T) {
	// Errors that are not a cut input stay errors in lenient mode.
	enc := ExplicitVRLittleEndian
	item := func() []byte {
		b := AppendHeader(nil, enc, tagRefSeq, SQ, 8)
		b = AppendItem(b, enc, 8)
		return append(b, make([]byte, 8)...)
	}()
	overrun := AppendHeader(nil, enc, tagRefSeq, SQ, 20)
	overrun = AppendItem(overrun, enc, 12)
	overrun = AppendHeader(overrun, enc, tagPatientID, LO, 200) // past its item, and the input
	for _, tt := range []struct {
		name string
		in   []byte
		want error
	}{
		{"item overruns sequence", item, ErrLength},
		{"element overruns item", overrun, ErrLength},
		{"stray delimiter", AppendSequenceDelimitation(nil, enc), ErrDelimiter},
		{"element in sequence", append(AppendHeader(nil, enc, tagRefSeq, SQ, UndefinedLength), AppendString(nil, enc, tagPatientID, LO, "A")...), ErrItemExpected},
	} {
		p := Parser{Lenient: true}
		p.StartDataset(tt.in, enc)
		if _, err := walkAll(&p); !isErr(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestLenientSkip(t *testing.T) {
	for _, undefined := range []bool{false, true} {
		in := nested(ExplicitVRLittleEndian, undefined)
		p := Parser{Lenient: true}
		p.StartDataset(in[:40], ExplicitVRLittleEndian)
		p.Next()
		if h, err := p.Next(); err != nil || h.VR != SQ {
			t.Fatalf("%+v %v", h, err)
		}
		err := p.Skip()
		if err == nil {
			_, err = p.Next()
		}
		if !isErr(err, ErrTruncated) && !isErr(err, ErrUnterminated) {
			t.Errorf("undefined=%v: %v", undefined, err)
		}
		if _, err := p.Next(); err != io.EOF {
			t.Errorf("undefined=%v: then %v", undefined, err)
		}
	}
}

func TestLenientDeflated(t *testing.T) {
	ds := AppendString(nil, ExplicitVRLittleEndian, tagPatientName, PN, "Doe^Jane")
	ds = AppendElement(ds, ExplicitVRLittleEndian, NewTag(0x0011, 0x1010), OB, bytes.Repeat([]byte("0123456789abcdef"), 4096))
	file := AppendFile(nil, &FileMeta{TransferSyntaxUID: UIDDeflatedExplicitVRLittleEndian}, ds)
	cut := file[:len(file)-20]
	var p Parser
	p.Start(cut)
	if _, err := walkAll(&p); !isErr(err, ErrDeflate) {
		t.Errorf("strict: %v", err)
	}
	p = Parser{Lenient: true}
	p.Start(cut)
	var tags []Tag
	var err error
	for {
		var h Header
		if h, err = p.Next(); err != nil {
			break
		}
		tags = append(tags, h.Tag)
	}
	if !isErr(err, ErrTruncated) || len(tags) < 2 || tags[len(tags)-2] != tagPatientName {
		t.Errorf("lenient: %v after %v", err, tags)
	}
}
