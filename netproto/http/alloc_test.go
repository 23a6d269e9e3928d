//go:build !race

package http

import "testing"

func TestDecoderAllocs(t *testing.T) {
	stream := benchStream()
	d := &Decoder{IsDefault: isDefaultTest}
	decodeStream(d, stream, 1460) // grow the buffers once
	for _, chunk := range []int{1, 100, 1460} {
		if n := testing.AllocsPerRun(20, func() { decodeStream(d, stream, chunk) }); n != 0 {
			t.Errorf("decoding in %d-byte chunks allocates %v times, want 0", chunk, n)
		}
	}
}

func TestSniffAllocs(t *testing.T) {
	body := []byte(string(dicomFile("MZ")))
	n := 0
	if a := testing.AllocsPerRun(100, func() {
		for _, tt := range sniffTests {
			if Sniff([]byte(tt.in)) {
				n++
			}
		}
		if m, _ := SniffBody(body); m == MagicDICOM {
			n++
		}
	}); a != 0 {
		t.Errorf("Sniff and SniffBody allocate %v times, want 0", a)
	}
	if n == 0 {
		t.Error("nothing recognised")
	}
}
