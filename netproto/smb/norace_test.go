//go:build !race

package smb

import (
	"path/filepath"
	"testing"
)

func TestDecoderAllocs(t *testing.T) {
	streams := readStreams(t, filepath.Join("testdata", "smb.pcap"))
	var d Decoder
	buf := make([]byte, 0, 4096)
	for _, s := range streams { // grow the buffer once
		_, buf = walk(&d, s.data, 1460, buf)
		d.Reset()
	}
	items := 0
	for _, chunk := range []int{1, 100, 1460} {
		if n := testing.AllocsPerRun(5, func() {
			for _, s := range streams {
				d.Reset()
				var k int
				k, buf = walk(&d, s.data, chunk, buf)
				items += k
			}
		}); n != 0 {
			t.Errorf("decoding the capture in %d-byte chunks allocates %v times, want 0", chunk, n)
		}
	}
	if items == 0 {
		t.Error("no items")
	}
}

func TestSniffAllocs(t *testing.T) {
	in := [][]byte{frame(msg2(Echo2, 0, 0, []byte{4, 0, 0, 0})), []byte("GET / HTTP/1.1\r\n"),
		netbios(NetBIOSRequest, cat(encodeName("*SMBSERVER", 0x20), encodeName("WS", 0)))}
	n := 0
	if a := testing.AllocsPerRun(100, func() {
		for _, b := range in {
			if Sniff(b) {
				n++
			}
		}
	}); a != 0 {
		t.Errorf("Sniff allocates %v times", a)
	}
	if n == 0 {
		t.Error("Sniff accepted nothing")
	}
}
