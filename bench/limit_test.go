package bench

import (
	"bytes"
	"testing"
)

// BenchmarkLimit measures what the machine can do at best over 1 MiB: scan
// for a byte that is not there (bytes.IndexByte, SIMD) and copy. Parsers
// are judged against these numbers from the same run.
//
// A reader of frames from an io.Reader (mllp.Reader) must copy each frame
// out of it and then scan it: copy-200KB moves an 8 × 200 KB stream (the
// size of BenchmarkMLLP's) 200 KB at a time into one 200 KB buffer, and
// copy+indexbyte-200KB also scans each block after copying it, the least
// such a reader can do. (A copy of 1 MiB or more, as in "copy", uses
// non-temporal stores on amd64 and bypasses the cache; these stay below.)
func BenchmarkLimit(b *testing.B) {
	src := bytes.Repeat([]byte("medtap-limit-0123456789abcdef\r"), (1<<20)/30+1)[:1<<20]
	dst := make([]byte, len(src))
	b.Run("indexbyte", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if bytes.IndexByte(src, 0x1c) >= 0 {
				b.Fatal("found")
			}
		}
	})
	b.Run("copy", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			copy(dst, src)
		}
	})
	stream := bytes.Repeat(src[:200<<10], 8)
	block := dst[:200<<10]
	b.Run("copy-200KB", func(b *testing.B) {
		b.SetBytes(int64(len(stream)))
		b.ReportAllocs()
		for b.Loop() {
			for i := 0; i < len(stream); i += len(block) {
				copy(block, stream[i:])
			}
		}
	})
	b.Run("copy+indexbyte-200KB", func(b *testing.B) {
		b.SetBytes(int64(len(stream)))
		b.ReportAllocs()
		for b.Loop() {
			for i := 0; i < len(stream); i += len(block) {
				n := copy(block, stream[i:])
				if bytes.IndexByte(block[:n], 0x1c) >= 0 {
					b.Fatal("found")
				}
			}
		}
	})
}
