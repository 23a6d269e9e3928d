//go:build !race

package hl7_test

import (
	"testing"
	"time"

	"github.com/medtap/medtap/hl7"
)

func TestParseAllocs(t *testing.T) {
	data := []byte(adtA01)
	var m hl7.Message
	buf := make([]byte, 0, 1024)
	walk(&m, data, buf)
	if n := testing.AllocsPerRun(100, func() { walk(&m, data, buf) }); n != 0 {
		t.Errorf("parse and walk: %v allocs, want 0", n)
	}
}

func TestAppendAllocs(t *testing.T) {
	m := parse(t, adtA01)
	buf := make([]byte, 0, 4096)
	at := time.Now()
	d := hl7.DefaultDelimiters
	src := []byte("a|b^c&d~e\\f\r\n")
	latin1, cs := []byte("caf\xe9"), []byte("8859/1")
	data := []byte(adtA01)
	var b hl7.Batch
	ack := parse(t, "MSH|^~\\&|A|B|C|D|1||ACK|9|P|2.3\rMSA|AE|M2|disk \\F\\ full\r")
	sniff := []byte("\r\nMSH|^~\\&|")
	tests := map[string]func(){
		"Ack": func() {
			a, _ := ack.Ack()
			if !ack.IsAck() || a.Result() != hl7.AE || len(a.AppendText(buf[:0])) == 0 {
				panic("bad ack")
			}
		},
		"Sniff":     func() { hl7.Sniff(sniff) },
		"ACK":       func() { hl7.AppendACKAt(buf[:0], m, hl7.AE, "oops", at, "") },
		"escape":    func() { hl7.AppendEscaped(buf[:0], src, d) },
		"unescape":  func() { hl7.AppendUnescaped(buf[:0], []byte(`a\F\b\X0D0A\\.br\`), d) },
		"8859":      func() { hl7.AppendUTF8(buf[:0], latin1, cs) },
		"parsePath": func() { hl7.ParsePath("OBX(2)-5-1-2") },
		"batch": func() {
			b.Reset(data)
			for b.Next() {
			}
		},
	}
	for name, f := range tests {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocs, want 0", name, n)
		}
	}
}
