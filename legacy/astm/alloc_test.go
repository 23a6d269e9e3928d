//go:build !race

package astm

import "testing"

func TestParserAllocs(t *testing.T) {
	msg := sampleMessage()
	var p Parser
	if n := testing.AllocsPerRun(100, func() { parseAll(&p, msg) }); n != 0 {
		t.Errorf("parsing a message allocates %v times, want 0", n)
	}
}

func TestDecoderAllocs(t *testing.T) {
	stream := framedSample()
	d := NewDecoder()
	decodeStream(d, stream, 1460) // grow the buffer once
	for _, chunk := range []int{1, 100, 1460} {
		if n := testing.AllocsPerRun(50, func() { decodeStream(d, stream, chunk) }); n != 0 {
			t.Errorf("decoding a transfer in %d-byte chunks allocates %v times, want 0", chunk, n)
		}
	}
}
