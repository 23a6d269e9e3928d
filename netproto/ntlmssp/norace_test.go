//go:build !race

package ntlmssp

import "testing"

func TestAllocs(t *testing.T) {
	blobs := [][]byte{sambaBlob(t, "challenge"), sambaBlob(t, "authenticate"), sambaBlob(t, "negotiate")}
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { buf = readBlobs(blobs, buf) }); n != 0 {
		t.Errorf("unwrapping, parsing and naming allocate %v times, want 0", n)
	}
	if len(buf) == 0 {
		t.Error("nothing decoded")
	}
}
