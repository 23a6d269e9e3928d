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
