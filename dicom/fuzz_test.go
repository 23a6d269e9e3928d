package dicom

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unsafe"
)

// fuzzParser is reused across inputs with its stack grown to the default
// depth limit, so that a walk that ends cleanly must not allocate.
var fuzzParser = func() *Parser {
	p := new(Parser)
	p.stack = make([]frame, 0, 2*DefaultMaxDepth+2)
	return p
}()

func FuzzParser(f *testing.F) {
	for _, name := range []string{"6.dcm"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b)
		}
	}
	for _, enc := range []Encoding{ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian} {
		f.Add(nested(enc, true))
		f.Add(nested(enc, false))
	}
	f.Add(AppendFile(nil, &FileMeta{TransferSyntaxUID: UIDDeflatedExplicitVRLittleEndian}, nested(ExplicitVRLittleEndian, true)))
	f.Add(AppendFile(nil, &FileMeta{TransferSyntaxUID: UIDExplicitVRBigEndian}, nested(ExplicitVRBigEndian, false)))
	// Cut short, read leniently (the length decides the mode: bit 1 set).
	f.Add(nested(ExplicitVRLittleEndian, false)[:50])
	f.Add(nested(ImplicitVRLittleEndian, true)[:46])
	f.Fuzz(func(t *testing.T, b []byte) {
		p := fuzzParser
		p.MaxInflated = 1 << 20
		p.ConvertUN = len(b)&1 == 1
		p.Lenient = len(b)&2 == 2
		check := func() (clean bool) {
			p.Start(b)
			last := int64(-1)
			for i := 0; ; i++ {
				h, err := p.Next()
				if err == io.EOF {
					return true
				}
				if err != nil {
					// Once, then io.EOF, for the report of a cut input in
					// lenient mode; other errors are sticky.
					if _, err2 := p.Next(); err2 != err && !(p.Lenient && err2 == io.EOF) {
						t.Fatalf("after %v: %v", err, err2)
					}
					return false
				}
				if h.Offset <= last {
					t.Fatalf("no progress: header at %d after %d", h.Offset, last)
				}
				last = h.Offset
				if h.Depth < 0 || h.Depth > DefaultMaxDepth {
					t.Fatalf("depth %d", h.Depth)
				}
				if h.Truncated && !p.Lenient {
					t.Fatalf("header %+v flagged Truncated in the default mode", h)
				}
				if v, err := p.Value(); err == nil {
					if h.Truncated && len(v) >= int(h.Length) || !h.Truncated && len(v) != int(h.Length) {
						t.Fatalf("value of %d bytes for length %d, truncated %v", len(v), h.Length, h.Truncated)
					}
					if p.buf != nil && len(v) > 0 && !inside(v, p.buf) {
						t.Fatal("value view outside the input")
					}
				}
				if i%3 == 2 {
					if err := p.Skip(); err != nil {
						return false // the lenient report may come from Skip
					}
				}
			}
		}
		if check() && !testingRace {
			p.Start(b)
			// Averaged over 5 walks: a stray allocation by the fuzzing
			// machinery's goroutines during one walk rounds away, an
			// allocation on every walk does not.
			if n := testing.AllocsPerRun(5, func() { check() }); n != 0 {
				t.Fatalf("%v allocations on a clean walk", n)
			}
		}
	})
}

// inside reports whether v lies within buf.
func inside(v, buf []byte) bool {
	if len(buf) == 0 {
		return false
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(v)))
	return p >= lo && p+uintptr(len(v)) <= lo+uintptr(len(buf))
}

// chunkReader returns at most n bytes per Read.
type chunkReader struct {
	b []byte
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), c.n)], c.b)
	c.b = c.b[k:]
	return k, nil
}

func FuzzReaderVsParser(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "6.dcm")); err == nil {
		f.Add(uint8(7), b)
	}
	for _, enc := range []Encoding{ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian} {
		f.Add(uint8(1), nested(enc, true))
		f.Add(uint8(3), nested(enc, false))
		f.Add(uint8(0x83), nested(enc, false))
		f.Add(uint8(0x81), nested(enc, true))
	}
	f.Add(uint8(5), AppendFile(nil, &FileMeta{TransferSyntaxUID: UIDDeflatedExplicitVRLittleEndian}, nested(ExplicitVRLittleEndian, true)))
	f.Add(uint8(2), AppendFile(nil, &FileMeta{TransferSyntaxUID: UIDExplicitVRBigEndian}, nested(ExplicitVRBigEndian, false)))
	f.Add(uint8(0x40), suyashFileIfPresent("1.dcm"))
	i := 0
	for _, c := range deflateCases() { // raw, zlib-wrapped and broken deflate
		f.Add(uint8(i*13+1), c.file)
		i++
	}
	r := NewReader(nil)
	var br bytes.Reader
	seekThreshold = 1 // exercise seeking on every skip from a bytes.Reader
	f.Fuzz(func(t *testing.T, chunk uint8, b []byte) {
		if len(b) > 1<<16 {
			return
		}
		skip := chunk&0x80 != 0
		convertUN := chunk&0x20 != 0
		pe := parserEventsOpt(b, skip, convertUN)
		if chunk&0x40 != 0 {
			br.Reset(b) // an io.Seeker: values are skipped by seeking
			r.Reset(&br)
		} else {
			r.Reset(&chunkReader{b: b, n: int(chunk%64) + 1})
		}
		r.MaxValue = 1 << 16
		r.ConvertUN = convertUN
		agree(t, pe, readerEventsSkip(r, skip))
	})
}

// suyashFileIfPresent returns testdata/name, or nil.
func suyashFileIfPresent(name string) []byte {
	b, _ := os.ReadFile(filepath.Join("testdata", name))
	return b
}
