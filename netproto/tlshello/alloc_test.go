//go:build !race

package tlshello

import "testing"

func TestParseAllocs(t *testing.T) {
	clients, servers, _ := recordedHellos(t)
	if n := testing.AllocsPerRun(100, func() { parseHellos(clients, servers) }); n != 0 {
		t.Errorf("parsing %d hellos allocates %v times, want 0", len(clients)+len(servers), n)
	}
}

func TestDecoderAllocs(t *testing.T) {
	streams, _ := streamList(t)
	var d Decoder
	decodeStreams(&d, streams, 100) // grow the buffer once
	for _, chunk := range []int{1, 100, 1460} {
		if n := testing.AllocsPerRun(50, func() { decodeStreams(&d, streams, chunk) }); n != 0 {
			t.Errorf("decoding the streams in %d-byte chunks allocates %v times, want 0", chunk, n)
		}
	}
}
