package hl7

import (
	"bytes"
	"testing"
)

// TestPrintable checks the word-at-a-time scan against the plain one with
// every byte value at every position of a 19-byte printable run.
func TestPrintable(t *testing.T) {
	naive := func(b []byte) int {
		i := 0
		for i < len(b) && b[i] >= 0x20 && b[i] < 0x7F {
			i++
		}
		return i
	}
	base := bytes.Repeat([]byte("~ "), 10)[:19]
	for pos := range base {
		for c := range 256 {
			b := bytes.Clone(base)
			b[pos] = byte(c)
			if got, want := printable(b), naive(b); got != want {
				t.Fatalf("printable(% X) = %d, want %d", b, got, want)
			}
		}
	}
}
