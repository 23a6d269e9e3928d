package dicom

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"io"
	"testing"
	"testing/iotest"
)

// deflatedFile returns a Part 10 file of the deflated syntax whose dataset
// bytes are body, as given (AppendFile would deflate the dataset itself).
func deflatedFile(body []byte) []byte {
	e := ExplicitVRLittleEndian
	meta := AppendString(nil, e, TagTransferSyntaxUID, UI, UIDDeflatedExplicitVRLittleEndian)
	file := append(make([]byte, 128), "DICM"...)
	file = AppendUint32s(file, e, NewTag(2, 0), UL, uint32(len(meta)))
	return append(append(file, meta...), body...)
}

func rawDeflate(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func zlibDeflate(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// deflateCases are the deflated inputs the Parser and the Reader must
// treat alike, with the events each must give (want: the dataset's
// elements and no error; nil want: an error).
func deflateCases() map[string]struct {
	file []byte
	ok   bool
} {
	ds := nested(ExplicitVRLittleEndian, true)
	// A raw stream whose first block is stored with a length of 0x001D, so
	// that its first two bytes, 08 1D, are also a valid zlib header.
	stored := ds[:29]
	lookalike := append([]byte{0x08, 0x1D, 0x00, 0xE2, 0xFF}, stored...)
	lookalike = append(lookalike, rawDeflate(ds[29:])...)
	z := zlibDeflate(ds)
	corrupt := append([]byte(nil), z...)
	corrupt[len(corrupt)/2] ^= 0xFF
	return map[string]struct {
		file []byte
		ok   bool
	}{
		"raw":               {deflatedFile(rawDeflate(ds)), true},
		"zlib":              {deflatedFile(z), true},
		"zlib-no-checksum":  {deflatedFile(z[:len(z)-4]), true},
		"raw-like-zlib":     {deflatedFile(lookalike), true},
		"zlib-header-only":  {deflatedFile(z[:2]), false},
		"zlib-cut":          {deflatedFile(z[:len(z)/2]), false},
		"zlib-corrupt":      {deflatedFile(corrupt), false},
		"zlib-bad-header":   {deflatedFile(append([]byte{0x78, 0x9D}, z[2:]...)), false},
		"raw-cut-in-header": {deflatedFile(rawDeflate(ds)[:3]), false},
	}
}

// TestDeflateVariants checks that the Parser and the Reader accept the
// same deflated inputs, raw deflate as the standard asks and zlib-wrapped
// as some writers produce, with the same headers, values, offsets and
// errors, reading the input whole and a byte at a time.
func TestDeflateVariants(t *testing.T) {
	want := parserEvents(nested(ExplicitVRLittleEndian, true))
	for name, c := range deflateCases() {
		t.Run(name, func(t *testing.T) {
			pe := parserEvents(c.file)
			failed := len(pe) > 0 && pe[len(pe)-1].err != ""
			if c.ok {
				// The two meta group elements, then the dataset.
				if failed || len(pe) != 2+len(want) {
					t.Fatalf("parser: %d events (error %v), want %d without error", len(pe), failed, 2+len(want))
				}
				for i := range want {
					if g := pe[2+i]; g.h.Tag != want[i].h.Tag || g.h.VR != want[i].h.VR || g.value != want[i].value {
						t.Fatalf("parser event %d: %+v, want %+v", i, g, want[i])
					}
				}
			} else if !failed {
				t.Fatalf("parser accepted bad input: %d events", len(pe))
			}
			for _, mode := range []string{"whole", "onebyte", "half"} {
				var src io.Reader = bytes.NewReader(c.file)
				switch mode {
				case "onebyte":
					src = iotest.OneByteReader(src)
				case "half":
					src = iotest.HalfReader(src)
				}
				r := NewReader(src)
				agree(t, pe, readerEvents(r))
			}
		})
	}
}
