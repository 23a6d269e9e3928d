package mllp_test

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/medtap/medtap/internal/testutil"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/medtap/medtap/mllp"
)

func seeds(f *testing.F) {
	// Real messages from the shared corpus, framed, with junk between.
	if files, _ := filepath.Glob(filepath.Join(corpusRoot(), "hl7", "*.hl7")); len(files) > 0 {
		var stream []byte
		for i, file := range files {
			if b, err := os.ReadFile(file); err == nil && i < 6 {
				stream = mllp.AppendFrame(stream, b)
				stream = append(stream, "\r\n"...)
			}
		}
		f.Add(stream, uint8(5))
	}
	f.Add([]byte(frame(msg1)+frame(msg2)), uint8(3))
	f.Add([]byte("junk\x0babc\x1c\rzz\x0bdef\x1c\x0b\x06\x1c\r"), uint8(1))
	f.Add([]byte("\x0b\x0b\x1c\x1c\r\r"), uint8(2))
	f.Add([]byte(""), uint8(0))
}

// FuzzMLLPReader checks that the Reader never panics, always ends, gives
// the same frames however the input is chunked, and that frames it returns
// survive a Writer round trip.
func FuzzMLLPReader(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte, _ uint8) {
		read := func(in io.Reader) (out []string) {
			r := mllp.NewReader(in)
			r.MaxFrameSize = 64
			for i := 0; ; i++ {
				if i > len(data)+2 {
					t.Fatal("no progress")
				}
				p, err := r.ReadFrame()
				if err != nil {
					var fe *mllp.FrameError
					if errors.As(err, &fe) {
						out = append(out, "error")
						continue
					}
					return
				}
				if bytes.IndexByte(p, mllp.EB) >= 0 || len(p) > 64 {
					t.Fatalf("bad frame %q", p)
				}
				out = append(out, string(p))
			}
		}
		whole := read(bytes.NewReader(data))
		bytewise := read(iotest.OneByteReader(bytes.NewReader(data)))
		if fmt.Sprintf("%q", whole) != fmt.Sprintf("%q", bytewise) {
			t.Fatalf("chunking changed frames:\n%q\n%q", whole, bytewise)
		}
		var buf bytes.Buffer
		w := mllp.NewWriter(&buf)
		var want []string
		for _, p := range whole {
			if p != "error" {
				w.WriteFrame([]byte(p))
				want = append(want, p)
			}
		}
		if got := read(&buf); fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Fatalf("round trip: %q, want %q", got, want)
		}
	})
}

// FuzzStreamDecoder checks that arbitrary chunking gives the same frames
// and errors, at the same offsets, as one chunk, that gaps and flushes
// between chunks give what the callback decoder the StreamDecoder replaced
// gave, and that the decoder's memory stays within its limit.
func FuzzStreamDecoder(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		one := decodeChunks(&mllp.StreamDecoder{MaxFrameSize: 32}, [][]byte{data})
		var chunks [][]byte
		step := int(size%16) + 1
		for in := data; len(in) > 0; {
			n := min(step, len(in))
			chunks = append(chunks, in[:n])
			in = in[n:]
			step = step*7%16 + 1
		}
		many := decodeChunks(&mllp.StreamDecoder{MaxFrameSize: 32}, chunks)
		if fmt.Sprint(one) != fmt.Sprint(many) {
			t.Fatalf("one chunk:\n%v\nmany:\n%v", one, many)
		}
		if ref := refChunks(32, chunks); fmt.Sprint(many) != fmt.Sprint(ref) {
			t.Fatalf("decoder:\n%v\nreference:\n%v", many, ref)
		}
		for _, e := range one {
			if e.off < 0 || e.off > int64(len(data)) || len(e.payload) > 32 {
				t.Fatalf("bad event %v", e)
			}
		}
		// Gaps and flushes between chunks, chosen by size.
		var ops []op
		for i, c := range chunks {
			ops = append(ops, op{feed: c})
			switch (i + int(size)) % 7 {
			case 0:
				ops = append(ops, op{gap: int(size % 5)})
			case 3:
				ops = append(ops, op{gap: -1})
			case 5:
				ops = append(ops, op{flush: true})
			}
		}
		ops = append(ops, op{flush: true})
		d := mllp.StreamDecoder{MaxFrameSize: 32}
		got := runOps(&d, ops)
		if want := refOps(32, ops); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("with gaps:\n%v\nreference:\n%v", got, want)
		}
		if d.Buffered() != 0 {
			t.Fatalf("Buffered %d after the end", d.Buffered())
		}
	})
}

// corpusRoot returns ../shared/corpus beside the module root, or "".
func corpusRoot() string { return testutil.CorpusRoot() }
