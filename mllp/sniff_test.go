package mllp_test

import (
	"bytes"
	"testing"

	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/mllp"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"\x0bMSH|^~\\&|A", true},
		{"\x0bMSH#!@%$#A", true},
		{"\x0bBHS|^~\\&", true},
		{"\x0b\rFHS|^~\\&", true},
		{"\x0b\x06\x1c\r", true},
		{"\x0b\x15\x1c", true},
		{"PID|1|\r\x1c\r\x0bMSH|^~\\&|", true}, // mid-stream
		{"\x1c\r\x0bMSH|", true},
		{"\x0bMSHA", false},
		{"\x0bMS", false},
		{"MSH|^~\\&|A", false}, // no MLLP framing
		{"\x0b\x06", false},
		{"\x0b\x06\x1d", false},
		{"\x0b\x06MSH|", false},
		{"\x0bPID|1", false},
		{"\x0b", false},
		{"PID|1|\r\x1c\x0bMSH|^~\\&|", false}, // no CR between frames
		{"PID|1|\r\x1c\r\x0bPID|", false},
		{"\x05", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := mllp.Sniff([]byte(tt.in)); got != tt.want {
			t.Errorf("Sniff(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// FuzzSniff checks Sniff against what it promises: a yes has a start
// block followed by a commit acknowledgement or an HL7 header, and every
// frame AppendFrame makes of an HL7 message is recognised, mid-stream too.
func FuzzSniff(f *testing.F) {
	f.Add([]byte("MSH|^~\\&|A|B\r"), []byte("PID|1\r"))
	f.Add([]byte("\x06"), []byte(""))
	f.Add([]byte("BHS|^~\\&\r"), []byte("\x1c\r\x0b"))
	f.Fuzz(func(t *testing.T, payload, before []byte) {
		framed := mllp.AppendFrame(nil, payload)
		// A commit acknowledgement: its code, then the end block.
		commit := len(framed) >= 3 && (framed[1] == mllp.CommitACK || framed[1] == mllp.CommitNAK) && framed[2] == mllp.EB
		want := hl7.Sniff(payload) || commit
		if got := mllp.Sniff(framed); got != want {
			t.Fatalf("Sniff(%q) = %v, want %v", framed, got, want)
		}
		if mllp.Sniff(append([]byte{mllp.SB}, payload...)) && !want {
			t.Fatalf("Sniff takes %q", payload)
		}
		// Mid-stream: the tail of a frame, then the frame.
		if bytes.IndexByte(before, mllp.SB) < 0 && !bytes.Contains(before, []byte{mllp.EB, mllp.CR}) && hl7.Sniff(payload) {
			mid := append(append(append([]byte(nil), before...), mllp.EB, mllp.CR), framed...)
			if !mllp.Sniff(mid) {
				t.Fatalf("Sniff(%q) = false mid-stream", mid)
			}
		}
	})
}
