package bench

import (
	"bytes"
	"io"
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
// does, and returns the payload bytes seen.
func mllpDecode(d *mllp.StreamDecoder, stream []byte, n *int) {
	fn := func(p []byte, off int64, err error) {
		if err != nil {
			panic(err)
		}
		*n += len(p)
	}
	for len(stream) > 0 {
		c := min(1448, len(stream))
		d.Write(stream[:c], fn)
		stream = stream[c:]
	}
}

// BenchmarkMLLP: "read" is mllp.Reader over an io.Reader, "stream" the
// passive StreamDecoder fed 1448-byte TCP payloads, "write" mllp.Writer;
// all on 200 KB frames. MB/s counts payload bytes.
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
	b.Run("stream", func(b *testing.B) {
		d := mllp.NewStreamDecoder()
		n := 0
		b.SetBytes(payload)
		b.ReportAllocs()
		for b.Loop() {
			mllpDecode(d, stream, &n)
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
