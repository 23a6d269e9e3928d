package hl7_test

import (
	"bytes"
	"testing"

	"github.com/medtap/medtap/hl7"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"MSH|^~\\&|A", true},
		{"MSH#!@%$#A", true},
		{"BHS|^~\\&", true},
		{"FHS|", true},
		{"\r\n\rMSH|", true},
		{"MSH~", true},
		{"MSH|", true},
		{"MSHA", false},
		{"MSH1", false},
		{"MSH ", false},
		{"MSH\x7f", false},
		{"MSH\x1c", false},
		{"MSH", false},
		{"msh|", false},
		{"PID|1", false},
		{"BTS|1", false},
		{" MSH|", false},
		{"\x0bMSH|", false}, // MLLP framing: see mllp.Sniff
		{"\r\n", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := hl7.Sniff([]byte(tt.in)); got != tt.want {
			t.Errorf("Sniff(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// FuzzSniff checks that Sniff agrees with Parse: a message Parse accepts
// whose field separator is printable ASCII is recognised, and whatever
// Sniff recognises starts, after blank lines, with a header segment whose
// field separator Parse accepts too.
func FuzzSniff(f *testing.F) {
	for _, s := range []string{"MSH|^~\\&|A\r", "BHS|^~\\&\rMSH|^~\\&|\rBTS|1\r", "\nFHS#!@%$", "MSH ^~\\&|", "MSHA", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := hl7.Sniff(data)
		rest := bytes.TrimLeft(data, "\r\n")
		var m hl7.Message
		if m.Parse(data) == nil && rest[3] > ' ' && rest[3] < 0x7f && !got {
			t.Fatalf("Parse accepts %q, Sniff does not", data)
		}
		if !got {
			return
		}
		if len(rest) < 4 || !bytes.HasPrefix(rest, []byte("MSH")) && !bytes.HasPrefix(rest, []byte("BHS")) && !bytes.HasPrefix(rest, []byte("FHS")) {
			t.Fatalf("Sniff recognises %q", data)
		}
		if sep := rest[3]; bytes.IndexByte([]byte("^~\\&"), sep) < 0 {
			var hdr hl7.Message
			if err := hdr.Parse([]byte{'M', 'S', 'H', sep, '^', '~', '\\', '&'}); err != nil {
				t.Fatalf("Sniff takes field separator %q that Parse rejects: %v", sep, err)
			}
		}
	})
}
