package dicom

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
	"testing/iotest"
)

type event struct {
	h     Header
	value string
	err   string
}

func parserEvents(b []byte) []event { return parserEventsSkip(b, false) }

// skipHere reports whether the skipping walks step over the sequence or
// item h instead of descending into it.
func skipHere(h Header) bool { return (h.IsSequence() || h.IsItem()) && h.Depth >= 1 }

func parserEventsSkip(b []byte, skip bool) []event { return parserEventsOpt(b, skip, false) }

func parserEventsOpt(b []byte, skip, convertUN bool) []event {
	p := Parser{ConvertUN: convertUN}
	p.Start(b)
	var out []event
	for {
		h, err := p.Next()
		if err != nil {
			if err != io.EOF {
				out = append(out, event{err: "error"})
			}
			return out
		}
		v, _ := p.Value()
		out = append(out, event{h: h, value: string(v)})
		if skip && skipHere(h) {
			if err := p.Skip(); err != nil {
				return append(out, event{err: "error"})
			}
		}
	}
}

func readerEvents(r *Reader) []event { return readerEventsSkip(r, false) }

func readerEventsSkip(r *Reader, skip bool) []event {
	var out []event
	for {
		h, err := r.Next()
		if err != nil {
			if err != io.EOF {
				out = append(out, event{err: "error"})
			}
			return out
		}
		v, err := r.Value()
		if errors.Is(err, ErrBufferTooLarge) {
			v, err = io.ReadAll(r)
		}
		if err != nil && !errors.Is(err, ErrNoValue) {
			out = append(out, event{h: h, value: "value error: " + err.Error()})
			continue
		}
		out = append(out, event{h: h, value: string(v)})
		if skip && skipHere(h) {
			if err := r.Skip(); err != nil {
				return append(out, event{err: "error"})
			}
		}
	}
}

// agree checks that the reader saw what the parser saw. On malformed input
// the reader may return more headers than the parser before its error: a
// stream's end is unknown until reached, so a value, item or sequence whose
// declared length runs past it is only found out when the input ends.
func agree(t *testing.T, pe, re []event) {
	t.Helper()
	perr := len(pe) > 0 && pe[len(pe)-1].err != ""
	rerr := len(re) > 0 && re[len(re)-1].err != ""
	if perr != rerr {
		t.Fatalf("parser error %v, reader error %v (%d vs %d events)", perr, rerr, len(pe), len(re))
	}
	n := len(pe)
	if perr {
		n--
		if len(re)-1 < n {
			t.Fatalf("parser %d headers before its error, reader %d", n, len(re)-1)
		}
	} else if len(re) != len(pe) {
		t.Fatalf("parser %d headers, reader %d", len(pe), len(re))
	}
	for i := 0; i < n; i++ {
		if pe[i] != re[i] {
			t.Fatalf("event %d: parser %+v %q, reader %+v %q", i, pe[i].h, trunc(pe[i].value), re[i].h, trunc(re[i].value))
		}
	}
}

func trunc(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func TestReaderMatchesParser(t *testing.T) {
	files := map[string][]byte{}
	for _, name := range []string{"1.dcm", "2.dcm", "3.dcm", "4.dcm", "5.dcm", "6.dcm"} {
		files[name] = suyashFile(t, name)
	}
	for _, enc := range []Encoding{ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian} {
		files["nested/"+enc.String()] = nested(enc, true)
		files["nested-defined/"+enc.String()] = nested(enc, false)
	}
	files["deflated-built"] = AppendFile(nil, &FileMeta{TransferSyntaxUID: UIDDeflatedExplicitVRLittleEndian}, nested(ExplicitVRLittleEndian, true))
	files["truncated"] = files["1.dcm"][:20000]
	for name, b := range files {
		for _, mode := range []string{"whole", "onebyte", "half", "dataerr"} {
			t.Run(name+"/"+mode, func(t *testing.T) {
				var src io.Reader = bytes.NewReader(b)
				switch mode {
				case "onebyte":
					if len(b) > 200000 {
						t.Skip("large file")
					}
					src = iotest.OneByteReader(src)
				case "half":
					src = iotest.HalfReader(src)
				case "dataerr":
					src = iotest.DataErrReader(src)
				}
				r := NewReader(src)
				r.MaxValue = 8 << 20
				agree(t, parserEvents(b), readerEvents(r))
				if mode == "half" {
					r.Reset(iotest.HalfReader(bytes.NewReader(b)))
					agree(t, parserEventsSkip(b, true), readerEventsSkip(r, true))
				}
			})
		}
	}
}

func TestReaderBulkAndRead(t *testing.T) {
	b := suyashFile(t, "5.dcm")
	var p Parser
	p.Start(b)
	var want []byte
	for {
		h, err := p.Next()
		if err != nil {
			break
		}
		if h.Tag == TagPixelData {
			want, _ = p.Value()
		}
	}
	r := NewReader(bytes.NewReader(b))
	r.MaxValue = 1024
	for {
		h, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Tag == TagPixelData {
			if _, err := r.Value(); !errors.Is(err, ErrBufferTooLarge) {
				t.Fatalf("Value of %d bytes with MaxValue 1024: %v", h.Length, err)
			}
			got, err := io.ReadAll(iotest.OneByteReader(r))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("Read returned %d bytes, want %d", len(got), len(want))
			}
		}
	}
}

