//go:build !race

package poct1a

import "testing"

func TestDecoderAllocs(t *testing.T) {
	data := sampleStream()
	d := NewDecoder()
	decodeStream(d, data, 1460)
	for _, chunk := range []int{1, 1460} {
		if n := testing.AllocsPerRun(50, func() { decodeStream(d, data, chunk) }); n != 0 {
			t.Errorf("decoding in %d-byte chunks allocates %v times, want 0", chunk, n)
		}
	}
}
