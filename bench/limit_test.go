package bench

import (
	"bytes"
	"testing"
)

// BenchmarkLimit measures what the machine can do at best over 1 MiB: scan
// for a byte that is not there (bytes.IndexByte, SIMD) and copy. Parsers
// are judged against these numbers from the same run.
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
}
