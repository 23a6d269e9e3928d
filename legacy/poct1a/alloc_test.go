//go:build !race

package poct1a

import "testing"

func TestDecoderAllocs(t *testing.T) {
	var all []byte
	for _, m := range messageTests {
		all = append(all, m.xml...)
	}
	for name, data := range map[string][]byte{"conversation": sampleStream(), "every message type": all} {
		d := new(Decoder)
		decodeStream(d, data, 1460)
		for _, chunk := range []int{1, 1460} {
			if n := testing.AllocsPerRun(50, func() { decodeStream(d, data, chunk) }); n != 0 {
				t.Errorf("%s: decoding in %d-byte chunks allocates %v times, want 0", name, chunk, n)
			}
		}
	}
}

func TestAppendTextAllocs(t *testing.T) {
	src := []byte("K &lt; 3.5 &amp; Na &#x3E; 150 &#8364;")
	bad := []byte("K &lt; 3.5 &bad; &#0;")
	dst := make([]byte, 0, 128)
	if n := testing.AllocsPerRun(100, func() { dst, _ = AppendText(dst[:0], src) }); n != 0 {
		t.Errorf("AppendText allocates %v times, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { dst = AppendUnescape(dst[:0], bad) }); n != 0 {
		t.Errorf("AppendUnescape of malformed text allocates %v times, want 0", n)
	}
}

func TestSniffAllocs(t *testing.T) {
	inputs := make([][]byte, len(sniffTests))
	for i, tt := range sniffTests {
		inputs[i] = []byte(tt.in)
	}
	n := 0
	if a := testing.AllocsPerRun(100, func() {
		for _, in := range inputs {
			if Sniff(in) {
				n++
			}
		}
	}); a != 0 {
		t.Errorf("Sniff allocates %v times, want 0", a)
	}
	if n == 0 {
		t.Error("Sniff accepted nothing")
	}
}
