//go:build !race

package bench

import (
	"bytes"

	"testing"

	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/mllp"
)

// TestHL7Allocs proves BenchmarkHL7/medtap, medtap-fields and
// medtap-leaves allocate nothing.
func TestHL7Allocs(t *testing.T) {
	for _, msg := range hl7Msgs {
		data := []byte(msg.data)
		var m hl7.Message
		buf := make([]byte, 0, len(data))
		for _, w := range hl7Walks {
			w.walk(&m, data, buf)
			if n := testing.AllocsPerRun(20, func() { w.walk(&m, data, buf) }); n != 0 {
				t.Errorf("%s/%s: %v allocs per run, want 0", w.name, msg.name, n)
			}
		}
	}
}

// TestMLLPAllocs proves BenchmarkMLLP/read and /stream allocate nothing.
func TestMLLPAllocs(t *testing.T) {
	stream := mllpStream(2)
	var br bytes.Reader
	r := mllp.NewReader(&br)
	var d mllp.StreamDecoder
	n := 0
	mllpRead(r, &br, stream)
	mllpDecode(&d, stream, &n)
	if a := testing.AllocsPerRun(20, func() { mllpRead(r, &br, stream) }); a != 0 {
		t.Errorf("read: %v allocs per run", a)
	}
	if a := testing.AllocsPerRun(20, func() { mllpDecode(&d, stream, &n) }); a != 0 {
		t.Errorf("stream: %v allocs per run", a)
	}
}