// zeroSource yields a Part 10 head, then n bytes of unspecified content
// standing for fragments, then a tail, without holding them in memory.
type genSource struct {
	head, tail []byte
	body       int64 // bytes of fragment data, laid out as frames of frameSize
	frameSize  int64
	pos        int64 // position in body
	enc        Encoding
	hdr        []byte
}

func (g *genSource) Read(b []byte) (int, error) {
	if len(g.head) > 0 {
		n := copy(b, g.head)
		g.head = g.head[n:]
		return n, nil
	}
	if len(g.hdr) > 0 {
		n := copy(b, g.hdr)
		g.hdr = g.hdr[n:]
		return n, nil
	}
	if g.pos < g.body {
		in := g.pos % g.frameSize
		if in == 0 && g.hdr == nil {
			// An item header before each frame.
			g.hdr = AppendItem(make([]byte, 0, 8), g.enc, uint32(g.frameSize))
			n := copy(b, g.hdr)
			g.hdr = g.hdr[n:]
			return n, nil
		}
		n := int64(len(b))
		n = min(n, g.frameSize-in)
		g.pos += n
		if g.pos%g.frameSize == 0 {
			g.hdr = nil
		}
		return int(n), nil
	}
	if len(g.tail) > 0 {
		n := copy(b, g.tail)
		g.tail = g.tail[n:]
		return n, nil
	}
	return 0, io.EOF
}

func TestReaderLargeMultiFrame(t *testing.T) {
	size := int64(1 << 30)
	if testing.Short() {
		size = 64 << 20
	}
	const frame = 1 << 20
	enc := ExplicitVRLittleEndian
	ds := AppendString(nil, enc, tagPatientName, PN, "Big^File")
	ds = AppendString(ds, enc, NewTag(0x28, 0x08), IS, fmt.Sprint(size/frame)) // NumberOfFrames
	ds = AppendHeader(ds, enc, TagPixelData, OB, UndefinedLength)
	ds = AppendItem(ds, enc, 0) // empty basic offset table
	head := AppendFile(nil, &FileMeta{TransferSyntaxUID: "1.2.840.10008.1.2.4.50"}, ds)
	tail := AppendSequenceDelimitation(nil, enc)
	tail = AppendString(tail, enc, NewTag(0xFFFA, 0xFFFA), OB, "")
	src := &genSource{head: head, tail: tail, body: size, frameSize: frame, enc: enc}

	var before, after runtimeMem
	before.read()
	r := NewReader(src)
	frames := 0
	var last Tag
	chunk := make([]byte, 32<<10)
	for {
		h, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		last = h.Tag
		if h.Fragment && h.Length == frame {
			frames++
			if frames == 3 { // read one frame in chunks
				n := 0
				for {
					k, err := r.Read(chunk)
					n += k
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
				}
				if n != frame {
					t.Fatalf("read %d bytes of frame 3", n)
				}
			}
		}
	}
	after.read()
	if want := int(size / frame); frames != want {
		t.Errorf("%d frames, want %d", frames, want)
	}
	if last != NewTag(0xFFFA, 0xFFFA) {
		t.Errorf("last tag %v", last)
	}
	if d := after.totalAlloc - before.totalAlloc; d > 1<<20 {
		t.Errorf("allocated %d bytes while scanning %d bytes", d, size)
	}
	if hwm := peakRSS(); hwm > 0 {
		t.Logf("peak RSS of the test process: %d MiB", hwm>>20)
	}
}

func TestReaderSourceError(t *testing.T) {
	b := suyashFile(t, "1.dcm")
	boom := errors.New("boom")
	r := NewReader(io.MultiReader(bytes.NewReader(b[:3000]), iotest.ErrReader(boom)))
	var err error
	for err == nil {
		_, err = r.Next()
	}
	var de *Error
	if !errors.Is(err, boom) || !errors.As(err, &de) || de.Offset < 2900 {
		t.Errorf("error %v, want the source's error with an offset near 3000", err)
	}
	// A source that never returns data nor an error.
	r = NewReader(iotest.ErrReader(nil))
	if _, err := r.Next(); !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("empty reads: %v", err)
	}
}
