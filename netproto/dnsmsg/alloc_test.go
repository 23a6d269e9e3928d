//go:build !race

package dnsmsg

import "testing"

func TestParsingAllocs(t *testing.T) {
	msgs := append(captureMessages(t), announcement())
	var p Parser
	buf := make([]byte, 0, 1024)
	total := 0
	if n := testing.AllocsPerRun(20, func() {
		for _, m := range msgs {
			n, _ := parseAll(&p, m, buf)
			total += n
		}
	}); n != 0 {
		t.Errorf("parsing %d messages allocates %v times, want 0", len(msgs), n)
	}
	if total == 0 {
		t.Error("nothing parsed")
	}
}

func TestSniffAllocs(t *testing.T) {
	n := 0
	if a := testing.AllocsPerRun(100, func() {
		for _, tt := range sniffTests {
			if Sniff(tt.in) {
				n++
			}
		}
	}); a != 0 {
		t.Errorf("Sniff allocates %v times, want 0", a)
	}
}
