//go:build !race

package bench

import (
	"testing"

	"github.com/medtap/medtap/dicom/ul"
)

// TestULAllocs checks that following a C-STORE association and an
// association of small DIMSE messages allocates nothing once the decoder's
// buffers have grown.
func TestULAllocs(t *testing.T) {
	store, _ := ulStore(3, 64<<10, 16<<10)
	cmds, _ := ulCommands(20)
	var a ul.Association
	var d ul.Decoder
	ulFollow(&a, store, 1460)
	ulFollow(&a, cmds, 1460)
	ulPDUs(&d, store[2].data, 1460)
	for name, f := range map[string]func(){
		"cstore":      func() { ulFollow(&a, store, 1460) },
		"dimse-small": func() { ulFollow(&a, cmds, 1460) },
		"pdu":         func() { ulPDUs(&d, store[3].data, 1460) },
	} {
		if n := testing.AllocsPerRun(20, f); n != 0 {
			t.Errorf("%s: %v allocs per run, want 0", name, n)
		}
	}
}
