//go:build !race

package hl7_test

import (
	"testing"

	"github.com/medtap/medtap/hl7"
)

// TestAppendTextAllocs checks that unescaping and decoding into a buffer
// with room allocates nothing: ASCII and Latin-1 from the first call, the
// table-driven multi-byte sets once their tables are built.
func TestAppendTextAllocs(t *testing.T) {
	d := hl7.DefaultDelimiters
	buf := make([]byte, 0, 4096)
	for _, tt := range textCases {
		in, cs := []byte(tt.in), []byte(tt.charset)
		f := func() {
			if _, err := hl7.AppendText(buf[:0], in, d, cs); err != nil {
				t.Fatal(err)
			}
			if _, err := hl7.AppendUTF8(buf[:0], in, cs); err != nil {
				t.Fatal(err)
			}
		}
		f() // builds the tables the text needs
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocs, want 0", tt.name, n)
		}
	}
}
