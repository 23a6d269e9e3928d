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
	tests := []struct{ name, charset, in string }{
		{"ASCII", "", `Glucose 182 mg/dl \T\ fasting\.br\\H\see note\N\ \X0D0A\ \Q\ end\`},
		{"ASCII switch", "ASCII", `\C2842\abc\C284A\def`},
		{"Latin-1", "8859/1", "Caf\xe9 cr\xe8me \\S\\ na\xefve \\XE9\\"},
		{"Latin-1 switch", "", `\C2D41\Caf` + "\xe9" + `\C2842\ ok`},
		{"Latin-2 switch", "8859/1", `\C2D42\` + "\xb1\xe6"},
		{"UTF-8", "UNICODE UTF-8", "Zoë Ünal \\F\\ 山田"},
		{"JIS X 0208", "", `\M2442\;3ED\C2842\^\M2442\B@O:\C2842\`},
		{"ISO-2022-JP", "ISO IR87", "\x1b$B;3ED\x1b(B \x1b(I12\x1b(B"},
		{"KS X 1001", "", `\M242943\` + "\xc7\xd1\xb1\xdb"},
		{"CNS 11643", "CNS 11643-1992", "\xc4\xa1\x8e\xa2\xa1\xa1 \\E\\"},
		{"CNS planes", "", `\M242947\` + "\xc4\xa1" + `\M242A48\` + "\x8e\xa1\xa1"},
	}
	for _, tt := range tests {
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
