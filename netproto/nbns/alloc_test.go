//go:build !race

package nbns

import "testing"

func TestParsingAllocs(t *testing.T) {
	msgs := captureMessages(t)
	var p Parser
	buf := make([]byte, 0, 256)
	total := 0
	if n := testing.AllocsPerRun(20, func() {
		for _, m := range msgs {
			total += parseAll(&p, m, buf)
		}
	}); n != 0 {
		t.Errorf("parsing %d messages allocates %v times, want 0", len(msgs), n)
	}
	if total == 0 {
		t.Error("nothing parsed")
	}
}

func TestSniffAllocs(t *testing.T) {
	msgs := captureMessages(t)
	n := 0
	if a := testing.AllocsPerRun(100, func() {
		for _, m := range msgs {
			if Sniff(m) {
				n++
			}
		}
	}); a != 0 {
		t.Errorf("Sniff allocates %v times, want 0", a)
	}
}
