//go:build !race

package intellivue

import "testing"

func TestParseAllocs(t *testing.T) {
	msgs := simMessages()
	if n := testing.AllocsPerRun(100, func() {
		for _, m := range msgs {
			walk(m)
		}
	}); n != 0 {
		t.Errorf("parsing and walking %d messages allocates %v times, want 0", len(msgs), n)
	}
}

func TestSniffAllocs(t *testing.T) {
	msgs := append(simMessages(), []byte("GET / HTTP/1.1\r\n"), []byte("\x00\x00\x01\x00\x00\x01\x00\x00"))
	if n := testing.AllocsPerRun(100, func() {
		for _, m := range msgs {
			Sniff(m)
		}
	}); n != 0 {
		t.Errorf("sniffing %d messages allocates %v times, want 0", len(msgs), n)
	}
}
