package intellivue

import "testing"

func BenchmarkParse(b *testing.B) {
	msgs := simMessages()
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			walk(m)
		}
	}
}
