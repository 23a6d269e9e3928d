package dicom

import "testing"

func TestInspectPreamble(t *testing.T) {
	mk := func(head string) []byte {
		b := make([]byte, 128)
		copy(b, head)
		return b
	}
	tests := []struct {
		name string
		pre  []byte
		want PreambleKind
		exec bool
	}{
		{"none", nil, PreambleNone, false},
		{"zero", mk(""), PreambleZero, false},
		{"PE", mk("MZ\x90\x00"), PreamblePE, true},
		{"ELF", mk("\x7fELF\x02\x01"), PreambleELF, true},
		{"Mach-O 64", mk("\xcf\xfa\xed\xfe"), PreambleMachO, true},
		{"fat Mach-O", mk("\xca\xfe\xba\xbe"), PreambleMachO, true},
		{"TIFF", mk("II*\x00"), PreambleTIFF, false},
		{"text", mk("hello"), PreambleOther, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InspectPreamble(tt.pre); got != tt.want || got.IsExecutable() != tt.exec {
				t.Errorf("got %v (exec %v), want %v", got, got.IsExecutable(), tt.want)
			}
		})
	}
	// Through the parser: a PE polyglot still parses as DICOM.
	meta := FileMeta{TransferSyntaxUID: UIDExplicitVRLittleEndian}
	copy(meta.Preamble[:], "MZ\x90\x00")
	file := AppendFile(nil, &meta, AppendString(nil, ExplicitVRLittleEndian, tagPatientName, PN, "X"))
	var p Parser
	p.Start(file)
	if k := InspectPreamble(p.Preamble()); k != PreamblePE {
		t.Errorf("parser preamble: %v", k)
	}
	if n, err := walkAll(&p); err != nil || n != 7 {
		t.Errorf("walk: %d %v", n, err)
	}
}

func TestPreambleDeflated(t *testing.T) {
	meta := FileMeta{TransferSyntaxUID: UIDDeflatedExplicitVRLittleEndian}
	copy(meta.Preamble[:], "\x7fELF")
	file := AppendFile(nil, &meta, AppendString(nil, ExplicitVRLittleEndian, tagPatientName, PN, "X"))
	var p Parser
	p.Start(file)
	if _, err := walkAll(&p); err != nil {
		t.Fatal(err)
	}
	if k := InspectPreamble(p.Preamble()); k != PreambleELF {
		t.Errorf("preamble after inflating: %v", k)
	}
}
