package bench

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/medtap/medtap/mllp"
)

// mllpStream returns n frames each carrying the 200 KB ORU^R01.
func mllpStream(n int) []byte {
	var s []byte
	for range n {
		s = mllp.AppendFrame(s, []byte(hl7ORU200K))
	}
	return s
}

// mllpRead reads every frame of stream through r and returns the payload
// bytes seen.
func mllpRead(r *mllp.Reader, br *bytes.Reader, stream []byte) int {
	br.Reset(stream)
	r.Reset(br)
	return mllpReadAll(r)
}

// mllpReadAll reads frames from r to the end and returns the payload bytes
// seen.
func mllpReadAll(r *mllp.Reader) int {
	n := 0
	for {
		p, err := r.ReadFrame()
		if err == io.EOF {
			return n
		}
		if err != nil {
			panic(err)
		}
		n += len(p)
	}
}

// mllpDecode feeds stream to d in TCP-sized chunks, as the flow adapter
// does, and adds the payload bytes seen to *n.
func mllpDecode(d *mllp.StreamDecoder, stream []byte, n *int) {
	for len(stream) > 0 {
		c := min(1448, len(stream))
		d.Feed(stream[:c])
		for {
			f, err := d.Next()
			if err == mllp.ErrNeedMore {
				break
			}
			if err != nil {
				panic(err)
			}
			*n += len(f.Payload)
		}
		stream = stream[c:]
	}
}

// BenchmarkMLLP: "read" is mllp.Reader over an io.Reader (a bytes.Reader),
// "read-file" the same over an os.File (the stream in the page cache, a
// system call per Read), "stream" the passive StreamDecoder fed 1448-byte
// TCP payloads, "write" mllp.Writer; all on 200 KB frames. MB/s counts
// payload bytes. A Reader must copy every byte out of its io.Reader and scan
// it for the end block: compare "read" with BenchmarkLimit/copy+indexbyte-200KB.
func BenchmarkMLLP(b *testing.B) {
	stream := mllpStream(8)
	payload := int64(8 * len(hl7ORU200K))
	b.Run("read", func(b *testing.B) {
		var br bytes.Reader
		r := mllp.NewReader(&br)
		b.SetBytes(payload)
		b.ReportAllocs()
		for b.Loop() {
			mllpRead(r, &br, stream)
		}
	})
	b.Run("read-file", func(b *testing.B) {
		name := filepath.Join(b.TempDir(), "frames.mllp")
		if err := os.WriteFile(name, stream, 0o644); err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		r := mllp.NewReader(f)
		b.SetBytes(payload)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				b.Fatal(err)
			}
			r.Reset(f)
			if mllpReadAll(r) != int(payload) {
				b.Fatal("short read")
			}
		}
	})
	b.Run("stream", func(b *testing.B) {
		var d mllp.StreamDecoder
		n := 0
		b.SetBytes(payload)
		b.ReportAllocs()
		for b.Loop() {
			mllpDecode(&d, stream, &n)
		}
	})
	b.Run("write", func(b *testing.B) {
		var out bytes.Buffer
		out.Grow(len(stream))
		w := mllp.NewWriter(&out)
		data := []byte(hl7ORU200K)
		b.SetBytes(payload)
		b.ReportAllocs()
		for b.Loop() {
			out.Reset()
			for range 8 {
				w.WriteFrame(data)
			}
		}
	})
}
