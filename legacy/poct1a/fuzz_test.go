package poct1a

import (
	"strings"
	"testing"
)

// FuzzDecoder feeds arbitrary bytes whole and in chunks: the items must be
// the same and the decoder must make progress.
func FuzzDecoder(f *testing.F) {
	device, manager := conversation()
	for i, m := range append(device, manager...) {
		f.Add([]byte(m), uint64(i*7919+3))
	}
	f.Add([]byte("<a><!-- x --><![CDATA[ y ]]><b V='1'/></a><?pi?><!DOCTYPE z>"), uint64(5))
	d1, d2 := NewDecoder(WithMaxTag(64)), NewDecoder(WithMaxTag(64))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		whole := decodeAll(d1, data, nil)
		var chunks []int
		for s := seed; s != 0 && len(chunks) < 16; s >>= 4 {
			chunks = append(chunks, int(s&15)+1)
		}
		if len(chunks) == 0 {
			chunks = []int{1}
		}
		if got := decodeAll(d2, data, chunks); strings.Join(got, "\n") != strings.Join(whole, "\n") {
			t.Fatalf("chunks %v change the items:\n%s\nwant\n%s", chunks, strings.Join(got, "\n"), strings.Join(whole, "\n"))
		}
	})
}
